"""Forms for profiles, invitations, roles and escalation contacts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password

from accounts.models import EscalationContact, Role, Team, User
from accounts.validators import available_timezones, normalize_phone
from rota.text import validate_single_line

_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=_ZONE_CHOICES, help_text="Times are shown in this zone.")

    class Meta:
        model = User
        fields = ["display_name", "timezone", "oncall_phone", "notification_email"]

    def clean_oncall_phone(self) -> str:
        value = self.cleaned_data["oncall_phone"]
        return normalize_phone(value) if value else ""


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ENGINEER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class TeamSettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=_ZONE_CHOICES)

    class Meta:
        model = Team
        fields = ["name", "timezone", "require_mfa", "require_sso", "sso_domains"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not settings.SSO_ENABLED:
            # Without a provider nobody could meet the requirement: do not offer it.
            del self.fields["require_sso"]
            del self.fields["sso_domains"]


class EscalationContactForm(forms.ModelForm):
    class Meta:
        model = EscalationContact
        fields = ["name", "role", "phone", "email"]

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalize_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("name") and not (data.get("phone") or data.get("email")):
            raise forms.ValidationError("Give a phone number or an email address to reach them.")
        return data


EscalationFormSet = forms.formset_factory(
    EscalationContactForm, extra=2, can_delete=True, can_order=True, max_num=10
)


class AcceptInvitationForm(forms.Form):
    """Create an account while accepting an invitation."""

    display_name = forms.CharField(
        max_length=120, label="Your name", validators=[validate_single_line]
    )
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        elif data.get("password1"):
            try:
                validate_password(data["password1"], User(email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
