"""Forms of the cover app; times are read in the viewer's zone and checked against the shift."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms

from rota import bounds
from scheduling.cover.models import CoverSettings
from scheduling.rotas.models import Seat


class CantMakeItForm(forms.Form):
    """The whole shift or a part of it, and an optional reason."""

    PART_CHOICES = [("whole", "The whole shift"), ("part", "Only part of it")]

    part = forms.ChoiceField(choices=PART_CHOICES, widget=forms.RadioSelect, initial="whole")
    starts_at = forms.DateTimeField(
        label="From",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label="Until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Optional; your colleagues and manager see it.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. family emergency"}),
    )

    def __init__(self, *args, seat: Seat, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seat = seat

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("part") != "part":
            data["starts_at"] = data["ends_at"] = None
            return data
        start: datetime | None = data.get("starts_at")
        end: datetime | None = data.get("ends_at")
        shift = self.seat.shift
        if start is None or end is None:
            raise forms.ValidationError("Give the start and the end of the part you cannot make.")
        if end <= start:
            raise forms.ValidationError("The end must be after the start.")
        if start < shift.starts_at or end > shift.ends_at:
            raise forms.ValidationError("The part must lie inside the shift.")
        return data


class PartForm(forms.Form):
    """An optional part of a request's window, read in the viewer's zone."""

    starts_at = forms.DateTimeField(
        label="From",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label="Until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("starts_at")) != bool(data.get("ends_at")):
            raise forms.ValidationError("Give both the start and the end of the part, or neither.")
        return data


class TakeForm(PartForm):
    """Take the whole request, or only a part of it."""


class AssignForm(PartForm):
    """A manager puts someone on the request, or on a part of it ("Put Ravi on 09:00–13:00")."""

    user = bounds.IntegerField(widget=forms.HiddenInput)


class SwapForm(forms.Form):
    to_seat = forms.TypedChoiceField(label="Their shift", coerce=int)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, seats: list[Seat], tz, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["to_seat"]).choices = [
            (s.pk, f"{s.shift.starts_at.astimezone(tz):%a %-d %b %H:%M} · {s.role} · {h.name}")
            for s in seats
            if (h := s.holder) is not None
        ]


class CoverSettingsForm(forms.ModelForm):
    class Meta:
        model = CoverSettings
        fields = [
            "mode",
            "wait_hours",
            "broadcast_k",
            "escalate_hours_before",
            "urgent_within_hours",
        ]
        widgets = {"mode": forms.RadioSelect}

    def clean_wait_hours(self) -> float:
        value = self.cleaned_data["wait_hours"]
        if not 0.25 <= value <= 72:
            raise forms.ValidationError("Between a quarter of an hour and 72 hours.")
        return value

    def clean_broadcast_k(self) -> int:
        value = self.cleaned_data["broadcast_k"]
        if not 1 <= value <= 20:
            raise forms.ValidationError("Between 1 and 20 people.")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("escalate_hours_before", "urgent_within_hours"):
            if name in data and not 0 <= data[name] <= 24 * 14:
                self.add_error(name, "Between 0 and 336 hours.")
        return data
