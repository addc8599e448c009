"""The two editions and what each one requires of the data."""

from __future__ import annotations

from .dataset import Dataset, problem_at
from .errors import Problem, Problems
from .settings import Settings

STANDARD, YOUNG = "standard", "young"
OTHER = {STANDARD: YOUNG, YOUNG: STANDARD}
SWITCH_TEXT = {
    STANDARD: "Read the young people's version of this page",
    YOUNG: "Read the full version of this page",
}


def check_young_requirements(dataset: Dataset, settings: Settings) -> Problems:
    """A record shown in the young edition must carry its own young text; no silent fallback."""
    problems = Problems()
    for index, kpi_id in enumerate(settings.young_kpis):
        kpi = dataset.kpis.get(kpi_id)
        if kpi is None and dataset.exists("kpis", kpi_id):
            continue
        if kpi is None:
            problems.add(
                Problem(
                    *settings.where(("young_kpis", index)),
                    f"young_kpis[{index}]",
                    "no KPI with this id in data/kpis/",
                    repr(kpi_id),
                )
            )
        elif kpi.young is None:
            doc = dataset.documents[dataset.origin("kpis", kpi_id)]
            problems.add(
                problem_at(
                    doc,
                    ("young",),
                    "listed in young_kpis in site_config.yml, so it needs a `young:` block with title and explanation",
                )
            )
    return problems
