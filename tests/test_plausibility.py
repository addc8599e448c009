"""Plausibility (issue 21): a percent typed as a fraction, or a value a hundred times its
neighbours, is a located warning with a hint, and warnings fail the strict build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.metrics import implausible
from generator.models import Kpi
from generator.pipeline import load_project
from generator.validation import plausibility_problems
from tests.conftest import REPO


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


KPI = "data/kpis/care-leavers-in-education-employment-training.yml"


def values(*numbers: float, unit: str = "percent") -> Kpi:
    return Kpi.model_validate(
        {
            "id": "x",
            "title": "t",
            "definition": "d",
            "theme": "t",
            "unit": unit,
            "polarity": "higher is better",
            "frequency": "monthly",
            "source": {"doc": "s"},
            "values": [{"period": f"2022-{m:02d}", "value": n} for m, n in enumerate(numbers, start=1)],
        }
    )


def test_a_percent_under_one_beside_percents_over_ten_looks_like_a_fraction():
    found = values(61.0, 0.62, 63.5)
    assert implausible(found.values, found.unit) == [
        (
            1,
            "0.62% is under 1% beside figures over 10% in the same series",
            "0.62 looks like a fraction; write 62 for 62%",
        )
    ]


def test_a_value_a_hundred_times_its_neighbours_is_flagged():
    found = values(551, 55100, 548, unit="count")
    ((index, message, hint),) = implausible(found.values, found.unit)
    assert index == 1 and message == "55,100 is a hundred times the figures next to it in the series"
    assert "slipped decimal point" in hint
    small = values(551, 5, 548, unit="count")
    assert (
        implausible(small.values, small.unit)[0][1] == "5 is under a hundredth of the figures next to it in the series"
    )


@pytest.mark.parametrize(
    "numbers",
    [(0.5, 0.8, 0.4), (12.0, 0.0, 11.0), (10.0, 30.0, 900.0), (3.0, 250.0, 4.0)],
    ids=["small percents alone", "a zero", "steady growth", "a jump under a hundredfold"],
)
def test_plausible_series_pass(numbers):
    found = values(*numbers, unit="percent" if max(numbers) <= 100 else "count")
    assert implausible(found.values, found.unit) == []


def test_the_demo_has_no_implausible_value():
    project = load_project(REPO / "site_config.yml")
    for kpi_id, kpi in project.dataset.kpis.items():
        doc = project.dataset.documents[project.dataset.origin("kpis", kpi_id)]
        assert not plausibility_problems(kpi, doc).items, kpi_id


def test_check_locates_the_fraction_and_the_strict_build_fails(project: Path, capsys):
    path = project / KPI
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('{period: "2022-12", value: 73.0}', '{period: "2022-12", value: 0.73}'))
    assert main(["check"]) == 0, "a warning, not an error"
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{KPI}:16:32: warning: values[2].value: 0.73% is under 1% beside figures over 10% in the same series",
        "    hint: 0.73 looks like a fraction; write 73 for 73%",
    ]
    assert main(["build"]) == 1
    assert not (project / "site").exists(), "the strict build wrote nothing"
