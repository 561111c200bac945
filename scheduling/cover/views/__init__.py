"""Views of the cover app, split by concern."""
