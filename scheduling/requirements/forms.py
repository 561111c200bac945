"""Forms for defining requirements, sending evidence and deciding requests."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from accounts.models import Team, User
from rota import bounds
from scheduling.requirements.automatic import get_check, registered_checks
from scheduling.requirements.models import AppliesTo, Kind, Requirement
from scheduling.requirements.state import ROLES, STATE_LABELS, State
from scheduling.requirements.uploads import validate_evidence


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of team members, shown by name."""

    def label_from_instance(self, obj: User) -> str:
        return obj.name


class RequirementForm(forms.ModelForm):
    check_key = forms.ChoiceField(label="Automatic check", required=False)
    count = bounds.IntegerField(
        label="N (for checks that count something)", required=False, min_value=1, max_value=100
    )
    approver = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="A team member who may approve requests, besides the managers (approval kind).",
    )

    class Meta:
        model = Requirement
        fields = [
            "title",
            "description",
            "instructions",
            "link",
            "kind",
            "applies_to",
            "validity_days",
            "check_key",
            "approver",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        approver = cast(forms.ModelChoiceField, self.fields["approver"])
        approver.queryset = User.objects.filter(memberships__team=team).order_by("display_name")
        choices = [("", "—")] + [(check.key, check.label) for check in registered_checks()]
        current = self.instance.check_key if self.instance.pk else ""
        if current and get_check(current) is None:
            # Keep the saved choice visible even when the app providing it is gone.
            choices.append((current, f"{current} (not available)"))
        cast(forms.ChoiceField, self.fields["check_key"]).choices = choices
        self.fields["count"].initial = (self.instance.params or {}).get("count")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        key = data.get("check_key") or ""
        if kind == Kind.AUTOMATIC:
            check = get_check(key)
            if check is None:
                self.add_error("check_key", "Choose which automatic check Rota runs.")
            elif "count" in check.params and not data.get("count"):
                self.add_error("count", "This check needs a number.")
        else:
            data["check_key"] = ""
        if kind != Kind.APPROVAL:
            data["approver"] = None
        return data

    def requirement_fields(self) -> dict:
        """Return the cleaned values as keyword arguments for the services."""
        data = self.cleaned_data
        check = get_check(data.get("check_key") or "")
        params = (
            {"count": data["count"]}
            if check and "count" in check.params and data.get("count")
            else {}
        )
        fields = {name: data.get(name) for name in self.Meta.fields}
        fields["check_key"] = data.get("check_key") or ""
        fields["params"] = params
        for text in ("description", "instructions", "link"):
            fields[text] = fields[text] or ""
        return fields


class EvidenceForm(forms.Form):
    file = forms.FileField(required=False, help_text="PDF, PNG or JPEG.")
    link = forms.URLField(required=False, label="or a link", assume_scheme="https")
    note = forms.CharField(required=False, max_length=500)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_evidence(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not data.get("file") and not data.get("link"):
            raise forms.ValidationError("Upload a file or give a link.")
        return data


class RequestForm(forms.Form):
    note = forms.CharField(required=False, max_length=500)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    comment = forms.CharField(required=False, max_length=1000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", "Say why, so they know what to do next.")
        return data


class MatrixFilterForm(forms.Form):
    state = forms.ChoiceField(
        required=False, choices=[("", "Any state")] + [(s.value, STATE_LABELS[s]) for s in State]
    )
    requirement = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(
        required=False, choices=[("", "Any role")] + [(r, r.title()) for r in ROLES]
    )

    def __init__(self, *args, requirements: list[Requirement], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        requirement = cast(forms.TypedChoiceField, self.fields["requirement"])
        requirement.choices = [("", "All requirements")] + [(r.pk, r.title) for r in requirements]


__all__ = [
    "AppliesTo",
    "DecisionForm",
    "EvidenceForm",
    "MatrixFilterForm",
    "RequestForm",
    "RequirementForm",
]
