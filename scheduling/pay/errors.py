"""What can go wrong with pay, in words a manager reads."""


class PayError(Exception):
    """Base of the pay app's domain errors."""


class MonthLocked(PayError):
    """The month was already sent to payroll."""


class MonthNotOver(PayError):
    """The month has not ended yet."""
