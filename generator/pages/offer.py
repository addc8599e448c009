"""Page kind: the Local Offer for care leavers — its index, one page per area, the finder, and speak-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import offer
from ..models.entitlement import AreaOffer, CareStatus, Entitlement, who_for
from ..settings import Contact
from .kind import Build, NothingAhead, Page, documented


@dataclass(frozen=True)
class OfferNotes:
    """What every Local Offer page needs to name its entitlements: icons, contacts, plain words."""

    area_icons: Mapping[str, str] = documented("Each area's icon name, by area (`area_icons[area.area.value]`).")
    contacts: Mapping[str, tuple[Contact, ...]] = documented(
        "The configured public contacts each entitlement names, by entitlement id (`name`, `phone`, `tel_href`, "
        "`email`, `mailto_href`, `url`, `hours`, `address`)."
    )
    who_for: Mapping[str, str] = documented("'care leavers', 'young people in care' or both, by entitlement id.")
    statuses: tuple[tuple[str, str], ...] = documented(
        "(care status, what it means in this edition's words) for the statuses the page's entries name."
    )
    status: Mapping[str, str] = documented(
        "By entitlement id, where it stands in this edition's words ('Proposed in April 2017. This has not been "
        "agreed yet.'), or '' when it is in force: only then is it said as something you get."
    )
    amount_lead: Mapping[str, str] = documented(
        "By entitlement id, words before the amount of what is not in force yet ('If it is agreed: '), or ''."
    )
    reviewed: dt.date | None = documented(
        "When this page's entries were all last checked: the oldest `last_reviewed` among them (never the build date)."
    )


@dataclass(frozen=True)
class OfferIndexContext(OfferNotes):
    """local-offer/index.md (offer_index.md.j2): every area and the finder's questions."""

    areas: tuple[AreaOffer, ...] = documented(
        "Each area: `area.value`, `title`, `introduction`, `entitlements`, `young`.", default=()
    )
    bands: tuple[offer.Band, ...] = documented("The finder's pages: `question`, `label`, `path`.", default=())
    set_by: Mapping[str, str] = documented(
        "By entitlement id, one sentence worked out from the kinds of legal basis: 'Set by law.', "
        "'Set by national policy, not by law.'",
        default_factory=dict,
    )


@dataclass(frozen=True)
class OfferAreaContext(OfferNotes):
    """local-offer/<area>.md (offer_area.md.j2): one area's entitlements in full."""

    area: AreaOffer | None = documented("The area (its `entitlements` in order).", default=None)
    set_by: Mapping[str, str] = documented(
        "By entitlement id, one sentence worked out from the kinds of legal basis: 'Set by law.', "
        "'Set by national policy, not by law.'",
        default_factory=dict,
    )
    set_by_detail: Mapping[str, str] = documented(
        "By entitlement id, each item of its legal basis with what kind of thing it is ('...section 24D (an Act "
        "of Parliament)').",
        default_factory=dict,
    )


@dataclass(frozen=True)
class OfferFinderContext(OfferNotes):
    """A finder page (offer_finder.md.j2): what applies at one age and care status, by area."""

    band: offer.Band | None = documented("This page's band: `who`, `label`, `question`, `statuses`.", default=None)
    found: tuple[tuple[AreaOffer, tuple[Entitlement, ...]], ...] = documented(
        "(area, entitlements that apply) pairs, only areas with something.", default=()
    )
    bands: tuple[offer.Band, ...] = documented("Every status band, for links to the others.", default=())

    waiting: bool = documented(
        "True when an entry on the page is not in force yet (proposed, agreed or not commenced).", default=False
    )


@dataclass(frozen=True)
class SpeakUpContext:
    """local-offer/speak-up.md (offer_speak_up.md.j2): complaints, advocacy and appeals."""

    complaints: tuple[Contact, ...] = documented("The contacts with `speak_up: complaints`, in configured order.")
    advocacy: tuple[Contact, ...] = documented("The contacts with `speak_up: advocacy`.")
    independent: tuple[Contact, ...] = documented("The contacts with `speak_up: independent` (`icon` beside each).")


class OfferPages(NothingAhead):
    """The Local Offer's pages in both editions."""

    name = "local_offer"
    templates: dict[str, type] = {
        "offer_index.md.j2": OfferIndexContext,
        "offer_area.md.j2": OfferAreaContext,
        "offer_finder.md.j2": OfferFinderContext,
        "offer_speak_up.md.j2": SpeakUpContext,
    }

    def plan(self, build: Build) -> list[Page]:
        """The index, the areas, the finder's pages and the speak-up page."""
        dataset, settings, urls, young = build.dataset, build.settings, build.urls, build.young
        areas = tuple(dataset.areas.values())
        if not areas:
            return []
        entitlements = [e for a in areas for e in a.entitlements]
        today, council = build.today, settings.council
        common: dict[str, Any] = {  # the OfferNotes fields every page shares
            "area_icons": {a.area.value: offer.area_icon(a) for a in areas},
            "contacts": {e.id: tuple(offer.contacts_for(e, settings)) for e in entitlements},
            "who_for": {e.id: who_for(e) for e in entitlements},
            "status": {e.id: offer.status_note(e, today, young) for e in entitlements},
            "amount_lead": {e.id: offer.amount_lead(e, today) for e in entitlements},
        }
        set_by = {e.id: offer.set_by(e, council) for e in entitlements}

        def statuses(
            shown: Sequence[Entitlement], within: frozenset[CareStatus] | None = None
        ) -> tuple[tuple[str, str], ...]:
            meanings = offer.YOUNG_STATUS_MEANINGS if young else offer.STATUS_MEANINGS
            return tuple((s.value, meanings[s]) for s in offer.statuses_used(list(shown), within))

        bands = tuple(offer.finder_bands(settings))
        pages = [
            Page(
                urls.local_offer(),
                "offer_index.md.j2",
                "What can I get?" if young else "Local Offer for care leavers",
                OfferIndexContext(
                    **common,
                    statuses=statuses(entitlements),
                    reviewed=offer.last_reviewed(entitlements),
                    areas=areas,
                    bands=bands,
                    set_by=set_by,
                ),
                True,
            )
        ]
        pages += [
            Page(
                urls.offer_area(a.area.value),
                "offer_area.md.j2",
                a.young.title if young else a.title,
                OfferAreaContext(
                    **common,
                    statuses=statuses(a.entitlements),
                    reviewed=offer.last_reviewed(a.entitlements),
                    area=a,
                    set_by=set_by,
                    set_by_detail={e.id: offer.set_by_detail(e, council) for e in a.entitlements},
                ),
            )
            for a in areas
        ]
        finder = list(bands)
        if young:  # the configured age bands, for every status
            finder += [offer.age_band(b.min_age, b.max_age) for b in settings.age_bands]
        for band in finder:
            found = tuple((a, tuple(es)) for a, es in offer.band_areas(list(areas), band))
            shown = [e for _, es in found for e in es]
            pages.append(
                Page(
                    band.path,
                    "offer_finder.md.j2",
                    band.question,
                    OfferFinderContext(
                        **common,
                        statuses=statuses(shown, band.statuses),
                        reviewed=offer.last_reviewed(shown),
                        band=band,
                        found=found,
                        bands=bands,
                        waiting=any(common["status"][e.id] for e in shown),
                    ),
                )
            )
        pages.append(
            Page(
                urls.speak_up(),
                "offer_speak_up.md.j2",
                "Complaints and who speaks up for you" if young else "Complaints, advocacy and appeals",
                SpeakUpContext(
                    *(
                        tuple(c for c in settings.contacts if c.speak_up == role)
                        for role in ("complaints", "advocacy", "independent")
                    )
                ),
            )
        )
        return pages


KIND = OfferPages()
