"""Signals the cover app sends; scheduling never imports their receivers."""

from django.dispatch import Signal

# Sent on commit: sender=CoverRequest, request=CoverRequest.
cover_requested = Signal()
# Sent on commit when a request ends: sender=CoverRequest, request=CoverRequest, outcome=str
# ("covered", "withdrawn", "assigned", "expired").
cover_resolved = Signal()
# Sent on commit for each ask sent to a candidate: sender=CoverAsk, ask=CoverAsk.
cover_asked = Signal()
# Sent on commit when a direct swap is offered: sender=SwapOffer, offer=SwapOffer.
swap_offered = Signal()
