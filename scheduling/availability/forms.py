"""Forms for marking days, time ranges, calendar connections and team availability settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms

from rota import bounds
from rota.text import validate_single_line
from scheduling.availability.models import Kind, UnmarkedMeans

MAX_DAYS_PER_SAVE = 400


class _Form(forms.Form):
    """A form whose labels carry no trailing colon, like the rest of Rota's pages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


CLEAR = "clear"
MARK_CHOICES = [*Kind.choices, (CLEAR, "Clear the mark")]


class DateListField(forms.Field):
    """A list of ISO dates posted as repeated values (the grid's checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: list[str] | None) -> list[date]:
        days = []
        for item in value or []:
            try:
                days.append(date.fromisoformat(item))
            except (TypeError, ValueError):
                raise forms.ValidationError(f"{item!r} is not a date.") from None
        return days


def parse_seen(text: str) -> dict[date, str]:
    """Read the marks the page showed: "2026-12-01:unavailable;2026-12-02:preferred"."""
    seen: dict[date, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        day, _, kind = part.partition(":")
        try:
            seen[date.fromisoformat(day.strip())] = (
                kind.strip() if kind.strip() in Kind.values else ""
            )
        except ValueError:
            raise forms.ValidationError("The page was damaged; reload it and try again.") from None
    return seen


def format_seen(marks: dict[date, str]) -> str:
    """Write marks in the form parse_seen reads."""
    return ";".join(f"{day.isoformat()}:{kind}" for day, kind in sorted(marks.items()) if kind)


class MarkDaysForm(_Form):
    days = DateListField(required=False)
    first = bounds.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    last = bounds.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(choices=MARK_CHOICES, widget=forms.RadioSelect, label="Mark as")
    note = forms.CharField(max_length=200, required=False)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_seen(self) -> dict[date, str]:
        return parse_seen(self.cleaned_data.get("seen") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        days = set(data.get("days") or [])
        # One end given alone is a one-day range.
        first = data.get("first") or data.get("last")
        last = data.get("last") or data.get("first")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last", "The last day must not be before the first.")
                return data
            if (last - first).days >= MAX_DAYS_PER_SAVE:
                self.add_error("last", f"Mark at most {MAX_DAYS_PER_SAVE} days at once.")
                return data
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        if not days and not self.errors:
            raise forms.ValidationError(
                "Pick at least one day: tick days in the grid or give a range."
            )
        if len(days) > MAX_DAYS_PER_SAVE:
            raise forms.ValidationError(f"Mark at most {MAX_DAYS_PER_SAVE} days at once.")
        data["all_days"] = sorted(days)
        data["mark"] = "" if data.get("kind") == CLEAR else data.get("kind", "")
        return data


class TimeRangeForm(_Form):
    day = bounds.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label="From", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label="To",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="00:00 means midnight.",
    )
    kind = forms.ChoiceField(choices=Kind.choices, label="Mark as", initial=Kind.UNAVAILABLE)
    note = forms.CharField(max_length=200, required=False)


class IcsConnectionForm(_Form):
    name = forms.CharField(max_length=120, initial="My calendar", validators=[validate_single_line])
    url = forms.CharField(
        label="Calendar address (.ics)",
        max_length=2000,
        widget=forms.URLInput(
            attrs={"placeholder": "https://calendar.google.com/calendar/ical/…/basic.ics"}
        ),
        help_text="Google: Settings → your calendar → “Secret address in iCal format”. "
        "Outlook: Settings → Calendar → Shared calendars → Publish → ICS link.",
    )


class CaldavConnectionForm(_Form):
    name = forms.CharField(
        max_length=120, initial="CalDAV calendar", validators=[validate_single_line]
    )
    server_url = forms.URLField(
        label="Server address",
        max_length=500,
        help_text="e.g. https://caldav.fastmail.com/ or your Nextcloud.",
    )
    username = forms.CharField(max_length=200, label="User name")
    password = forms.CharField(
        max_length=500,
        label="App password",
        widget=forms.PasswordInput(render_value=False),
        help_text="Create an app password for Rota; it is stored encrypted and never shown again.",
    )

    def __init__(self, *args, **kwargs) -> None:
        # Shown beside the .ics form, whose "name" field would otherwise share the id id_name.
        kwargs.setdefault("auto_id", "caldav_%s")
        super().__init__(*args, **kwargs)


class PickCalendarForm(_Form):
    calendar_url = forms.ChoiceField(label="Calendar", widget=forms.RadioSelect)

    def __init__(self, *args, calendars: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["calendar_url"]).choices = calendars


class MonthForm(_Form):
    month = forms.CharField(widget=forms.HiddenInput)

    def clean_month(self) -> date:
        try:
            return bounds.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError("Not a month.") from None


class DeadlineForm(_Form):
    month = forms.CharField(
        label="Availability for", widget=forms.TextInput(attrs={"type": "month"})
    )
    due_on = bounds.DateField(
        label="Due by", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_month(self) -> date:
        try:
            return bounds.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError("Enter a month such as 2026-12.") from None


class TeamSettingsForm(_Form):
    unmarked_means = forms.ChoiceField(
        choices=UnmarkedMeans.choices, label="An unmarked day means", widget=forms.RadioSelect
    )
