"""Checks of the data against the council's own settings: its comparators, event kinds and upper age.

The models accept any well-formed name or age; which ones a council uses is configuration, so they
are checked here, once the settings are known, with the same located one-line messages.
"""

from __future__ import annotations

from .dataset import Dataset, problem_at, walk
from .errors import Problems, close_match_hint
from .models.common import MAX_AGE
from .settings import Settings


def check_configured(dataset: Dataset, settings: Settings) -> Problems:
    """Every benchmark names a configured comparator, every event a known kind, no age above upper_age."""
    problems = Problems()
    names = [c.name for c in settings.comparators]
    for kpi_id, kpi in dataset.kpis.items():
        doc = dataset.documents[dataset.origin("kpis", kpi_id)]
        for index, benchmark in enumerate(kpi.benchmarks):
            if benchmark.name not in names:
                problems.add(
                    problem_at(
                        doc,
                        ("benchmarks", index, "name"),
                        f"not one of the comparators in site_config.yml ({', '.join(names)})",
                        repr(benchmark.name),
                        close_match_hint(benchmark.name, names) or "add it to `comparators` in site_config.yml",
                    )
                )
    kinds = settings.event_kinds
    for event_id, event in dataset.events.items():
        if event.kind not in kinds:
            doc = dataset.documents[dataset.origin("events", event_id)]
            problems.add(
                problem_at(
                    doc,
                    ("kind",),
                    f"not an event kind ({', '.join(kinds)})",
                    repr(event.kind),
                    close_match_hint(event.kind, list(kinds)) or "add it to `extra_event_kinds` in site_config.yml",
                )
            )
    for area_key, area in dataset.areas.items():
        doc = dataset.documents[dataset.origin("areas", area_key)]
        for index, entitlement in enumerate(area.entitlements):
            for field in ("min_age", "max_age"):
                age = getattr(entitlement.qualifies, field)
                if age is not None and age > settings.upper_age:
                    problems.add(
                        problem_at(
                            doc,
                            ("entitlements", index, "qualifies", field),
                            f"above the Local Offer's upper age ({settings.upper_age}, `upper_age` in site_config.yml)",
                            str(age),
                        )
                    )
    problems.extend(_quote_ages(dataset, settings.upper_age))
    return problems


def _quote_ages(dataset: Dataset, upper_age: int) -> Problems:
    """A quoted young person's age is at most the upper age (found in the files, wherever quotes sit)."""
    problems = Problems()
    for doc in dataset.documents.values():
        for loc, value in walk(doc.data):
            if (
                len(loc) >= 3
                and loc[-3] == "quotes"
                and loc[-1] == "age"
                and isinstance(value, int)
                and not isinstance(value, bool)
                and upper_age < value <= MAX_AGE
            ):
                problems.add(
                    problem_at(
                        doc, loc, f"above the upper age ({upper_age}, `upper_age` in site_config.yml)", str(value)
                    )
                )
    return problems
