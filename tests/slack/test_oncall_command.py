"""/oncall [team] answers who is on call now and next, partner and escalation, for members only."""

from __future__ import annotations

import pytest

from integrations.slack.models import Inbound
from tests.factories import EscalationContactFactory, MembershipFactory
from tests.slack.conftest import command, install

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(slack) -> str:
    hooks = [h for h in slack.state.hooks if h["path"].endswith("/cmd")]
    assert len(hooks) == 1, slack.state.hooks
    assert hooks[0]["response_type"] == "ephemeral"
    return hooks[0]["text"]


def test_a_member_gets_now_next_partner_and_escalation(slack, installed, week):
    EscalationContactFactory(team=week.period.team, name="Maya Manager", phone="+442079460001")
    slack_id = slack.add_user(week.alice.email)
    assert command(slack, slack_id).status_code == 200
    text = _answer(slack)
    assert "On call for Payments" in text
    # Saturday 27 March 11:00 UTC is 11:00 GMT: Eddie primary, Pat secondary until Sunday 09:00 BST.
    assert "Primary: *Eddie Engineer* until Sun 28 Mar 09:00" in text
    assert "Secondary: *Pat Partner*" in text
    assert "Next" in text and "Escalation" in text and "Maya Manager" in text
    assert Inbound.objects.get().handled_at is not None


def test_naming_the_team_works_by_slug_or_name(slack, installed, week):
    slack_id = slack.add_user(week.bob.email)
    command(slack, slack_id, text="PAYMENTS")
    assert "On call for Payments" in _answer(slack)


def test_a_non_member_is_told_nothing_about_the_team(slack, installed, week, outsider, other_team):
    install(other_team, slack)  # the same workspace hosts Elsewhere too
    slack_id = slack.add_user(outsider.email)
    command(slack, slack_id, text="payments")
    text = _answer(slack)
    assert "not a member of a team called “payments”" in text
    assert "Eddie" not in text


def test_without_a_name_only_the_persons_own_teams_answer(
    slack, installed, week, outsider, other_team
):
    install(other_team, slack)
    slack_id = slack.add_user(outsider.email)
    command(slack, slack_id)
    text = _answer(slack)
    assert "On call for Elsewhere" in text
    assert "Payments" not in text and "Eddie" not in text


def test_a_member_of_a_team_not_installed_here_gets_no_answer_for_it(
    slack, installed, week, other_team
):
    person = MembershipFactory(team=other_team).user
    command(slack, slack.add_user(person.email), text="elsewhere")
    assert "not a member of a team called “elsewhere”" in _answer(slack)


def test_a_slack_account_without_a_rota_person_is_told_how_to_get_one(slack, installed, week):
    command(slack, slack.add_user("stranger@example.org"))
    assert "can't find a Rota account" in _answer(slack)


def test_a_workspace_without_rota_gets_no_answer(slack, week):
    command(slack, "U404")
    assert slack.state.hooks == []
    assert Inbound.objects.get().note == "No team of this workspace uses Rota."
