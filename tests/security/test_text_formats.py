"""Text that leaves Rota cannot break its format: ICS lines, email headers, CSV cells, names."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.urls import reverse

from accounts.models import Team, User
from calendars import ical
from rota.mail import make_headers_safe
from rota.text import csv_cell, one_line, validate_single_line

HOSTILE = ["Ann\rBob", "Ann\nBob", "Ann\r\nBob", "Ann\x00Bob", "Ann\x0bBob", "Ann\u2028Bob"]
NOW = datetime(2027, 1, 10, 12, tzinfo=UTC)


def _event(**kwargs: str) -> ical.EventData:
    values = dict(
        uid="seat-1@rota.example",
        sequence=1,
        start=NOW,
        end=NOW + timedelta(hours=8),
        tzid="Europe/London",
        summary="On call",
        description="Role: Primary",
        changed_at=NOW,
        created_at=NOW,
    )
    values.update(kwargs)
    return ical.EventData(**values)


def _lines_are_sound(text: str) -> None:
    """Every line ends in CRLF; no other control character but HTAB is left anywhere."""
    assert text.endswith("\r\n")
    for line in text.split("\r\n"):
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", line), repr(line)


@pytest.mark.parametrize("name", HOSTILE)
def test_ics_text_escapes_every_control_character(name):
    text = ical.feed(
        [_event(summary=f"On call: {name}", description=f"Partner: {name}")], name=name
    ).decode()
    _lines_are_sound(text)
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["summary"]).startswith("On call: Ann")
    assert str(event["summary"]).endswith("Bob")


@pytest.mark.parametrize("name", [*HOSTILE, 'Ann "B" \t Bob'])
def test_ics_parameters_hold_no_control_character(name):
    text = ical.itip(
        _event(), organizer=(name, "rota@example.com"), attendee=(name, "ann@example.com")
    ).decode()
    _lines_are_sound(text)
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert event["attendee"].params["CN"].startswith("Ann")
    assert str(event["attendee"]) == "mailto:ann@example.com"


@pytest.mark.parametrize("name", HOSTILE + ["Ann\tBob", "Ann\x85Bob"])
def test_names_refuse_control_characters(name):
    with pytest.raises(ValidationError):
        validate_single_line(name)
    team = Team(name=name, slug="x", timezone="Europe/London")
    with pytest.raises(ValidationError) as raised:
        team.clean_fields()
    assert "name" in raised.value.message_dict
    assert one_line(name) == "Ann Bob"


def test_ordinary_names_pass():
    for name in ("Zoë Ångström", "O'Brien-Smith", "李小龙", "Payments (EU)"):
        validate_single_line(name)
        assert one_line(name) == name


@pytest.mark.django_db
def test_the_profile_form_refuses_a_newline_in_the_display_name(engineer, engineer_client):
    response = engineer_client.post(
        reverse("profile"),
        {"display_name": "Eddie\nEvil", "timezone": "Europe/London", "oncall_phone": ""},
    )
    assert response.status_code in (200, 400)
    assert "control characters" in response.content.decode()
    engineer.refresh_from_db()
    assert "\n" not in engineer.display_name


@pytest.mark.django_db
def test_the_team_settings_form_refuses_a_carriage_return(team, manager_client):
    response = manager_client.post(
        reverse("team_settings", args=[team.slug]),
        {"name": "Pay\rments", "timezone": "Europe/London"},
    )
    assert response.status_code in (200, 400)
    team.refresh_from_db()
    assert team.name == "Payments"


def test_every_mail_header_is_made_one_line():
    message = EmailMessage(
        subject="[Rota] Ann\r\nBcc: victim@example.com",
        body="Hello",
        from_email="Rota <rota@example.com>",
        to=["Ann\nBob <ann@example.com>"],
        headers={"X-Team": "Pay\rments"},
    )
    make_headers_safe(message)
    parsed = message.message()  # Django raises BadHeaderError on a line break
    assert parsed["Subject"] == "[Rota] Ann Bcc: victim@example.com"
    assert parsed["X-Team"] == "Pay ments"
    assert "Bcc" not in dict(parsed.items())


@pytest.mark.django_db
def test_a_newline_in_team_and_person_names_does_not_fail_the_action_after_saving(
    world, engineer, client_for, django_capture_on_commit_callbacks
):
    """Names saved before the validator existed (or by a script) must not break the mail."""
    Team.objects.filter(pk=world.period.team_id).update(name="Pay\nments")
    User.objects.filter(pk=engineer.pk).update(display_name="Eddie\r\nEngineer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(engineer).post(world.cant_make_it_link(), {"reason": "Ill"})
    assert response.status_code == 302
    assert mail.outbox, "the managers are told"
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        message.message()  # serialises without BadHeaderError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("-1.50", "-1.50"),  # a number stays a number
        ("Ann", "Ann"),
        (3, 3),
    ],
)
def test_csv_cells_are_neutralised(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.django_db
def test_the_report_csv_neutralises_a_formula_name(team, manager, manager_client):
    User.objects.filter(pk=manager.pk).update(display_name='=HYPERLINK("http://evil")')
    response = manager_client.get(
        reverse("oncall:report_csv", args=[team.slug]) + "?start=2026-03-01&end=2026-03-31"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
