"""Page kinds with one record type each: children in care council updates, the Pledge, events and the glossary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..images import published_images
from ..models.event import Event, Image
from ..models.glossary import Term
from ..models.pledge import Pledge
from ..models.update import Update
from .kind import Build, NothingAhead, Page, documented


@dataclass(frozen=True)
class UpdateIndexContext:
    """<children council slug>/index.md (update_index.md.j2): the group's updates, newest first."""

    updates: tuple[Update, ...] = documented(
        "Each update: `id`, `title`, `summary`, `period_start`, `period_end`, `meeting`, `young`."
    )


@dataclass(frozen=True)
class UpdateContext:
    """<children council slug>/<id>.md (update.md.j2): one update, what the group did and changed."""

    update: Update = documented(
        "The record: `title`, `summary`, `period_start`, `period_end`, `meeting`, "
        "`author_role`, `items`, `source`, `young`."
    )


class UpdatePages(NothingAhead):
    """The children in care council's updates, under its configured slug."""

    name = "children_council"
    templates: dict[str, type] = {"update_index.md.j2": UpdateIndexContext, "update.md.j2": UpdateContext}

    def plan(self, build: Build) -> list[Page]:
        """The index, then one page per update, newest first."""
        if not build.dataset.updates:
            return []
        updates = tuple(sorted(build.dataset.updates.values(), key=lambda u: u.period_end, reverse=True))
        group = build.settings.children_council
        title = "What young people told us" if build.young else f"{group.short_name} updates"
        pages = [Page(build.urls.children_council(), "update_index.md.j2", title, UpdateIndexContext(updates), True)]
        pages += [
            Page(build.urls.update(u.id), "update.md.j2", u.young.title if build.young else u.title, UpdateContext(u))
            for u in updates
        ]
        return pages


@dataclass(frozen=True)
class PledgeContext:
    """pledge/index.md (pledge.md.j2): the Pledge's promises and what has been done."""

    pledge: Pledge = documented(
        "The record: `title`, `introduction`, `approved_by`, `approved_on`, `review_date`, "
        "`promises` (`number`, `text`, `icon`, `progress`, `related_kpis`), `source`, `young`."
    )
    kpi_titles: Mapping[str, str] = documented("Each indicator's title, by id (for `related_kpis`).")


class PledgePages(NothingAhead):
    """The Pledge to children in care."""

    name = "pledge"
    templates: dict[str, type] = {"pledge.md.j2": PledgeContext}

    def plan(self, build: Build) -> list[Page]:
        """One page, when the Pledge is on record."""
        pledge = build.dataset.pledge
        if not pledge:
            return []
        titles = {k.id: k.title for k in build.dataset.kpis.values()}
        return [
            Page(
                build.urls.pledge(),
                "pledge.md.j2",
                pledge.young.title if build.young else pledge.title,
                PledgeContext(pledge, titles),
                True,
            )
        ]


@dataclass(frozen=True)
class EventIndexContext:
    """events/index.md (event_index.md.j2): every event, newest first."""

    events: tuple[Event, ...] = documented("Each event: `id`, `title`, `date`, `summary`, `young`.")


@dataclass(frozen=True)
class EventContext:
    """events/<id>.md (event.md.j2): one event's write-up."""

    event: Event = documented(
        "The record: `title`, `date`, `end_date`, `place`, `kind`, `summary`, "
        "`what_happened`, `taking_part`, `quotes`, `source`, `young`."
    )
    images: tuple[Image, ...] = documented(
        "Its pictures whose consent still runs on the day of the build (`src`, `alt`, `caption`)."
    )


class EventPages(NothingAhead):
    """Event write-ups."""

    name = "events"
    templates: dict[str, type] = {"event_index.md.j2": EventIndexContext, "event.md.j2": EventContext}

    def plan(self, build: Build) -> list[Page]:
        """The index, then one page per event, newest first."""
        if not build.dataset.events:
            return []
        events = tuple(sorted(build.dataset.events.values(), key=lambda e: e.date, reverse=True))
        pages = [Page(build.urls.events(), "event_index.md.j2", "Events", EventIndexContext(events), True)]
        pages += [
            Page(
                build.urls.event(e.id),
                "event.md.j2",
                e.young.title if build.young else e.title,
                EventContext(e, tuple(published_images(e, build.today))),
            )
            for e in events
        ]
        return pages


@dataclass(frozen=True)
class GlossaryContext:
    """glossary/index.md (glossary.md.j2): every term, in alphabetical order."""

    terms: tuple[Term, ...] = documented("Each term: `term`, `expansion`, `meaning`, `young_word`, `young`.")


class GlossaryPages(NothingAhead):
    """Words explained."""

    name = "glossary"
    templates: dict[str, type] = {"glossary.md.j2": GlossaryContext}

    def plan(self, build: Build) -> list[Page]:
        """One page, when the glossary has terms."""
        glossary = build.dataset.glossary
        if not glossary:
            return []
        terms = tuple(sorted(glossary.terms, key=lambda t: t.term.lower()))
        return [
            Page(
                build.urls.glossary(),
                "glossary.md.j2",
                "Words explained" if build.young else "Glossary",
                GlossaryContext(terms),
                True,
            )
        ]


UPDATES = UpdatePages()
PLEDGE = PledgePages()
EVENTS = EventPages()
GLOSSARY = GlossaryPages()
