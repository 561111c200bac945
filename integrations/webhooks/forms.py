"""Forms of the Integrations page's webhook section."""

from __future__ import annotations

from django import forms

from integrations.webhooks.models import EVENT_TYPES


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="Receiver URL",
        max_length=500,
        assume_scheme="https",
        help_text="An https:// address that accepts POSTed JSON.",
    )
    description = forms.CharField(max_length=120, required=False, label="What receives it")
    events = forms.MultipleChoiceField(
        choices=EVENT_TYPES,
        widget=forms.CheckboxSelectMultiple,
        initial=[name for name, _ in EVENT_TYPES],
        error_messages={"required": "Choose at least one event."},
    )


class EventsForm(forms.Form):
    events = forms.MultipleChoiceField(
        choices=EVENT_TYPES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
