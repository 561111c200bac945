"""`manage.py rota_solve`: the thin Django wrapper around the engine's command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.engine.checker import SCENARIOS, scenario, violations


def test_command_prints_the_solution_json() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "rota_solve", str(SCENARIOS / "scarce-1.json"), time_limit=5, stdout=out, stderr=err
    )
    solution = json.loads(out.getvalue())
    assert solution["format"] == "rota-solution/1"
    assert violations(scenario("scarce-1"), solution["assignments"]) == []
    assert err.getvalue() == ""


def test_command_exits_2_on_an_invalid_file(tmp_path: Path) -> None:
    data = scenario("scarce-1")
    data["people"][0]["roles"] = "secondary"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("rota_solve", str(path), stdout=out, stderr=err)
    assert caught.value.code == 2
    assert out.getvalue() == ""
    assert err.getvalue() == f"{path}: people[0].roles: must be a list, not a string\n"
