"""Figures as the panel knew them (issue 21): each value's reported date, meeting packs that show
only what had reached the panel by the day, and targets that judge only the figures they were set for.

The demo is generated in-process (no MkDocs) and the packs are read as rendered Markdown.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from generator import as_known, kpi_words, metrics
from generator.models import Kpi
from generator.models.source import Sources
from generator.pipeline import generate, load_project
from tests.conftest import REPO

ROW = re.compile(
    r'<tr><th scope="row" data-label="Indicator"><a href="\.\./\.\./performance/(?P<id>[^/]+)/">.*?</a></th>'
    r'<td data-label="Value">(?P<value>[^<]*) <span class="ps-period">\((?P<period>[^)]*)\)</span></td>'
    r'<td data-label="Status">(?P<status>.*?)</td><td data-label="Change">.*?</td>'
    r'<td data-label="Target">(?P<target>[^<]*)</td>'
)


def pack_rows(text: str) -> list[dict[str, str]]:
    """Each scorecard row of a rendered meeting pack: KPI id, value, period label, status and target."""
    scorecard = text[text.index("## Scorecard on") :]
    return [m.groupdict() for m in ROW.finditer(scorecard)]


@pytest.fixture(scope="module", params=[dt.date(2017, 9, 1), dt.date(2023, 4, 1), dt.date(2027, 1, 1)])
def demo(request):
    """The demo built as on a day in 2017, 2023 and 2027."""
    project = load_project(REPO / "site_config.yml")
    assert not project.problems.has_errors, project.problems.format()
    project.today = request.param
    return project, generate(project, "standard")


def test_no_pack_shows_a_figure_reported_after_its_meeting(demo):
    project, site = demo
    kpis = project.dataset.kpis
    dates = {d.id: d.date for d in project.dataset.sources.documents if d.date}
    checked = 0
    for key, meeting in project.dataset.meetings.items():
        page = site.pages.get(f"meetings/{key}-pack.md")
        if page is None:
            continue
        for row in pack_rows(page):
            kpi = kpis[row["id"]]
            shown = [v for v in kpi.values if v.period.label == row["period"]]
            assert shown, f"{key}: {row['id']} shows a period it has no value for ({row['period']})"
            value = shown[0]
            reported = value.reported or dates.get((value.source or kpi.source).doc) or value.period.end
            assert reported <= meeting.date, (
                f"the pack of {key} shows {row['id']} for {row['period']}, first reported on {reported}"
            )
            assert html.unescape(row["value"]).startswith(metrics.format_value(value.value, kpi.unit))
            checked += 1
    assert checked > 100, "every pack's scorecard was read"


def test_the_31_january_2023_pack_shows_no_december_2022_figure():
    """The December 2022 figures first reached the panel on 28 March 2023."""
    project = load_project(REPO / "site_config.yml")
    site = generate(project, "standard")
    january = pack_rows(site.pages["meetings/2023-01-31-pack.md"])
    march = pack_rows(site.pages["meetings/2023-03-28-pack.md"])
    assert january and march
    assert not [r for r in january if r["period"] == "December 2022"]
    dental = next(r for r in january if r["id"] == "dental-checks-up-to-date")
    assert (dental["value"], dental["period"]) == ("68.5%", "September 2022"), "from the minutes of 31 January 2023"
    assert any(r["period"] == "December 2022" for r in march)


def test_the_6_december_2016_pack_judges_nothing_against_targets_set_later():
    """The 2022/23 targets and bands were set in the 28 March 2023 papers."""
    project = load_project(REPO / "site_config.yml")
    site = generate(project, "standard")
    rows = pack_rows(site.pages["meetings/2016-12-06-pack.md"])
    assert rows
    for row in rows:
        assert "target" not in row["status"].replace("No target", ""), row
        assert row["target"] in ("None set", "None set then"), row
    dental = next(r for r in rows if r["id"] == "dental-checks-up-to-date")
    assert dental["target"] == "None set then" and dental["status"] == "No target"
    latest = pack_rows(site.pages["meetings/2023-03-28-pack.md"])
    dental = next(r for r in latest if r["id"] == "dental-checks-up-to-date")
    assert dental["target"] == "95.0%" and "Off target" in dental["status"]


def test_a_value_is_reported_on_its_source_documents_date_unless_it_says_otherwise():
    kpis = load_project(REPO / "site_config.yml").dataset.kpis
    dental = {str(v.period): v.reported for v in kpis["dental-checks-up-to-date"].values}
    assert dental["2016-09"] == dt.date(2016, 12, 6), "the value's own source, the 6 December 2016 papers"
    assert dental["2022-09"] == dt.date(2023, 1, 31), "its own reported date (the minutes of that meeting)"
    assert dental["2022-12"] == dt.date(2023, 3, 28), "the KPI's source, the 28 March 2023 papers"
    assert kpis["dental-checks-up-to-date"].target_set == dt.date(2023, 3, 28)


SOURCES = Sources.model_validate(
    {
        "documents": [
            {"id": "old", "title": "Old papers", "publisher": "p", "date": "2016-12-06"},
            {"id": "new", "title": "New papers", "publisher": "p", "date": "2023-03-28"},
            {"id": "bench", "title": "National tables", "publisher": "p", "date": "2022-11-17"},
            {"id": "undated", "title": "A strategy", "publisher": "p", "date": "undated"},
        ]
    }
)


def kpi(values, benchmarks=(), **extra) -> Kpi:
    return Kpi.model_validate(
        {
            "id": "x",
            "title": "Reviews on time",
            "definition": "d",
            "theme": "t",
            "unit": "percent",
            "polarity": "higher is better",
            "frequency": "annual",
            "source": {"doc": "new"},
            "values": values,
            "benchmarks": list(benchmarks),
        }
        | extra
    )


def resolved(found: Kpi) -> Kpi:
    return as_known.with_reported_dates({"x": found}, SOURCES)["x"]


def test_reported_dates_come_from_the_value_the_benchmark_or_the_kpi_source():
    found = resolved(
        kpi(
            [
                {"period": "2015/16", "value": 80, "source": {"doc": "old"}},
                {"period": "2016/17", "value": 81, "reported": "2017-07-18", "source": {"doc": "old"}},
                {"period": "2017/18", "value": 82, "source": {"doc": "undated"}},
                {"period": "2021/22", "value": 90},
            ],
            [{"name": "england", "source": {"doc": "bench"}, "values": [{"period": "2021/22", "value": 88}]}],
            target=95,
        )
    )
    assert [v.reported for v in found.values] == [
        dt.date(2016, 12, 6),
        dt.date(2017, 7, 18),
        None,
        dt.date(2023, 3, 28),
    ]
    assert found.benchmarks[0].values[0].reported == dt.date(2022, 11, 17)
    assert found.target_set == dt.date(2023, 3, 28)
    assert as_known.reported_on(found.values[2]) == dt.date(2018, 3, 31), "undated: the period's end stands in"


def test_a_kpi_as_known_on_a_day_keeps_only_what_had_been_reported():
    found = resolved(
        kpi(
            [
                {"period": "2015/16", "value": 80, "source": {"doc": "old"}},
                {"period": "2021/22", "value": 90},
            ],
            [{"name": "england", "source": {"doc": "bench"}, "values": [{"period": "2021/22", "value": 88}]}],
        )
    )
    assert as_known.kpi_as_known(found, dt.date(2016, 12, 5)) is None
    then = as_known.kpi_as_known(found, dt.date(2023, 1, 31))
    assert then is not None and [v.value for v in then.values] == [80]
    assert [b.values[0].value for b in then.benchmarks] == [88], "the national figure was out in November 2022"
    assert metrics.latest(then).value == 80


def test_a_bare_target_judges_only_values_reported_after_it_was_set():
    found = resolved(
        kpi(
            [{"period": "2015/16", "value": 80, "source": {"doc": "old"}}, {"period": "2021/22", "value": 90}],
            target=95,
            rag={"green": ">= 95", "amber": ">= 87", "red": "< 87"},
        )
    )
    assert metrics.rag_status(found) == "amber" and metrics.target_for(found) == 95
    old = as_known.kpi_as_known(found, dt.date(2017, 1, 1))
    assert old is not None
    assert metrics.rag_status(old) is None and metrics.target_for(old) is None
    assert kpi_words.withheld_words(old) == (
        "Set later",
        "95.0%, set on 28 March 2023, after this figure was reported, so not applied to it",
    )
    early = kpi([{"period": "2015/16", "value": 80}], target=95, target_set="2014-01-01")
    assert metrics.target_for(resolved(early)) == 95, "target_set can say a target is older than its source"


def test_a_period_target_still_judges_its_own_period():
    found = resolved(
        kpi(
            [{"period": "2015/16", "value": 80, "source": {"doc": "old"}}],
            targets=[{"period": "2015/16", "value": 85}],
        )
    )
    assert metrics.target_entry(found) == (85, found.targets[0].period)
    assert metrics.rag_status(found) == "red"


def test_the_docs_document_reported_and_new_series():
    text = (Path(REPO) / "docs" / "data" / "kpis.md").read_text(encoding="utf-8")
    for phrase in ("`reported`", "`new_series`", "`target_set`"):
        assert phrase in text


def test_an_unchanged_kpi_is_the_same_object_on_the_next_load(project):
    """`serve` compares an unchanged page's inputs by identity first; resolving dates keeps it so."""
    from generator.dataset import DatasetLoader

    loader = DatasetLoader()
    first, _ = loader.load(project / "data", project)
    second, _ = loader.load(project / "data", project)
    key = "care-leavers-in-education-employment-training"
    assert second.kpis[key] is first.kpis[key]
    assert first.kpis[key].values[0].reported == dt.date(2023, 3, 28)
    path = project / "data/kpis" / f"{key}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 72.0", "value: 72.5"), encoding="utf-8")
    third, _ = loader.load(project / "data", project)
    assert third.kpis[key] is not first.kpis[key] and third.kpis[key].values[0].value == 72.5
