"""Requesting, uploading, approving and rejecting: services, audit entries and emails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEntry
from scheduling.requirements import services
from scheduling.requirements.models import Completion, Kind, Status
from scheduling.requirements.state import State, load_standing
from tests.factories import MembershipFactory
from tests.requirements.factories import RequirementFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def state_of(team, user, requirement):
    cells = load_standing(team=team, users=[user]).cells(user.pk)
    return next(c for c in cells if c.requirement.pk == requirement.pk).state


def test_request_then_approve(team, engineer, manager, django_capture_on_commit_callbacks):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL, validity_days=90)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_approval(requirement=access, user=engineer, note="Trained")
    assert state_of(team, engineer, access) == State.PENDING
    assert [m.to for m in mail.outbox] == [[manager.contact_email]]
    assert "Eddie Engineer asks for" in mail.outbox[0].subject
    with (
        time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.decide(completion=request, by=manager, approve=True, comment="ok", is_manager=True)
    request.refresh_from_db()
    assert (request.status, request.valid_from, request.valid_until) == (
        Status.ACCEPTED,
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 29),
    )
    assert mail.outbox[-1].to == [engineer.contact_email]
    assert "approved" in mail.outbox[-1].subject
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["requirement.requested", "requirement.approved"]


def test_reject_tells_the_engineer_with_the_comment(
    team, engineer, manager, django_capture_on_commit_callbacks
):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = services.request_approval(requirement=access, user=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            completion=request,
            by=manager,
            approve=False,
            comment="Finish training",
            is_manager=True,
        )
    assert state_of(team, engineer, access) == State.NOT_MET
    assert "not approved" in mail.outbox[-1].subject
    assert "Finish training" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="requirement.rejected", actor=manager).exists()
    with pytest.raises(services.AlreadyDecided):
        services.decide(completion=request, by=manager, approve=True, is_manager=True)


def test_named_approver_gets_the_email_and_may_approve(
    team, engineer, django_capture_on_commit_callbacks
):
    approver = MembershipFactory(team=team).user
    access = RequirementFactory(team=team, kind=Kind.APPROVAL, approver=approver)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_approval(requirement=access, user=engineer)
    assert [m.to for m in mail.outbox] == [[approver.contact_email]]
    services.decide(completion=request, by=approver, approve=True, is_manager=False)
    assert state_of(team, engineer, access) == State.MET


def test_nobody_decides_their_own_request_not_even_a_manager(team, manager):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = services.request_approval(requirement=access, user=manager)
    with pytest.raises(services.NotAllowed):
        services.decide(completion=request, by=manager, approve=True, is_manager=True)
    assert Completion.objects.get(pk=request.pk).status == Status.PENDING


def test_an_engineer_who_is_not_the_approver_cannot_decide(team, engineer):
    other = MembershipFactory(team=team).user
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = services.request_approval(requirement=access, user=other)
    with pytest.raises(services.NotAllowed):
        services.decide(completion=request, by=engineer, approve=True, is_manager=False)


def test_double_request_creates_one(team, engineer):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    first = services.request_approval(requirement=access, user=engineer)
    second = services.request_approval(requirement=access, user=engineer)
    assert first.pk == second.pk
    assert Completion.objects.filter(requirement=access).count() == 1
    assert AuditEntry.objects.filter(action="requirement.requested").count() == 1


def test_double_attest_creates_one(team, engineer):
    runbook = RequirementFactory(team=team)
    services.attest(requirement=runbook, user=engineer)
    services.attest(requirement=runbook, user=engineer)
    assert Completion.objects.filter(requirement=runbook).count() == 1


def test_actions_must_match_the_kind(team, engineer):
    runbook = RequirementFactory(team=team)
    with pytest.raises(services.WrongKind):
        services.request_approval(requirement=runbook, user=engineer)
    automatic = RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="oncall_phone")
    with pytest.raises(services.WrongKind):
        services.attest(requirement=automatic, user=engineer)


def test_evidence_is_stored_privately_and_verified(
    team, engineer, manager, _media, django_capture_on_commit_callbacks
):
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE, validity_days=365)
    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.submit_evidence(requirement=certificate, user=engineer, upload=upload)
    files = stored_files(_media)
    assert len(files) == 1 and files[0].read_bytes() == PDF
    assert "static" not in str(files[0])
    assert mail.outbox[0].to == [manager.contact_email]
    with pytest.raises(services.AlreadyPending):
        services.submit_evidence(requirement=certificate, user=engineer, link="https://x.example")
    services.decide(completion=evidence, by=manager, approve=True, is_manager=True)
    assert state_of(team, engineer, certificate) == State.MET
    assert AuditEntry.objects.filter(action="requirement.verified").count() == 1


def test_new_version_is_audited(team, manager):
    runbook = RequirementFactory(team=team)
    services.new_version(requirement=runbook, by=manager)
    entry = AuditEntry.objects.get(action="requirement.new_version")
    assert entry.data == {"version": 2}
    assert entry.actor == manager
