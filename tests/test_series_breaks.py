"""Breaks in a series (issue 21): a value with `new_series` starts a new series, and nothing is
compared across it: change, direction, judgement, peaks and lows, year to date, the summary, the
scorecard and the meeting pack. The data table marks it."""

from __future__ import annotations

import re

import pytest

from generator import kpi_words, metrics
from generator.models import Kpi
from generator.pipeline import generate, load_project
from tests.conftest import REPO

BASE = {
    "id": "x",
    "title": "Enquiries that lead to approval",
    "definition": "d",
    "theme": "t",
    "unit": "percent",
    "polarity": "higher is better",
    "frequency": "monthly",
    "source": {"doc": "s"},
}


def kpi(values, **extra) -> Kpi:
    return Kpi.model_validate(BASE | {"values": values} | extra)


BROKEN = [
    {"period": "2021-10", "value": 40.0},
    {"period": "2021-11", "value": 41.0},
    {"period": "2021-12", "value": 11.5},
    {"period": "2022-10", "value": 12.0, "new_series": True},
    {"period": "2022-11", "value": 6.0},
    {"period": "2022-12", "value": 3.9},
]


def test_the_comparison_base_never_reaches_back_past_a_break():
    found = kpi(BROKEN)
    base = metrics.comparison_base(found)
    assert base is not None and str(base.value.period) == "2022-11", "the month before, not December 2021"
    assert base.kind is metrics.BaseKind.MONTH_BEFORE
    assert metrics.direction(found) == "down"


def test_a_first_value_after_a_break_is_compared_with_nothing():
    found = kpi(BROKEN[:4])
    assert metrics.comparison_base(found) is None
    assert metrics.direction(found) is None and metrics.judgement(found) is None
    assert kpi_words.change_text(found).startswith("Not compared: the measure changed in October 2022")
    text = kpi_words.summary(found)
    assert "from" not in text.replace("from then on", ""), text
    assert "The way it is counted changed in October 2022" in text


def test_the_summary_names_the_break_and_no_peak_before_it():
    text = kpi_words.summary(kpi(BROKEN))
    assert "41.0%" not in text and "40.0%" not in text and "11.5%" not in text, text
    assert "down from 6.0% the month before (November 2022)" in text
    assert "The way it is counted changed in October 2022, so figures from then on are not compared" in text
    assert "The highest shown was 12.0% in October 2022" in text, "the peak of the latest series only"


def test_without_the_break_the_old_figures_are_compared():
    """The same values without the flag: the checks above would pass only because of the break."""
    whole = [{k: v for k, v in value.items() if k != "new_series"} for value in BROKEN]
    text = kpi_words.summary(kpi(whole))
    assert "down from 11.5% a year earlier (December 2021)" in text
    assert "The highest shown was 41.0%" in text


def test_a_year_to_date_change_is_not_given_across_a_break():
    values = BROKEN
    ytd = {"period": "2022/23", "to": "2022-12", "value": 7.0, "a_year_earlier": 30.0}
    text = kpi_words.summary(kpi(values, year_to_date=ytd))
    assert "In the year to date (April to December 2022) it was 7.0%." in text
    assert "30.0%" not in text
    whole = [{k: v for k, v in value.items() if k != "new_series"} for value in values]
    assert "down from 30.0% at the same point a year earlier" in kpi_words.summary(kpi(whole, year_to_date=ytd))


def test_a_target_set_before_a_break_does_not_judge_values_after_it():
    values = [dict(v, reported="2023-01-31") for v in BROKEN]
    values[0]["reported"] = "2021-11-20"
    found = kpi(values, target=15, target_set="2021-11-20")
    assert metrics.rag_status(found) is None and metrics.target_for(found) is None
    assert kpi_words.withheld_words(found) == (
        "Set for the old measure",
        "15.0%, set on 20 November 2021 for the measure as it was then (it changed in October 2022), so not applied",
    )
    after = kpi(values, target=15, target_set="2023-01-31")
    assert metrics.rag_status(after) == "red", "a target set after the break judges the new series"


@pytest.fixture(scope="module")
def demo():
    project = load_project(REPO / "site_config.yml")
    assert not project.problems.has_errors, project.problems.format()
    return project, generate(project, "standard")


def test_the_fostering_conversion_page_compares_nothing_across_its_break(demo):
    project, site = demo
    page = site.pages["performance/foster-carer-enquiry-conversion.md"]
    assert project.dataset.kpis["foster-carer-enquiry-conversion"].values[3].new_series
    assert "11.5% to 3.9%" not in page and "down from 11.5%" not in page.lower()
    assert "off target" not in page.lower() and "misses" not in page
    assert "The way it is counted changed in 2020/21" in page
    assert "- **Change:** Not compared: the measure changed in 2020/21" in page
    assert "- **Target:** 15.0%, set on 27 June 2017 for the measure as it was then" in page
    assert "- **Status:** Not judged (see the target)" in page
    assert "- **England:**" not in page, "a national average whose year is unknown is not a benchmark"
    marked = re.findall(r'<td data-label="Period">([^<]*)<br><strong>New series:</strong>', page)
    assert marked == ["2020/21 (part of the period)"] or marked == ["2020/21"], marked


def test_the_scorecard_and_the_pack_compare_nothing_across_the_break(demo):
    _, site = demo
    scorecard = site.pages["performance/index.md"]
    row = next(line for line in scorecard.splitlines() if 'href="foster-carer-enquiry-conversion/"' in line)
    assert "Not compared: the measure changed in 2020/21" in row
    assert "Set for the old measure" in row and "Off target" not in row
    assert '<td data-label="Status">Not judged</td>' in row
    pack = site.pages["meetings/2023-03-28-pack.md"]
    row = next(line for line in pack.splitlines() if "performance/foster-carer-enquiry-conversion/" in line)
    assert "3.9%" in row and "First value" in row, "the pack's change column compares nothing"
    assert "Down" not in row and "Off target" not in row
    assert '<td data-label="Status">Not judged</td>' in row and "Set for the old measure" in row


def test_the_young_page_says_the_count_changed_and_makes_no_comparison(project):
    path = project / "data/kpis/care-leavers-in-education-employment-training.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '{period: "2022-12", value: 73.0}',
            '{period: "2022-12", value: 73.0, new_series: true, note: "Now counts 17 to 25."}',
        ),
        encoding="utf-8",
    )
    loaded = load_project(project / "site_config.yml")
    assert not loaded.problems.has_errors, loaded.problems.format()
    for edition in ("young", "standard"):
        page = generate(loaded, edition).pages["performance/care-leavers-in-education-employment-training.md"]
        assert "better than" not in page and "worse than" not in page
        assert (
            "Up from" not in page
            and "Down from" not in page
            and "a year earlier" not in page.replace("at the same point a year earlier", "")
        )
        if edition == "young":
            assert "We changed how we count this in December 2022." in page
            assert "December 2022 (counted a new way from here)" in page
        else:
            assert "December 2022<br><strong>New series:</strong> counted another way from here" in page
