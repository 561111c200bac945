"""Integration fixtures: contract servers on loopback, and the cover tests' DST week."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cover.conftest import clock  # noqa: F401 (re-exported fixture)
from tests.integrations.contract_opsgenie import OpsgenieServer
from tests.integrations.contract_pagerduty import PagerDutyServer
from tests.integrations.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def pagerduty_server(settings) -> Iterator[PagerDutyServer]:
    server = PagerDutyServer(page_cap=2)
    settings.PAGERDUTY_API_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def opsgenie_server(settings) -> Iterator[OpsgenieServer]:
    server = OpsgenieServer()
    settings.OPSGENIE_API_URL = server.url
    yield server
    server.stop()
