"""Pages and actions over HTTP: access, bad input, the panel, the matrix and its query count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.requirements.models import Completion, Kind, Requirement, Status
from tests.factories import MembershipFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory
from tests.requirements.test_actions import PDF, PNG

BASE = "/teams/payments/requirements"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_dashboard_panel_lists_requirements_with_actions(team, engineer, engineer_client):
    RequirementFactory(team=team, title="Read the runbook")
    RequirementFactory(team=team, title="Prod access", kind=Kind.APPROVAL)
    RequirementFactory(team=team, title="Certificate", kind=Kind.EVIDENCE)
    page = engineer_client.get("/").content.decode()
    assert "Ready for on-call" in page
    assert f'action="{BASE}/' in page
    assert "I confirm" in page and "Request approval" in page and "Send evidence" in page
    assert "Shadow" in page and "No primary" in page


def test_attest_from_the_dashboard_redirects_back(team, engineer, engineer_client):
    runbook = RequirementFactory(team=team)
    response = engineer_client.post(f"{BASE}/{runbook.pk}/attest/", {"next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert Completion.objects.filter(user=engineer, status=Status.ACCEPTED).count() == 1
    response = engineer_client.post(
        f"{BASE}/{runbook.pk}/attest/", {"next": "https://evil.example/"}
    )
    assert response.url == f"{BASE}/"


def test_get_is_not_allowed_for_actions(team, engineer_client):
    runbook = RequirementFactory(team=team)
    assert engineer_client.get(f"{BASE}/{runbook.pk}/attest/").status_code == 405


def test_double_submit_over_http_creates_one_request(team, engineer, engineer_client):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    for _ in range(2):
        engineer_client.post(f"{BASE}/{access.pk}/request/", {"note": "please"})
    assert Completion.objects.filter(requirement=access, user=engineer).count() == 1


def test_engineer_cannot_approve(team, engineer, engineer_client):
    other = MembershipFactory(team=team).user
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = CompletionFactory(
        requirement=access, user=other, status=Status.PENDING, valid_from=None
    )
    response = engineer_client.post(
        f"{BASE}/requests/{request.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403
    assert Completion.objects.get(pk=request.pk).status == Status.PENDING


def test_manager_cannot_approve_own_request(team, manager, manager_client):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = CompletionFactory(
        requirement=access, user=manager, status=Status.PENDING, valid_from=None
    )
    response = manager_client.post(f"{BASE}/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    assert "own request" in response.content.decode()
    assert Completion.objects.get(pk=request.pk).status == Status.PENDING


def test_manager_approves_and_rejection_needs_a_comment(team, engineer, manager_client):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = CompletionFactory(
        requirement=access, user=engineer, status=Status.PENDING, valid_from=None
    )
    url = f"{BASE}/requests/{request.pk}/decide/"
    manager_client.post(url, {"decision": "reject", "comment": ""})
    assert Completion.objects.get(pk=request.pk).status == Status.PENDING
    response = manager_client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert Completion.objects.get(pk=request.pk).status == Status.ACCEPTED


def test_outsiders_get_404(team, engineer, outsider_client):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = CompletionFactory(
        requirement=access, user=engineer, status=Status.PENDING, valid_from=None
    )
    assert outsider_client.get(f"{BASE}/").status_code == 404
    assert (
        outsider_client.post(
            f"{BASE}/requests/{request.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 404
    )
    assert outsider_client.post(f"{BASE}/{access.pk}/request/").status_code == 404


def test_engineer_gets_403_on_manager_pages(team, engineer_client):
    runbook = RequirementFactory(team=team)
    assert engineer_client.get(f"{BASE}/new/").status_code == 403
    assert engineer_client.post(f"{BASE}/{runbook.pk}/new-version/").status_code == 403
    assert engineer_client.post(f"{BASE}/{runbook.pk}/archive/").status_code == 403


def test_upload_evidence_and_who_may_see_it(
    team, engineer, manager, engineer_client, manager_client, outsider_client, client_for, _media
):
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE)
    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    response = engineer_client.post(
        f"{BASE}/{certificate.pk}/evidence/", {"file": upload, "next": "/"}
    )
    assert response.status_code == 302
    evidence = Completion.objects.get(requirement=certificate)
    url = f"{BASE}/requests/{evidence.pk}/file/"
    for client in (engineer_client, manager_client):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
    teammate = client_for(MembershipFactory(team=team).user)
    assert teammate.get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404
    assert (
        outsider_client.get(
            f"/teams/elsewhere/requirements/requests/{evidence.pk}/file/"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cert.exe", PDF, "Upload a"),
        ("cert.pdf", PNG, "not really a PDF"),
        ("cert.png", b"<svg></svg>", "not really a PNG"),
    ],
)
def test_wrong_type_upload_is_a_form_error_and_nothing_is_stored(
    team, engineer_client, _media, name, content, message
):
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE)
    upload = SimpleUploadedFile(name, content)
    response = engineer_client.post(f"{BASE}/{certificate.pk}/evidence/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was stored" in response.content.decode()
    assert not Completion.objects.exists()
    assert files_in(_media) == []


def test_oversized_upload_is_a_form_error_and_nothing_is_stored(
    team, engineer_client, settings, _media
):
    settings.MAX_UPLOAD_BYTES = 2048
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE)
    upload = SimpleUploadedFile("cert.pdf", PDF + b"0" * 4096)
    response = engineer_client.post(f"{BASE}/{certificate.pk}/evidence/", {"file": upload})
    assert response.status_code == 400
    assert "the limit is 2.0" in response.content.decode()
    assert not Completion.objects.exists()
    assert files_in(_media) == []


def test_evidence_link_needs_no_file(team, engineer, engineer_client):
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE)
    engineer_client.post(f"{BASE}/{certificate.pk}/evidence/", {"link": "https://badge.example/1"})
    assert Completion.objects.get().evidence_link == "https://badge.example/1"
    response = engineer_client.post(f"{BASE}/{certificate.pk}/evidence/", {})
    assert response.status_code == 400


def test_manager_creates_edits_versions_and_archives(team, manager, manager_client):
    data = {
        "title": "Runbook",
        "kind": "attestation",
        "applies_to": "primary",
        "validity_days": "30",
        "description": "",
        "instructions": "Read it",
        "link": "https://wiki.example/rb",
    }
    response = manager_client.post(f"{BASE}/new/", data)
    assert response.status_code == 302
    runbook = Requirement.objects.get(team=team)
    assert (runbook.applies_to, runbook.validity_days) == ("primary", 30)
    manager_client.post(f"{BASE}/{runbook.pk}/edit/", {**data, "validity_days": ""})
    runbook.refresh_from_db()
    assert runbook.validity_days is None
    manager_client.post(f"{BASE}/{runbook.pk}/new-version/")
    runbook.refresh_from_db()
    assert runbook.version == 2
    manager_client.post(f"{BASE}/{runbook.pk}/archive/")
    assert not Requirement.objects.active().exists()
    response = manager_client.post(f"{BASE}/new/", {**data, "title": ""})
    assert response.status_code == 400


def test_matrix_shows_states_and_filters(team, engineer, manager, manager_client):
    runbook = RequirementFactory(team=team, title="Runbook", applies_to="primary")
    RequirementFactory(team=team, title="Pager", applies_to="secondary")
    CompletionFactory(requirement=runbook, user=engineer)
    page = manager_client.get(f"{BASE}/").content.decode()
    assert 'data-person="Eddie Engineer"' in page and 'data-person="Maya Manager"' in page
    page = manager_client.get(f"{BASE}/?state=met").content.decode()
    assert 'data-person="Eddie Engineer"' in page and 'data-person="Maya Manager"' not in page
    page = manager_client.get(f"{BASE}/?role=secondary").content.decode()
    assert "<th" in page and ">Runbook<br>" not in page and ">Pager<br>" in page


def _matrix_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{BASE}/").status_code == 200
    return len(queries)


def test_matrix_runs_constant_queries_for_10_and_100_members(team, manager, manager_client):
    requirements = [
        RequirementFactory(team=team, kind=Kind.ATTESTATION, validity_days=30),
        RequirementFactory(team=team, kind=Kind.APPROVAL),
        RequirementFactory(team=team, kind=Kind.EVIDENCE),
        RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="oncall_phone"),
        RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="mfa_enabled"),
    ]

    def add_members(count: int) -> None:
        for n in range(count):
            user = MembershipFactory(team=team).user
            CompletionFactory(requirement=requirements[n % 3], user=user)
            CompletionFactory(
                requirement=requirements[1], user=user, status=Status.PENDING, valid_from=None
            )

    add_members(9)
    ten = _matrix_queries(manager_client)
    add_members(90)
    hundred = _matrix_queries(manager_client)
    assert ten == hundred


def test_named_approver_sees_the_queue_and_decides(team, engineer, client_for):
    approver = MembershipFactory(team=team).user
    access = RequirementFactory(team=team, kind=Kind.APPROVAL, approver=approver)
    request = CompletionFactory(
        requirement=access, user=engineer, status=Status.PENDING, valid_from=None
    )
    client = client_for(approver)
    assert "1 request waiting for your decision" in client.get("/").content.decode()
    assert f"{BASE}/requests/{request.pk}/decide/" in client.get(f"{BASE}/").content.decode()
    response = client.post(f"{BASE}/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    assert Completion.objects.get(pk=request.pk).status == Status.ACCEPTED


def test_evidence_is_verified_by_managers_only(team, engineer, client_for):
    approver = MembershipFactory(team=team).user
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE, approver=approver)
    evidence = CompletionFactory(
        requirement=certificate, user=engineer, status=Status.PENDING, valid_from=None
    )
    response = client_for(approver).post(
        f"{BASE}/requests/{evidence.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403


def test_panel_shows_each_team(team, engineer, engineer_client, other_team):
    MembershipFactory(team=other_team, user=engineer)
    RequirementFactory(team=team, title="Payments runbook")
    RequirementFactory(team=other_team, title="Elsewhere runbook")
    page = engineer_client.get("/").content.decode()
    assert "Payments runbook" in page and "Elsewhere runbook" in page
    assert "/teams/elsewhere/requirements/" in page
