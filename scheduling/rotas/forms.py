"""Forms of the rota pages."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import holidays
from django import forms

from rota import bounds
from scheduling.rotas.models import ROLE_CHOICES, RotaSettings, RotationTemplate, ShiftPattern


class PeriodForm(forms.Form):
    template = forms.ModelChoiceField(queryset=RotationTemplate.objects.none(), empty_label=None)
    starts_on = bounds.DateField(
        label="First day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = bounds.DateField(
        label="Last day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        template = cast(forms.ModelChoiceField, self.fields["template"])
        template.queryset = RotationTemplate.objects.filter(team=team, active=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first: date | None = data.get("starts_on")
        last: date | None = data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", "The last day must be on or after the first day.")
        return data


class AssignForm(forms.Form):
    user = bounds.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(
        required=False, min_value=0, max_value=2**31, widget=forms.HiddenInput
    )


class PublishForm(forms.Form):
    confirm_unfilled = forms.BooleanField(required=False, label="Publish with the empty seats")
    note = forms.CharField(required=False, max_length=300)


class RotaSettingsForm(forms.ModelForm):
    class Meta:
        model = RotaSettings
        fields = [
            "weekend_weight",
            "holiday_weight",
            "holiday_country",
            "min_rest_hours",
            "experienced_threshold",
            "require_experienced",
            "max_oncall_percent",
        ]
        labels = {"max_oncall_percent": "Most time on call (%)"}

    def clean_max_oncall_percent(self) -> int | None:
        value = self.cleaned_data["max_oncall_percent"]
        if value is not None and not 1 <= value <= 100:
            raise forms.ValidationError("Give a percentage from 1 to 100, or leave it blank.")
        return value

    def clean_holiday_country(self) -> str:
        code = self.cleaned_data["holiday_country"].strip().upper()
        if code and code not in holidays.list_supported_countries():
            raise forms.ValidationError(
                f"“{code}” is not a country the holidays package knows (try GB, US, SG)."
            )
        return code


class TemplateForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = RotationTemplate
        fields = [
            "name",
            "active",
            "kind",
            "handoff_time",
            "handoff_weekday",
            "length_days",
            "roles",
        ]
        widgets = {
            "handoff_time": forms.TimeInput(attrs={"type": "time"}),
            "handoff_weekday": forms.Select(
                choices=list(
                    enumerate(
                        [
                            "Monday",
                            "Tuesday",
                            "Wednesday",
                            "Thursday",
                            "Friday",
                            "Saturday",
                            "Sunday",
                        ]
                    )
                )
            ),
        }

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if "primary" not in roles:
            raise forms.ValidationError("Every shift needs a primary.")
        return [r for r, _ in ROLE_CHOICES if r in roles]


class PatternForm(forms.ModelForm):
    class Meta:
        model = ShiftPattern
        fields = ["label", "timezone", "start_time", "end_time"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }


PatternFormSet = forms.formset_factory(PatternForm, extra=1, can_delete=True, max_num=6)
