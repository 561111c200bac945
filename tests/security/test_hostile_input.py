"""Hostile input: forged and replayed links, bad uploads, private fetch targets, open redirects.

MFA, sign-in limits and the admin are in test_sign_in_guards.py; `manage.py check --deploy`
with production-like settings is tested once, in
tests/rota/test_startup.py::test_check_deploy_is_clean_with_production_variables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rota.links import SALT
from scheduling.availability.models import BusyBlock, CalendarConnection
from scheduling.cover.ask_links import ask_url, swap_url
from scheduling.requirements.models import Completion, Kind
from tests.factories import PASSWORD
from tests.requirements.factories import RequirementFactory
from tests.security import sweep
from tests.security.conftest import PDF, World

pytestmark = pytest.mark.django_db

# --- signed links -------------------------------------------------------------------------------

# link type → (URL name, a function returning the path of the engineer's link)
LINKS: dict[str, tuple[str, Callable[[World], str]]] = {
    "cant_make_it": ("calendars:link", lambda w: w.cant_make_it_link()),
    "cover_agree": ("cover:link", lambda w: w.ask_link()),
    "cover_decline": ("cover:link", lambda w: _ask(w, "cover_decline")),
    "swap_accept": ("cover:swap_link", lambda w: w.swap_link()),
    "swap_decline": ("cover:swap_link", lambda w: _swap(w, "swap_decline")),
}
# What each view calls a link signed in as someone else.
WRONG_PERSON = {"calendars:link": 400, "cover:link": 403, "cover:swap_link": 403}


def _ask(world: World, action: str) -> str:
    return ask_url(world.ask, action, absolute=False)


def _swap(world: World, action: str) -> str:
    return swap_url(world.swap, action, absolute=False)


def _forge(token: str, **signing_options: str) -> str:
    """Re-sign the token's payload with another key or salt, as an attacker could."""
    payload = signing.loads(token, salt=SALT)
    return signing.dumps(payload, compress=True, **signing_options)


def _flip(token: str) -> str:
    """Change one character of the signature."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _answer_both_ways(client: Client, url: str) -> tuple[int, int]:
    return client.get(url).status_code, client.post(url, {"reason": "Ill"}).status_code


@pytest.mark.parametrize("kind", sorted(LINKS))
def test_a_changed_or_forged_link_is_refused_and_changes_nothing(world, kind):
    name, path_of = LINKS[kind]
    token = sweep.last_segment(path_of(world))
    before = sweep.fingerprint()
    for bad in (
        _flip(token),
        _forge(token, key="attacker-" + "x" * 50, salt=SALT),
        _forge(token),  # the right key, but a signature made for another purpose
        token[: len(token) // 2],
        "",
    ):
        if not bad:
            continue
        assert _answer_both_ways(Client(), reverse(name, args=[bad])) == (400, 400), bad
    assert sweep.changed(before, sweep.fingerprint()) == []


@pytest.mark.parametrize("kind", sorted(LINKS))
def test_an_expired_link_is_refused_and_changes_nothing(world, kind):
    name, path_of = LINKS[kind]
    path = path_of(world)
    before = sweep.fingerprint()
    expires = signing.loads(sweep.last_segment(path), salt=SALT)["e"]
    with time_machine.travel(expires + 60, tick=False):
        assert _answer_both_ways(Client(), path) == (410, 410)
    assert sweep.changed(before, sweep.fingerprint()) == []


@pytest.mark.parametrize("kind", sorted(LINKS))
def test_a_link_used_for_another_kind_of_decision_is_refused(world, kind):
    name, path_of = LINKS[kind]
    token = sweep.last_segment(path_of(world))
    before = sweep.fingerprint()
    for other in {"calendars:link", "cover:link", "cover:swap_link"} - {name}:
        assert _answer_both_ways(Client(), reverse(other, args=[token])) == (400, 400), other
    assert sweep.changed(before, sweep.fingerprint()) == []


@pytest.mark.parametrize("kind", sorted(LINKS))
def test_someone_elses_link_is_refused_in_my_session(world, kind, manager, client_for):
    name, path_of = LINKS[kind]
    path = path_of(world)
    client = client_for(manager)
    before = sweep.fingerprint()
    assert _answer_both_ways(client, path) == (WRONG_PERSON[name], WRONG_PERSON[name])
    assert sweep.changed(before, sweep.fingerprint()) == []


def test_a_decision_is_taken_once_even_through_its_sibling_link(world):
    accept, decline = world.swap_link(), _swap(world, "swap_decline")
    assert Client().post(accept, {}).status_code == 200
    world.swap.refresh_from_db()
    assert world.swap.state == "accepted"
    before = sweep.fingerprint()
    assert Client().post(accept, {}).status_code == 200  # "Nothing to do": it is answered
    assert Client().post(decline, {}).status_code == 200
    assert sweep.changed(before, sweep.fingerprint()) == []


# --- uploads ------------------------------------------------------------------------------------


@pytest.fixture
def certificate(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return RequirementFactory(team=team, title="Certificate", kind=Kind.EVIDENCE)


def _upload(client: Client, certificate, name: str, content: bytes):
    url = reverse("requirements:evidence", args=[certificate.team.slug, certificate.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cert.pdf", PDF + b"0" * 2048, "the limit is"),
        ("cert.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "not really a PDF"),
        ("cert.png", PDF, "not really a PNG"),
        ("cert.pdf", b"<html><script>alert(document.cookie)</script></html>", "not really a PDF"),
        (
            "page.html",
            b"<html><script>alert(1)</script></html>",
            "Upload a JPEG, JPG, PDF, PNG file",
        ),
        ("image.svg", b"<svg onload='alert(1)'/>", "Upload a JPEG, JPG, PDF, PNG file"),
        ("cert.pdf.exe", PDF, "Upload a JPEG, JPG, PDF, PNG file"),
    ],
    ids=["oversized", "png-as-pdf", "pdf-as-png", "html-as-pdf", "html", "svg", "double-extension"],
)
def test_a_bad_upload_is_a_form_error_and_nothing_is_stored(
    certificate, engineer_client, settings, tmp_path, name, content, message
):
    settings.MAX_UPLOAD_BYTES = 1024
    response = _upload(engineer_client, certificate, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Completion.objects.exists()
    assert _stored_files(tmp_path) == []


def test_a_path_in_the_file_name_cannot_leave_the_media_folder(
    certificate, engineer, engineer_client, manager_client, tmp_path
):
    response = _upload(engineer_client, certificate, "../../../../outside/evil.pdf", PDF)
    assert response.status_code == 302
    completion = Completion.objects.get(user=engineer)
    stored = Path(completion.evidence_file.path).resolve()
    assert stored.is_relative_to((tmp_path / "media").resolve())
    assert [path.name for path in _stored_files(tmp_path)] == [stored.name]
    assert "/" not in completion.evidence_name and ".." not in completion.evidence_name
    download = manager_client.get(
        reverse("requirements:file", args=[certificate.team.slug, completion.pk])
    )
    assert "../" not in download["Content-Disposition"]


def test_a_pdf_carrying_html_is_only_ever_downloaded_as_a_pdf(
    certificate, engineer, engineer_client, manager_client
):
    polyglot = PDF + b"<html><script>alert(document.cookie)</script></html>"
    assert _upload(engineer_client, certificate, "cert.pdf", polyglot).status_code == 302
    completion = Completion.objects.get(user=engineer)
    response = manager_client.get(
        reverse("requirements:file", args=[certificate.team.slug, completion.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


# --- the URL-fetch guard for calendar connections -----------------------------------------------

PRIVATE_ADDRESSES = [
    "http://10.0.0.1/calendar.ics",
    "http://172.16.5.4/calendar.ics",
    "http://192.168.1.1/calendar.ics",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/calendar.ics",
    "http://[fd00::1]/calendar.ics",
    "http://[::ffff:10.0.0.1]/calendar.ics",
    "http://0.0.0.0/calendar.ics",
    "http://2130706433/calendar.ics",  # 127.0.0.1 written as a number
    "webcal://127.0.0.1/calendar.ics",
    "http://localhost/calendar.ics",
    "http://[::1]/calendar.ics",
]


@pytest.mark.parametrize("url", PRIVATE_ADDRESSES)
def test_a_calendar_at_a_private_address_is_refused(engineer_client, settings, url):
    settings.URL_FETCH_ALLOW = []  # as in production: loopback is not allowed either
    ics = engineer_client.post(reverse("availability:add_ics"), {"name": "Mine", "url": url})
    caldav = engineer_client.post(
        reverse("availability:add_caldav"),
        {
            "name": "Mine",
            "server_url": url.replace("webcal", "http"),
            "username": "a",
            "password": "b",
        },
    )
    assert ics.status_code == 400 and caldav.status_code == 400
    assert not CalendarConnection.objects.exists()


def test_loopback_without_the_allow_list_is_never_contacted(engineer_client, settings, ics_server):
    settings.URL_FETCH_ALLOW = []
    url = ics_server.serve("/calendar.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    response = engineer_client.post(reverse("availability:add_ics"), {"name": "Mine", "url": url})
    caldav = engineer_client.post(
        reverse("availability:add_caldav"),
        {"name": "Mine", "server_url": url, "username": "alice", "password": "x"},
    )
    assert response.status_code == 400 and caldav.status_code == 400
    assert "private or reserved" in response.content.decode()
    assert ics_server.requests == []
    assert not CalendarConnection.objects.exists()


def test_a_redirect_to_a_private_address_is_not_followed(
    engineer, engineer_client, ics_server, django_capture_on_commit_callbacks
):
    url = ics_server.serve(
        "/calendar.ics", b"", status=302, headers={"Location": "http://169.254.169.254/latest/"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        engineer_client.post(reverse("availability:add_ics"), {"name": "Mine", "url": url})
    connection = CalendarConnection.objects.get(user=engineer)
    assert "private or reserved" in connection.last_error
    assert ics_server.requests == ["/calendar.ics"]
    assert not BusyBlock.objects.exists()


# --- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_a_next_address_never_leaves_the_site(team, engineer, engineer_client, target):
    requirement = RequirementFactory(team=team)
    response = engineer_client.post(
        reverse("requirements:attest", args=[team.slug, requirement.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    login = Client().post(
        reverse("account_login") + f"?next={target}",
        {"login": engineer.email, "password": PASSWORD},
    )
    assert login.status_code == 302
    assert "evil.example" not in login["Location"]
