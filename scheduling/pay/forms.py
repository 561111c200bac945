"""Forms of the pay pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from scheduling.pay.models import PayPolicy, PayRate
from scheduling.rotas.models import ROLES


class MonthForm(forms.Form):
    """A month in the query string, e.g. ?month=2027-03."""

    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def month_or(self, default: date) -> date:
        if not self.is_valid() or not self.cleaned_data["month"]:
            return default
        year, month = map(int, self.cleaned_data["month"].split("-"))
        if not 2000 <= year <= 2100:
            return default
        return date(year, month, 1)


class PolicyForm(forms.ModelForm):
    """Pay rules from a day on, with a rate for each role."""

    class Meta:
        model = PayPolicy
        fields = [
            "effective_from",
            "currency",
            "weekend_multiplier",
            "holiday_multiplier",
            "night_multiplier",
            "night_starts",
            "night_ends",
            "monthly_cap",
        ]
        labels = {
            "effective_from": "Applies from",
            "weekend_multiplier": "Weekend multiplier",
            "holiday_multiplier": "Public holiday multiplier",
            "night_multiplier": "Night multiplier",
            "night_starts": "Night starts",
            "night_ends": "Night ends",
            "monthly_cap": "Monthly cap per person",
        }
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "night_starts": forms.TimeInput(attrs={"type": "time"}),
            "night_ends": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for role in ROLES:
            self.fields[f"{role}_amount"] = forms.DecimalField(
                label=f"{role.capitalize()} rate",
                min_value=Decimal(0),
                max_digits=10,
                decimal_places=2,
                required=role != "shadow",
                initial=Decimal(0),
            )
            self.fields[f"{role}_unit"] = forms.ChoiceField(
                label=f"{role.capitalize()} paid", choices=PayRate.Unit.choices
            )

    def clean_currency(self) -> str:
        code = self.cleaned_data["currency"].strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError("Use the three-letter code, e.g. GBP, EUR or USD.")
        return code

    def clean_effective_from(self) -> date:
        day = self.cleaned_data["effective_from"]
        if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
            raise forms.ValidationError("Pick a day between 2000 and 2100.")
        return day

    def rates(self) -> dict[str, tuple[str, Decimal]]:
        data = self.cleaned_data
        return {
            role: (data[f"{role}_unit"], data[f"{role}_amount"] or Decimal(0))
            for role in ROLES
            if data.get(f"{role}_amount") is not None
        }

    def multipliers(self) -> dict:
        keys = self.Meta.fields[2:]
        return {key: self.cleaned_data[key] for key in keys}
