"""Signals the on-call app sends; scheduling never imports their receivers."""

from django.dispatch import Signal

# Sent on commit, once per team role whose holder changes at a shift boundary:
# sender=Shift, team_id=int, role=str, shift_id=int, previous_user_id=int | None,
# user_id=int | None, at=datetime (UTC).
handoff = Signal()
