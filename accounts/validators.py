"""Validators for time zones and phone numbers."""

from __future__ import annotations

import re
import zoneinfo

from django.core.exceptions import ValidationError

_PHONE_STRIP = re.compile(r"[\s().\-]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def validate_timezone(value: str) -> None:
    """Reject names that zoneinfo does not know."""
    if value not in available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone; use a name like Europe/London.",
            params={"value": value},
            code="invalid_timezone",
        )


def available_timezones() -> set[str]:
    """Return the time zone names zoneinfo can load."""
    return _ZONES


def normalize_phone(value: str) -> str:
    """Return the phone number in E.164 form, or raise ValidationError."""
    compact = _PHONE_STRIP.sub("", value or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.match(compact):
        raise ValidationError(
            "Enter the number in international form with the country code, e.g. +44 20 7946 0958.",
            code="invalid_phone",
        )
    return compact


def validate_phone(value: str) -> None:
    """Reject phone numbers that are not in international form."""
    normalize_phone(value)


_ZONES = {name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"}


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def validate_email_domains(value: str) -> None:
    """Accept a comma-separated list of domain names such as "example.com, example.org"."""
    for domain in (d.strip().lower() for d in (value or "").split(",")):
        if domain and not _DOMAIN.match(domain):
            raise ValidationError(
                "“%(value)s” is not a domain name such as example.com.",
                params={"value": domain[:60]},
                code="invalid_domain",
            )
