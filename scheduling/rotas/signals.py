"""Signals other apps listen to; scheduling never imports them."""

from django.dispatch import Signal

# Sent on commit for every SeatChange row: sender=Seat, change=SeatChange.
seat_changed = Signal()
