"""The development mailbox keeps every email, prints one line each and lists them at /dev/mail/."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "rota.devmail.backend.EmailBackend"
    settings.DEV_MAIL_DIR = tmp_path / "mail"
    settings.SITE_URL = "http://127.0.0.1:8000"
    return tmp_path / "mail"


def _send() -> None:
    mail.send_mail(
        "[Rota] Can you cover Sun 6 Dec 09:00 primary – for Oliver?",
        "Hello Ravi,\n\nAgree or decline: http://127.0.0.1:8000/c/cover/abc123/\n",
        "Rota <rota@localhost>",
        ["ravi@example.com"],
    )


def test_each_email_is_kept_and_printed_as_one_line_with_its_decoded_subject(mailbox, capsys):
    _send()
    kept = list(mailbox.glob("*.eml"))
    assert len(kept) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "Mail to ravi@example.com · [Rota] Can you cover Sun 6 Dec 09:00 primary – for Oliver?"
        f" · http://127.0.0.1:8000/dev/mail/{kept[0].stem}/"
    ]


@pytest.mark.urls("tests.rota.devmail_urls")
def test_signed_in_people_read_the_emails_with_working_links(mailbox, engineer_client):
    _send()
    mail_id = next(mailbox.glob("*.eml")).stem
    listing = engineer_client.get("/dev/mail/").content.decode()
    assert "Can you cover Sun 6 Dec 09:00 primary – for Oliver?" in listing
    assert f'href="/dev/mail/{mail_id}/"' in listing
    page = engineer_client.get(f"/dev/mail/{mail_id}/").content.decode()
    assert "ravi@example.com" in page
    assert '<a href="http://127.0.0.1:8000/c/cover/abc123/"' in page
    assert Client().get("/dev/mail/").status_code == 302  # signed-in people only
    assert engineer_client.get("/dev/mail/20260101T000000-00000000/").status_code == 404
    assert engineer_client.get("/dev/mail/..%2F..%2Fsecret/").status_code == 404
    engineer_client.post("/dev/mail/clear/")
    assert list(mailbox.glob("*.eml")) == []


def test_the_mailbox_is_not_routed_without_debug(mailbox, engineer_client):
    assert engineer_client.get("/dev/mail/").status_code == 404
