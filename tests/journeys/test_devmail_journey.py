"""A newcomer on `make run` asks for cover; the colleague agrees from the link at /dev/mail/."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from scheduling.cover import ranking as candidates
from scheduling.cover.models import CoverRequest
from scheduling.rotas.models import Seat

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def _seat_with_a_candidate() -> Seat:
    """Return an engineer's upcoming published seat that some colleague could cover."""
    asked = CoverRequest.objects.values_list("seat_id", flat=True)
    seats = (
        Seat.objects.published()
        .filter(shift__team__slug="payments", shift__starts_at__gt=timezone.now())
        .filter(holder__isnull=False)
        .exclude(pk__in=list(asked))
        .exclude(holder__memberships__role="manager")
        .select_related("shift", "holder")
        .order_by("shift__starts_at")
    )
    for seat in seats[:80]:
        shift = seat.shift
        if candidates.rank(
            seat=seat, requester=seat.holder, starts_at=shift.starts_at, ends_at=shift.ends_at
        ):
            return seat
    raise AssertionError("the demo has no seat anyone could cover")


def _sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("nav.nav")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.urls("tests.rota.devmail_urls")  # what DEBUG routes
def test_cover_asked_and_agreed_from_the_development_mailbox(
    size, live_server, page, screenshot, settings, tmp_path, capsys
):
    settings.EMAIL_BACKEND = "rota.devmail.backend.EmailBackend"
    settings.DEV_MAIL_DIR = tmp_path / "mail"
    settings.SITE_URL = live_server.url
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    seat = _seat_with_a_candidate()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))

    _sign_in(page, live_server.url, seat.holder.email)
    page.locator("nav.nav").get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Payments").first.click()
    page.locator(".subnav").get_by_role("link", name="Cover requests").click()
    page.click(f"a[href*='/seats/{seat.pk}/cant-make-it/']")
    page.get_by_role("button", name="I can't make it").click()
    page.wait_for_selector("text=Rota is asking your colleagues")

    page.locator("nav.nav").get_by_role("link", name="Mailbox").click()
    row = page.locator("table tr", has_text="Can you cover").first
    colleague = row.locator("td").nth(1).inner_text().split()[0]
    assert colleague != seat.holder.email
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Mail to"))
    assert f"Mail to {colleague} · [Rota] Can you cover" in line
    assert f"{live_server.url}/dev/mail/" in line

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server.url, colleague)
    page.locator("nav.nav").get_by_role("link", name="Mailbox").click()
    screenshot(page, f"devmail-list-{size}")
    page.locator("table a", has_text="Can you cover").first.click()
    screenshot(page, f"devmail-ask-{size}")
    page.locator(".devmail-body a[href*='/c/cover/']").first.click()
    page.locator("main").get_by_role("button", name="Yes, I'll cover it").click()
    page.wait_for_load_state()
    screenshot(page, f"devmail-agreed-{size}")

    seat.refresh_from_db()
    assert seat.holder.email == colleague
