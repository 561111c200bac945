"""Domain exceptions of the calendars app."""


class CalendarsError(Exception):
    """A calendar action that cannot be done; the message is meant for the person."""
