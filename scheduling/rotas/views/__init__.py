"""Rota pages: periods, the period calendar, seat actions, settings, shifts."""
