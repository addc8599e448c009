"""A KPI's words: figures are typed data from `metrics`, sentences come from `kpi_words` only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator import chart_pool, kpi_words, metrics
from generator.escaping import escape_text
from generator.models import Kpi
from generator.pipeline import generate, load_project
from tests.conftest import copy_fixture

ROOT = Path(__file__).resolve().parent.parent
BASE = {
    "id": "x",
    "title": "Care leavers in work or learning",
    "definition": "d",
    "theme": "t",
    "frequency": "monthly",
    "source": {"doc": "s"},
    "unit": "percent",
    "polarity": "higher is better",
    "young": {"title": "Care leavers in work", "explanation": "How many are in work or learning."},
}


def kpi(*values: tuple[str, float]) -> Kpi:
    return Kpi.model_validate(BASE | {"values": [{"period": p, "value": v} for p, v in values]})


def _imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "generator" / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found |= {node.module or ""} | {f"{node.module or ''}.{a.name}".lstrip(".") for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_metrics_works_out_figures_and_imports_no_words():
    """metrics and the summary's sentences imported each other; now the words depend on the figures only."""
    assert not (ROOT / "generator" / "summaries.py").exists()
    assert not any("kpi_words" in name or "summaries" in name for name in _imports("metrics"))


def test_the_figures_are_typed():
    found = metrics.figures_of(kpi(("2021-12", 40), ("2022-11", 50), ("2022-12", 60)))
    assert found.base is not None and found.base.kind is metrics.BaseKind.A_YEAR_EARLIER
    assert found.direction is metrics.Moved.UP and found.judgement is metrics.Judged.BETTER
    assert found.extremes == ()


@pytest.mark.parametrize(
    ("values", "standard", "young"),
    [
        ((("2021-12", 40), ("2022-12", 60)), "Up from 40.0% a year earlier (December 2021)", "a year earlier"),
        ((("2022-11", 70), ("2022-12", 60)), "Down from 70.0% the month before (November 2022)", "the month before"),
        # Two months apart: neither a year nor one step, so "the previous figure" (the young edition's
        # "the number before"), which the young template used to find by rewriting the English text.
        ((("2022-10", 60), ("2022-12", 60.2)), "About the same as 60.0% in October 2022", "the number before"),
    ],
)
def test_each_comparison_is_named_in_each_editions_words(values, standard, young):
    found = metrics.figures_of(kpi(*values))
    assert kpi_words.change_text(found) == standard
    judged = {"Up": "better than", "Down": "worse than", "About": "about the same as"}[standard.split()[0]]
    assert kpi_words.young_change(found) == f"That is {judged} {young}."


def test_no_young_change_for_a_first_figure_or_an_information_only_kpi():
    assert kpi_words.young_change(kpi(("2022-12", 60))) is None
    info = Kpi.model_validate(kpi(("2021-12", 40), ("2022-12", 60)).model_dump() | {"polarity": "information only"})
    assert kpi_words.young_change(info) is None


def test_the_relation_to_a_benchmark_is_a_value_and_its_words_come_from_kpi_words():
    item = Kpi.model_validate(
        kpi(("2022-12", 60)).model_dump()
        | {"benchmarks": [{"name": "england", "values": [{"period": "2022-12", "value": 60.2}]}]}
    )
    found = metrics.figures_of(item).comparison("england")
    assert found is not None and found.relation is metrics.Relation.SAME and found.judged is None
    assert kpi_words.benchmark_relation_text(item, found, "Northby") == "Northby was about the same as it (60.0%)"


def test_each_kpi_pages_summary_is_made_once(tmp_path, monkeypatch):
    """The page's facts and its chart's alt text share one summary (they each made it before).

    Charts are drawn in this process: the parallel pool's warm-cache probe makes the first KPI's alt
    text (and so its summary) once more per build, which is the pool's cost, not the page's."""
    monkeypatch.setattr(chart_pool, "workers_available", lambda: 1)
    project = load_project(copy_fixture(tmp_path / "project") / "site_config.yml")
    generate(project, "standard")  # draws the charts, so the next build renders its pages only
    made: list[str] = []
    summary = kpi_words.summary

    def counted(item, *args, **kwargs):
        made.append(item.kpi.id if isinstance(item, metrics.Figures) else item.id)
        return summary(item, *args, **kwargs)

    monkeypatch.setattr(kpi_words, "summary", counted)
    site = generate(project, "standard")
    assert sorted(made) == sorted(project.dataset.kpis)
    page = site.pages["performance/children-looked-after.md"]
    settings = project.settings
    said = summary(project.dataset.kpis["children-looked-after"], settings.area_name, settings.comparators)
    assert escape_text(said) in page and 'alt="' + escape_text(f"Line chart. {said}") in page
