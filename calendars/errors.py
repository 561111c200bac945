"""What can go wrong with calendars, in words people read."""


class CalendarsError(Exception):
    """A calendar action that cannot be done; the message is meant for the person."""


class PushError(CalendarsError):
    """The CalDAV calendar cannot be reached or used; the message is meant for its owner."""


class Unauthorized(PushError):
    """The server refused the credentials: the owner has to fix them."""


class Retryable(PushError):
    """A timeout, a refused connection or a 5xx: try again later."""


class NotYourShift(CalendarsError):
    """The seat of a link is no longer held by the person it was sent to."""


class CoverRefused(CalendarsError):
    """The cover app refused to open a request (its message says why)."""
