"""Signed agree/decline links for asks and swap offers (see rota/links.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from rota.links import make_token
from scheduling.cover.models import Ask, SwapOffer

ASK_ACTIONS = ("cover_agree", "cover_decline")
SWAP_ACTIONS = ("swap_accept", "swap_decline")


def ask_url(ask: Ask, action: str, *, absolute: bool = True) -> str:
    """Return an ask's agree or decline link: one shared decision, valid until the window starts."""
    assert action in ASK_ACTIONS
    token = make_token(
        user_id=ask.candidate_id,
        action=action,
        object_id=ask.pk,
        expires_at=ask.request.starts_at,
        decision=ask.decision,
    )
    path = reverse("cover:link", args=[token])
    return settings.SITE_URL + path if absolute else path


def swap_url(offer: SwapOffer, action: str, *, absolute: bool = True) -> str:
    """Return the accept or decline link of a swap offer, valid until the earlier shift starts."""
    assert action in SWAP_ACTIONS
    expires = min(offer.from_seat.shift.starts_at, offer.to_seat.shift.starts_at)
    token = make_token(
        user_id=offer.offered_to_id,
        action=action,
        object_id=offer.pk,
        expires_at=expires,
        decision=offer.decision,
    )
    path = reverse("cover:swap_link", args=[token])
    return settings.SITE_URL + path if absolute else path
