"""Tell a person what went wrong with the form they sent, on the page they go back to."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest


def form_errors(request: HttpRequest, form: forms.Form) -> None:
    """Add each of the form's errors as an error message."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
