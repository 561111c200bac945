from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from rota import links
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(user, **overrides):
    values = {
        "user_id": user.pk,
        "action": "agree",
        "object_id": 7,
        "expires_at": timezone.now() + timedelta(hours=2),
    }
    values.update(overrides)
    return links.make_token(**values)


def test_valid_link_reads_back():
    user = UserFactory()
    link = links.read_token(_token(user), action="agree")
    assert (link.user_id, link.action, link.object_id) == (user.pk, "agree", 7)


def test_tampered_link_is_refused():
    token = _token(UserFactory())
    broken = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(links.LinkInvalid) as error:
        links.read_token(broken, action="agree")
    assert error.value.reason == "tampered"


def test_expired_link_is_refused():
    token = _token(UserFactory())
    with (
        time_machine.travel(timezone.now() + timedelta(hours=3)),
        pytest.raises(links.LinkInvalid) as error,
    ):
        links.read_token(token, action="agree")
    assert error.value.reason == "expired"


def test_link_for_another_action_is_refused():
    with pytest.raises(links.LinkInvalid) as error:
        links.read_token(_token(UserFactory()), action="decline")
    assert error.value.reason == "wrong_action"


def test_link_opened_in_someone_elses_session_is_refused():
    owner, other = UserFactory(), UserFactory()
    with pytest.raises(links.LinkInvalid) as error:
        links.read_token(_token(owner), action="agree", user=other)
    assert error.value.reason == "wrong_person"
    assert links.read_token(_token(owner), action="agree", user=owner).user_id == owner.pk


def test_one_decision_is_taken_once_across_sibling_links():
    user = UserFactory()
    agree = links.read_token(_token(user, decision="ask:1"), action="agree")
    decline = links.read_token(_token(user, action="decline", decision="ask:1"), action="decline")
    links.consume(agree)
    assert decline.is_used()
    with pytest.raises(links.LinkInvalid) as error:
        links.consume(decline)
    assert error.value.reason == "used"
