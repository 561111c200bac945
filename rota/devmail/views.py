"""The development mailbox pages: a list and one message (signed-in people, DEBUG only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.requests import AuthedRequest
from rota.devmail import store


@login_required
@require_safe
def mailbox(request: AuthedRequest) -> HttpResponse:
    """List every email the app sent, newest first."""
    return render(request, "devmail/list.html", {"mails": store.listing()})


@login_required
@require_safe
def detail(request: AuthedRequest, mail_id: str) -> HttpResponse:
    """Show one email: its headers, its text with working links, its attachments."""
    mail = store.get(mail_id)
    if mail is None:
        raise Http404("No such email.")
    return render(request, "devmail/detail.html", {"mail": mail})


@login_required
@require_POST
def clear(request: AuthedRequest) -> HttpResponse:
    """Empty the mailbox."""
    count = store.clear()
    messages.success(request, f"Deleted {count} email{'s' if count != 1 else ''}.")
    return redirect("devmail:list")
