"""The signed "Can't make it?" link of calendar entries: GET confirms, only POST acts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from calendars import services
from calendars.content import CANT_MAKE_IT
from calendars.forms import CantMakeItForm
from rota.links import LinkInvalid, read_token

STATUS = {"tampered": 400, "wrong_action": 400, "wrong_person": 400, "expired": 410, "used": 410}


def _invalid(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "calendars/link_invalid.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def cant_make_it(request: HttpRequest, token: str) -> HttpResponse:
    """Ask the holder to confirm; the POST opens a cover request."""
    try:
        link = read_token(token, action=CANT_MAKE_IT, user=request.user)
        if link.is_used():
            raise LinkInvalid("used")
        seat = services.held_seat(link)
    except LinkInvalid as error:
        return _invalid(request, error.message, STATUS[error.reason])
    except services.NotYourShift as error:
        return _invalid(request, str(error), 410)
    form = CantMakeItForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cant_make_it(link=link, reason=form.cleaned_data["reason"])
        except LinkInvalid as error:
            return _invalid(request, error.message, STATUS[error.reason])
        except services.NotYourShift as error:
            return _invalid(request, str(error), 410)
        except services.CoverRefused as error:
            return _invalid(request, str(error), 409)
        return redirect("calendars:link_done", token=token)
    shift = seat.shift
    context = {
        "form": form,
        "seat": seat,
        "shift": shift,
        "team": shift.team,
        "starts": shift.starts_at.astimezone(shift.team.tz),
        "ends": shift.ends_at.astimezone(shift.team.tz),
    }
    return render(
        request,
        "calendars/link_confirm.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def cant_make_it_done(request: HttpRequest, token: str) -> HttpResponse:
    """Say what happened after the POST (only for a link whose decision was taken)."""
    try:
        link = read_token(token, action=CANT_MAKE_IT, user=request.user)
    except LinkInvalid as error:
        if error.reason != "expired":
            return _invalid(request, error.message, STATUS[error.reason])
        return render(request, "calendars/link_done.html")
    if not link.is_used():
        return redirect("calendars:link", token=token)
    return render(request, "calendars/link_done.html")
