"""Single sign-on in Chromium: the button, the loopback OpenID provider, back signed in."""

import pytest

from accounts import services as accounts
from accounts.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_person_signs_in_with_sso(
    live_server, page, screenshot, oidc_provider, team, manager
):
    accounts.invite(team=team, email="ann@example.com", role="engineer", invited_by=manager)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    button = page.get_by_role("button", name=f"Sign in with {oidc_provider.label}")
    assert button.is_visible()
    screenshot(page, "sso-sign-in")

    button.click()
    page.wait_for_url(oidc_provider.issuer + "/**")
    screenshot(page, "sso-provider")
    page.get_by_role("button", name="ann@example.com").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Hello, Ann Example").is_visible()
    assert Membership.objects.filter(user__email="ann@example.com", team=team).exists()
    screenshot(page, "sso-dashboard")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/logout/")
    page.goto(live_server.url + "/accounts/login/")
    screenshot(page, "sso-sign-in-phone")
