"""Forms of the My calendar page."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from calendars.models import CalendarPreferences

DEFAULT_PUSH_CALENDAR = "On call"


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = CalendarPreferences
        fields = ["email_invites", "show_as_busy"]
        labels = {
            "email_invites": "Send me each shift as an email invitation",
            "show_as_busy": "Show shifts as busy",
        }


class PushForm(forms.Form):
    """Where to push shifts: an account Rota already reads availability from, or another one."""

    account = forms.TypedChoiceField(
        label="CalDAV account",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Reuse an account you connected for availability, or enter another below.",
    )
    server_url = forms.URLField(
        label="Server address",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://caldav.example.com/"}),
    )
    username = forms.CharField(label="User name", required=False, max_length=200)
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="An app password if your provider offers them. Stored encrypted.",
    )
    calendar_name = forms.CharField(
        label="Calendar",
        max_length=200,
        initial=DEFAULT_PUSH_CALENDAR,
        help_text="Rota uses the calendar with this name, and creates it if it is missing.",
    )

    def __init__(self, *args, accounts=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = {a.pk: a for a in accounts}
        cast(forms.TypedChoiceField, self.fields["account"]).choices = [
            ("", "Another account (enter it below)")
        ] + [(a.pk, f"{a.name} ({a.display_host or a.server_url})") for a in accounts]
        if not accounts:
            self.fields["account"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        account = self.accounts.get(data.get("account")) if data.get("account") else None
        if data.get("account") and account is None:
            self.add_error("account", "Pick one of your own calendar accounts.")
            return data
        if account is not None:
            data["server_url"], data["username"], data["password"] = (
                account.server_url,
                account.username,
                account.password,
            )
            name = (data.get("calendar_name") or "").strip().lower()
            if name and name == (account.calendar_name or "").strip().lower():
                # Shifts pushed there would come back as busy time in the availability import.
                self.add_error(
                    "calendar_name",
                    "Rota reads your availability from this calendar; "
                    "push shifts to a separate one, "
                    f"such as \u201c{DEFAULT_PUSH_CALENDAR}\u201d.",
                )
        else:
            for field in ("server_url", "username", "password"):
                if not data.get(field):
                    self.add_error(field, "Enter this, or pick an account you already connected.")
        return data


class CantMakeItForm(forms.Form):
    reason = forms.CharField(
        label="What happened? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your managers see this; keep private details out.",
    )
