"""The demo no longer contradicts itself (issue 21): where the papers give two figures, one is
chosen, cited and the other named; year-to-date figures say so. Read on the rendered pages of both
editions (generated in-process, no MkDocs)."""

from __future__ import annotations

import re

import pytest

from generator.pipeline import generate, load_project
from tests.conftest import REPO


@pytest.fixture(scope="module")
def sites():
    project = load_project(REPO / "site_config.yml")
    assert not project.problems.has_errors, project.problems.format()
    return {edition: generate(project, edition).pages for edition in ("standard", "young")}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pages_with(sites, needle: str) -> dict[str, str]:
    return {
        f"{edition}/{path}": flat(text)
        for edition, pages in sites.items()
        for path, text in pages.items()
        if needle in flat(text)
    }


def test_dental_checks_for_2021_22_are_one_figure_with_the_other_named(sites):
    standard = sites["standard"]
    kpi = flat(standard["performance/dental-checks-up-to-date.md"])
    assert "- **Previous year (2021/22):** 44.0%" in kpi
    for path, text in pages_with(sites, "50.5%").items():
        assert "44.0%" in text, f"{path} gives 50.5% for 2021/22 without the figure the site uses"
        assert "up from 50.5%" not in text, path
    meeting = flat(standard["meetings/2023-03-28.md"])
    assert "This site uses the scorecard's 44.0%" in meeting


@pytest.mark.parametrize("page", ["meetings/2023-03-28.md", "meetings/2023-03-28-pack.md"])
def test_year_to_date_figures_in_the_march_2023_papers_name_their_period(sites, page):
    text = flat(sites["standard"][page])
    assert (
        "From April to December 2022 (the year to date), 71.1% of initial health assessments and 92.2% of "
        "reviews were on time; in December alone the figures were 44.4% and 97.3%."
    ) in text
    assert "71.1% of initial health assessments were on time" not in text
    assert "up to date, and 92.2% of reviews were on time" not in text


def test_every_page_with_the_appeal_total_gives_it_one_way(sites):
    found = pages_with(sites, "1,777")
    assert len(found) >= 3, sorted(found)
    for path, text in found.items():
        assert "£1,777 online and £260 given offline (£2,037 in all)" in text, path
        assert "late October" not in text, path
        assert not re.search(r"events (have )?raised[^.]*£", text), f"{path} credits the total to the events"
    young = pages_with(sites, "2,037 pounds")
    assert young and all("By the time of this update" in text for text in young.values())


def test_the_poland_trip_took_18_young_people_everywhere(sites):
    trip = flat(sites["standard"]["events/2017-04-10-destination-poland-trip.md"])
    assert "18 young people" in trip
    for path, text in pages_with(sites, "Poland").items():
        assert not re.search(r"\b14 (young people|of us)( in [a-z ]+)? went\b", text), path
        assert "so 14 of us could go" not in text, path
    pledge = flat(sites["standard"]["pledge/index.md"]) + flat(sites["young"]["pledge/index.md"])
    assert "18 young people in and leaving care went" in pledge
    assert "In April 2017, 18 young people went on a trip to Poland." in pledge


def test_the_young_pledge_dates_the_leisure_offer_to_december_2022(sites):
    young = flat(sites["young"]["pledge/index.md"])
    assert "In December 2022 we said yes." in young
    assert "In 2023 we said yes" not in young
    standard = flat(sites["standard"]["pledge/index.md"])
    assert "In December 2022 the panel told the LAC Council about the free swimming" in standard
