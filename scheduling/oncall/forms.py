"""Forms of the on-call pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms

from accounts.models import Team
from rota import bounds
from rota.text import validate_single_line
from scheduling.oncall.models import ReminderPreferences
from scheduling.oncall.presenters import action_label

MAX_REPORT_DAYS = 3 * 366


class HandoverForm(forms.Form):
    body = forms.CharField(
        label="Handover note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "What is burning, what to watch, what you changed."}
        ),
        help_text=(
            "The people who take over see it on their shift, in their reminder and on the "
            "on-call page. Leave empty to remove your note."
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text='What will use it, e.g. "Alertmanager".',
        validators=[validate_single_line],
    )


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = ReminderPreferences
        fields = ["shift_start", "unfilled", "handover_missing"]


def _months_ago(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class RangeForm(forms.Form):
    start = bounds.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = bounds.DateField(
        label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    @staticmethod
    def defaults(today: date) -> dict[str, date]:
        """Return the last six months up to today."""
        return {"start": _months_ago(today, 6), "end": today}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The start date must be on or before the end date.")
            if (end - start) > timedelta(days=MAX_REPORT_DAYS):
                raise forms.ValidationError("Choose a range of at most three years.")
        return data


class AuditFilterForm(forms.Form):
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label="Action", required=False)
    start = bounds.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = bounds.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self, *args, team: Team, people: list[tuple[int, str]], actions: list[str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        person = cast(forms.TypedChoiceField, self.fields["person"])
        person.choices = [("", "Anyone")] + [(str(pk), name) for pk, name in people]
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", "Any action")] + [
            (a, action_label(a)) for a in actions
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The start date must be on or before the end date.")
        return data
