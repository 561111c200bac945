"""Integration fixtures: contract servers on loopback, and the cover tests' DST week."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cover.conftest import clock  # noqa: F401 (re-exported fixture)
from tests.integrations.contract_base import self_signed
from tests.integrations.contract_opsgenie import OpsgenieServer
from tests.integrations.contract_pagerduty import PagerDutyServer
from tests.integrations.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def loopback_tls(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1 (the PagerDuty client insists on https)."""
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def pagerduty_server(settings, loopback_tls) -> Iterator[PagerDutyServer]:
    server = PagerDutyServer(tls=loopback_tls, page_cap=2)
    settings.PAGERDUTY_API_URL = server.url
    settings.PAGING_CA_BUNDLE = str(loopback_tls / "cert.pem")
    yield server
    server.stop()


@pytest.fixture
def opsgenie_server(settings) -> Iterator[OpsgenieServer]:
    server = OpsgenieServer()
    settings.OPSGENIE_API_URL = server.url
    yield server
    server.stop()
