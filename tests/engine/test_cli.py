"""The command line: a solution on stdout, or exit 2 with one line on stderr."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from scheduling.engine.cli import main
from tests.engine.checker import SCENARIOS, scenario, violations


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def test_valid_problem_prints_a_solution() -> None:
    path = SCENARIOS / "small-weekly-1.json"
    status, out, err = _run(str(path), "--time-limit", "5")
    assert status == 0
    assert err == ""
    solution = json.loads(out)
    assert solution["format"] == "rota-solution/1"
    assert solution["status"] in {"optimal", "feasible"}
    data = scenario("small-weekly-1")
    assert violations(data, solution["assignments"]) == []
    assert set(solution["load"]) == {p["id"] for p in data["people"]}
    assert set(solution["candidates"]) == {s["id"] for s in data["slots"]}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"format": NaN}', "not valid JSON"),
        ('{"format": "rota-problem/1"}', "timezone: missing required field"),
        ("[]", "must be an object"),
    ],
)
def test_invalid_file_exits_2_with_one_line(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "problem.json"
    path.write_text(text)
    status, out, err = _run(str(path))
    assert status == 2
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1
    assert needle in err


def test_breaking_the_format_names_the_field(tmp_path: Path) -> None:
    data = scenario("scarce-1")
    data["slots"][3]["end"] = data["slots"][3]["start"]
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data))
    status, out, err = _run(str(path))
    assert status == 2
    assert out == ""
    assert err == f"{path}: slots[3].end: must be after start\n"


def test_missing_file_and_bad_options_exit_2(tmp_path: Path) -> None:
    status, out, err = _run(str(tmp_path / "nope.json"))
    assert (status, out, err.count("\n")) == (2, "", 1)
    status, out, err = _run(str(SCENARIOS / "scarce-1.json"), "--time-limit", "soon")
    assert (status, out, err.count("\n")) == (2, "", 1)
    status, out, err = _run()
    assert (status, out, err.count("\n")) == (2, "", 1)


def test_greedy_flag_uses_the_baseline() -> None:
    status, out, _ = _run(str(SCENARIOS / "team-month-1.json"), "--greedy")
    assert status == 0
    solution = json.loads(out)
    assert solution["status"] == "feasible"
    assert violations(scenario("team-month-1"), solution["assignments"]) == []
