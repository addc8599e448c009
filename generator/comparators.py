"""Comparators: the benchmark series a council compares its KPIs with, as configured in site_config.yml."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from .models.common import ComparatorName, Strict, Text


class Comparator(Strict):
    """A benchmark series a KPI may be compared with (England, statistical neighbours, a region, core cities)."""

    name: ComparatorName = Field(
        description="The name a KPI's `benchmarks[].name` gives, in lower case, e.g. 'england' or 'core cities'."
    )
    label: Text = Field(
        description="How a sentence names it, e.g. 'England', 'statistical neighbours', 'the core cities'."
    )
    short_label: Text | None = Field(
        None, description="Its name in chart legends and table columns (default: the label, capitalised)."
    )
    in_summary: bool = Field(
        False, description="True to compare the latest value with it in each KPI's one-sentence summary."
    )

    @property
    def heading(self) -> str:
        """The short label, or the label with a capital first letter."""
        text = self.short_label or self.label
        return text[:1].upper() + text[1:]


DEFAULT_COMPARATORS = (
    Comparator(name="england", label="England", in_summary=True),
    Comparator(name="statistical neighbours", label="statistical neighbours", in_summary=True),
    Comparator(name="best statistical neighbour", label="the best statistical neighbour", short_label="Best neighbour"),
    Comparator(name="top quartile", label="the top quartile", short_label="Top quartile"),
)


def find(comparators: Sequence[Comparator], name: str) -> Comparator:
    """The comparator of this name; an unconfigured name (already reported on load) is labelled by its name."""
    found = next((c for c in comparators if c.name == name), None)
    return found or Comparator(name=name, label=name)
