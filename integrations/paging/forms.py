"""Forms of the Integrations page's paging section."""

from __future__ import annotations

from typing import Any

from django import forms

from integrations.paging.models import Provider
from scheduling.rotas.models import ROLE_CHOICES


class LinkForm(forms.Form):
    provider = forms.ChoiceField(choices=Provider.choices, label="Paging tool")
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Rota role")
    schedule_id = forms.CharField(
        max_length=100,
        label="Schedule id",
        help_text="PagerDuty: e.g. PABC123; Opsgenie: the schedule's id.",
    )
    api_key = forms.CharField(
        max_length=200,
        label="API key",
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted; needs write access to the schedule.",
    )


class FeedForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Rota role")


class HistoryForm(forms.Form):
    SOURCES = [("pagerduty", "PagerDuty schedule"), ("ics", "ICS address")]

    source = forms.ChoiceField(choices=SOURCES)
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Count them as")
    schedule_id = forms.CharField(max_length=100, required=False, label="PagerDuty schedule id")
    api_key = forms.CharField(
        max_length=200, required=False, label="PagerDuty API key", widget=forms.PasswordInput()
    )
    days = forms.IntegerField(min_value=1, max_value=730, initial=180, label="Days back")
    url = forms.URLField(required=False, label="ICS address", assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("source") == "pagerduty" and not (
            data.get("schedule_id") and data.get("api_key")
        ):
            raise forms.ValidationError("Give the PagerDuty schedule id and an API key.")
        if data.get("source") == "ics" and not data.get("url"):
            raise forms.ValidationError("Give the ICS address.")
        return data
