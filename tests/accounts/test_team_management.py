import pytest

from accounts.models import AuditEntry, EscalationContact, Membership

pytestmark = pytest.mark.django_db


def test_manager_changes_a_role(manager_client, engineer, team, manager):
    member = Membership.objects.get(user=engineer, team=team)
    manager_client.post(f"/teams/payments/members/{member.pk}/role/", {"role": "manager"})
    assert Membership.objects.get(pk=member.pk).role == "manager"
    entry = AuditEntry.objects.get(action="member.role_changed")
    assert entry.actor == manager and entry.data == {"old": "engineer", "new": "manager"}


def test_last_manager_cannot_step_down_or_be_removed(manager_client, manager, team):
    member = Membership.objects.get(user=manager, team=team)
    response = manager_client.post(
        f"/teams/payments/members/{member.pk}/role/", {"role": "engineer"}, follow=True
    )
    assert "needs at least one manager" in response.content.decode()
    assert Membership.objects.get(pk=member.pk).role == "manager"
    manager_client.post(f"/teams/payments/members/{member.pk}/remove/")
    assert Membership.objects.filter(pk=member.pk).exists()


def test_manager_removes_a_member(manager_client, engineer, team):
    member = Membership.objects.get(user=engineer, team=team)
    manager_client.post(f"/teams/payments/members/{member.pk}/remove/")
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.filter(action="member.removed", target_id=str(member.pk)).exists()


def _settings_data(**contacts):
    data = {
        "team-name": "Payments",
        "team-timezone": "Europe/London",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
    }
    data.update(contacts)
    return data


def test_escalation_contacts_are_saved_in_order(manager_client, team):
    data = _settings_data(
        **{
            "contacts-0-name": "Second",
            "contacts-0-phone": "+44 20 7946 0002",
            "contacts-0-ORDER": "2",
            "contacts-1-name": "First",
            "contacts-1-email": "first@example.com",
            "contacts-1-ORDER": "1",
        }
    )
    response = manager_client.post("/teams/payments/settings/", data)
    assert response.status_code == 302
    contacts = list(EscalationContact.objects.filter(team=team))
    assert [c.name for c in contacts] == ["First", "Second"]
    assert contacts[1].phone == "+442079460002"
    page = manager_client.get("/teams/payments/").content.decode()
    assert page.index("First") < page.index("Second")


def test_bad_escalation_phone_is_a_form_error(manager_client, team):
    data = _settings_data(
        **{"contacts-0-name": "Bad", "contacts-0-phone": "call me", "contacts-0-ORDER": "1"}
    )
    response = manager_client.post("/teams/payments/settings/", data)
    assert response.status_code == 200
    assert "international form" in response.content.decode()
    assert not EscalationContact.objects.exists()


def test_contact_needs_a_way_to_reach_them(manager_client, team):
    data = _settings_data(**{"contacts-0-name": "Nobody", "contacts-0-ORDER": "1"})
    response = manager_client.post("/teams/payments/settings/", data)
    assert "Give a phone number or an email address" in response.content.decode()


def test_invalid_team_timezone_is_a_form_error(manager_client, team):
    response = manager_client.post(
        "/teams/payments/settings/", _settings_data(**{"team-timezone": "Mars/Olympus"})
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    team.refresh_from_db()
    assert team.timezone == "Europe/London"


def test_manager_can_require_mfa(manager_client, team):
    manager_client.post("/teams/payments/settings/", _settings_data(**{"team-require_mfa": "on"}))
    team.refresh_from_db()
    assert team.require_mfa is True


def test_team_page_shows_members_and_contacts(engineer_client, manager, team):
    EscalationContact.objects.create(team=team, name="Priya", role="EM", phone="+442079460101")
    page = engineer_client.get("/teams/payments/").content.decode()
    assert manager.display_name in page
    assert "Priya" in page and "+442079460101" in page
    assert "Send invitation" not in page  # engineers see no manager actions
