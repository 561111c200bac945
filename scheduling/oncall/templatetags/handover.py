"""Template tags other pages use to show handover notes: the shift page."""

from __future__ import annotations

from django import template

from scheduling.oncall import services
from scheduling.oncall.lookup import incoming_notes
from scheduling.rotas.models import Shift

register = template.Library()


@register.inclusion_tag("oncall/_shift_handover.html", takes_context=True)
def handover_notes(context, shift: Shift) -> dict:
    """Show the notes handed to the shift and written on it, with a link to write one."""
    user = context["user"]
    return {
        "shift": shift,
        "incoming": incoming_notes([shift]).get(shift.pk, []),
        "notes": list(shift.handover_notes.select_related("author", "shift")),
        "can_write": services.can_write_handover(shift=shift, user=user)
        and services.handover_open(shift),
    }
