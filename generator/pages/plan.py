"""The page plan: every page of an edition, at its stable URL, before anything is rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..accessibility import Statement
from ..dataset import Dataset
from ..offer import age_band, band_areas, finder_bands, last_reviewed
from ..settings import Settings


def age_bands(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """The configured age bands as (label, youngest, oldest), e.g. ('18-20', 18, 20)."""
    return tuple((band.label, band.min_age, band.max_age) for band in settings.age_bands)


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its Markdown path, template and the data it shows."""

    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    in_nav: bool = False


def plan_pages(dataset: Dataset, settings: Settings, edition: str, statement: Statement | None = None
               ) -> list[PageSpec]:
    """Pages generated from data for one edition (hand-written pages are added by the pipeline)."""
    young = edition == "young"
    pages: list[PageSpec] = []
    kpis = [dataset.kpis[k] for k in settings.young_kpis if k in dataset.kpis] if young else list(dataset.kpis.values())
    if kpis:
        pages.append(PageSpec("performance/index.md", "kpi_index.md.j2",
                              "How are we doing?" if young else "Performance", {"kpis": kpis}, True))
        pages += [PageSpec(f"performance/{k.id}.md", "kpi.md.j2", _young_title(k) if young else k.title,
                           {"kpi": k}) for k in kpis]
    if dataset.updates:
        updates = sorted(dataset.updates.values(), key=lambda u: u.period_end, reverse=True)
        group = settings.children_council
        pages.append(PageSpec(f"{group.slug}/index.md", "update_index.md.j2",
                              "What young people told us" if young else f"{group.short_name} updates",
                              {"updates": updates}, True))
        pages += [PageSpec(f"{group.slug}/{u.id}.md", "update.md.j2", u.young.title if young else u.title,
                           {"update": u}) for u in updates]
    if dataset.pledge:
        pages.append(PageSpec("pledge/index.md", "pledge.md.j2",
                              dataset.pledge.young.title if young else dataset.pledge.title,
                              {"pledge": dataset.pledge}, True))
    if dataset.areas:
        pages += _offer_pages(dataset, settings, young)
    if dataset.events:
        events = sorted(dataset.events.values(), key=lambda e: e.date, reverse=True)
        pages.append(PageSpec("events/index.md", "event_index.md.j2", "Events", {"events": events}, True))
        pages += [PageSpec(f"events/{e.id}.md", "event.md.j2", e.young.title if young else e.title,
                           {"event": e}) for e in events]
    if not young:
        from .meetings import meeting_pages  # the archive's own module (decisions, actions, packs, feeds)

        pages += meeting_pages(dataset, settings)
    if dataset.glossary:
        pages.append(PageSpec("glossary/index.md", "glossary.md.j2", "Words explained" if young else "Glossary",
                              {"terms": sorted(dataset.glossary.terms, key=lambda t: t.term.lower())}, True))
    if statement is not None:
        pages.append(PageSpec("accessibility.md", "accessibility.md.j2",
                              "Can everyone use this site?" if young else "Accessibility statement",
                              {"statement": statement}))
    return pages


def _offer_pages(dataset: Dataset, settings: Settings, young: bool) -> list[PageSpec]:
    """The Local Offer: its index, one page per area, one finder page per age-and-status band, and
    the page on complaints and advocacy."""
    areas = list(dataset.areas.values())
    reviewed = last_reviewed(areas)
    bands = finder_bands(settings)
    pages = [PageSpec("local-offer/index.md", "offer_index.md.j2",
                      "What can I get?" if young else "Local Offer for care leavers",
                      {"areas": areas, "bands": bands, "reviewed": reviewed}, True)]
    pages += [PageSpec(f"local-offer/{a.area.value}.md", "offer_area.md.j2",
                       a.young.title if young else a.title, {"area": a, "reviewed": reviewed}) for a in areas]
    pages += [PageSpec(b.path, "offer_finder.md.j2", b.question,
                       {"band": b, "found": band_areas(areas, b), "bands": bands, "reviewed": reviewed}) for b in bands]
    if young:  # the configured age bands, for every status
        ages = [age_band(b.min_age, b.max_age) for b in settings.age_bands]
        pages += [PageSpec(b.path, "offer_finder.md.j2", b.question, {"band": b, "found": band_areas(areas, b),
                                                                       "bands": bands, "reviewed": reviewed})
                  for b in ages]
    pages.append(PageSpec("local-offer/speak-up.md", "offer_speak_up.md.j2",
                          "Complaints and who speaks up for you" if young else "Complaints, advocacy and appeals",
                          {"areas": areas}))
    return pages


def _young_title(kpi: Any) -> str:
    return kpi.young.title if kpi.young else kpi.title


def _long_date(day: Any) -> str:
    """'12 October 2016' for a day; 'October 2016' for a `DayOrMonth` known only to the month."""
    if hasattr(day, "label"):
        return str(day.label)
    return f"{day.day} {day.strftime('%B %Y')}"


long_date = _long_date
