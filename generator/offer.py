"""The Local Offer finder and its checks: which entitlements apply to whom, and who to call.

The finder is a set of plain pages, one per age-and-status band, that need no JavaScript. An
entitlement appears on a band's page when one of its care statuses is the band's and its age
range meets the band's at some age.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .dataset import Dataset, problem_at
from .errors import Problem, Problems, Severity
from .models.entitlement import Area, AreaOffer, CareStatus, Entitlement, LawKind, Status
from .settings import Contact, Settings
from .urls import Urls

S = CareStatus


@dataclass(frozen=True)
class Band:
    """One finder page: an age range (high None means no upper age) and the care statuses it covers."""

    slug: str
    label: str
    who: str
    question: str
    low: int
    high: int | None
    statuses: frozenset[CareStatus]
    folder: str = "for/"

    @property
    def path(self) -> str:
        return Urls.offer_finder(self.folder, self.slug)


def age_band(low: int, high: int) -> Band:
    """A configured age band (`age_bands` in site_config.yml): every status, at /local-offer/age-<low>-<high>/."""
    words = f"{low} to {high}" if high != low else str(low)
    return Band(
        f"age-{low}-{high}", words, words, f"What can I get at {words}?", low, high, frozenset(CareStatus), folder=""
    )


def _ages_words(low: int, high: int) -> str:
    """'18', '16 or 17', '18, 19 or 20', '21 to 25': ages as a reader would say them."""
    if high == low:
        return str(low)
    if high - low <= 2:
        ages = [str(age) for age in range(low, high + 1)]
        return f"{', '.join(ages[:-1])} or {ages[-1]}"
    return f"{low} to {high}"


def _left_care_band(low: int, high: int) -> Band:
    """A band of care leavers aged `low` to `high` (former relevant or qualifying)."""
    words = _ages_words(low, high)
    slug = f"{low}-{high}" if high > low else str(low)
    return Band(
        slug,
        f"{words}, left care",
        f"{words} and have left care",
        f"What can I get at {words} if I have left care?",
        low,
        high,
        frozenset({S.FORMER_RELEVANT, S.QUALIFYING}),
    )


def finder_bands(settings: Settings) -> tuple[Band, ...]:
    """The finder's pages, with the care leavers' bands ending at the configured `upper_age`.

    The ages 16 and 17 (in care, or left care) and 18 to 20 (the Staying Put years) come from the law
    and stay fixed; the next band runs from 21 to `upper_age`, and the last covers anyone older who was
    ever in care. With the default upper_age of 25 the pages are 16-17-in-care, 16-17-left-care,
    18-20, 21-25 and over-25, so a council that keeps the default keeps its URLs. With upper_age 18,
    19 or 20 the 18-20 band is cut short at upper_age and there is no 21-and-over band of care leavers.
    """
    upper = settings.upper_age
    bands = [
        Band(
            "16-17-in-care",
            "16 or 17, in care",
            "16 or 17 and in care",
            "What can I get at 16 or 17 while I am in care?",
            16,
            17,
            frozenset({S.LOOKED_AFTER, S.ELIGIBLE}),
        ),
        Band(
            "16-17-left-care",
            "16 or 17, left care",
            "16 or 17 and have left care",
            "What can I get at 16 or 17 if I have left care?",
            16,
            17,
            frozenset({S.RELEVANT, S.QUALIFYING}),
        ),
        _left_care_band(18, min(20, upper)),
    ]
    if upper >= 21:
        bands.append(_left_care_band(21, upper))
    bands.append(
        Band(
            f"over-{upper}",
            f"over {upper}, care-experienced",
            f"over {upper} and were in care at any time",
            f"What can I get over {upper} if I was in care?",
            upper + 1,
            None,
            frozenset({S.CARE_EXPERIENCED}),
        )
    )
    return tuple(bands)


STATUS_MEANINGS = {
    S.LOOKED_AFTER: "You are in the council's care now: you live with foster carers, in a children's home "
    "or somewhere else the council has arranged.",
    S.ELIGIBLE: "You are 16 or 17, still in care, and have been in care for at least 13 weeks in total "
    "since you were 14.",
    S.RELEVANT: "You are 16 or 17 and have left care, after being in care for at least 13 weeks since you "
    "were 14, including some time after you turned 16.",
    S.FORMER_RELEVANT: "You are 18 or older and were eligible or relevant before your 18th birthday. "
    "Most care leavers aged 18 to 25 are former relevant.",
    S.QUALIFYING: "You are 16 to 25 and were in care after you turned 16 but for less time, or you left "
    "care for a special guardianship order. You can still ask for advice and help.",
    S.CARE_EXPERIENCED: "You were in care at any time, at any age, whether or not you count as a care leaver in law.",
}
YOUNG_STATUS_MEANINGS = {
    S.LOOKED_AFTER: "You are in care now.",
    S.ELIGIBLE: "You are 16 or 17. You are still in care. You have been in care for 13 weeks or more "
    "since you were 14.",
    S.RELEVANT: "You are 16 or 17. You have left care. You were in care for 13 weeks or more since you were 14.",
    S.FORMER_RELEVANT: "You are 18 or older. You were in care for 13 weeks or more after you were 14. "
    "Most care leavers are this.",
    S.QUALIFYING: "You were in care after you were 16, but not for long. You can still ask us for help.",
    S.CARE_EXPERIENCED: "You were in care at some time in your life.",
}

AREA_ICONS = {
    Area.HEALTH: "material/heart-pulse",
    Area.RELATIONSHIPS: "material/account-group",
    Area.EDUCATION: "material/school",
    Area.EMPLOYMENT: "material/briefcase",
    Area.ACCOMMODATION: "material/home",
    Area.PARTICIPATION: "material/account-voice",
    Area.MONEY: "material/cash",
}


def area_icon(area: AreaOffer) -> str:
    """The icon name for an area: its own, or the default for its kind."""
    return area.icon or AREA_ICONS[area.area]


def applies(entitlement: Entitlement, band: Band) -> bool:
    """True if the entitlement is for one of the band's statuses at some age in the band."""
    q = entitlement.qualifies
    if not set(q.care_status) & band.statuses:
        return False
    below_top = band.high is None or q.min_age <= band.high
    return below_top and (q.max_age is None or q.max_age >= band.low)


def band_areas(areas: list[AreaOffer], band: Band) -> list[tuple[AreaOffer, list[Entitlement]]]:
    """The areas that have something for the band, each with only the entitlements that apply."""
    found = [(a, [e for e in a.entitlements if applies(e, band)]) for a in areas]
    return [(a, es) for a, es in found if es]


def statuses_used(entitlements: list[Entitlement], within: frozenset[CareStatus] | None = None) -> list[CareStatus]:
    """The care statuses these entitlements name (only those `within`, if given), in the law's order."""
    used = {s for e in entitlements for s in e.qualifies.care_status}
    return [s for s in CareStatus if s in used and (within is None or s in within)]


def contacts_for(entitlement: Entitlement, settings: Settings) -> list[Contact]:
    """The configured public contacts an entitlement names (unknown ids are reported by check_offer)."""
    by_id = {c.id: c for c in settings.contacts}
    return [by_id[c] for c in entitlement.contacts if c in by_id]


def last_reviewed(entitlements: Iterable[Entitlement]) -> dt.date | None:
    """When a page's entries were all last checked: the oldest `last_reviewed` of them, never the build date.

    A page is only as up to date as its least recently checked entry; each entry shows its own date.
    """
    return min((e.last_reviewed for e in entitlements), default=None)


def _month(day: dt.date) -> str:
    return day.strftime("%B %Y")


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def status_note(e: Entitlement, today: dt.date, young: bool = False) -> str:
    """Where an entry stands, in this edition's words, or '' when it is in force (something you can get now).

    A proposal reads as a proposal ("Proposed in April 2017. This has not been agreed yet."), a duty in an
    Act that has not been commenced says so, and an agreed or in-force entry whose start is after `today`
    says when it starts.
    """
    starts = e.in_force_from if e.in_force_from and e.in_force_from > today else None
    if e.status is Status.PROPOSED and e.proposed_on:
        if young:
            return f"This was a plan in {e.proposed_on.year}. It has not been agreed yet."
        return f"Proposed in {_month(e.proposed_on)}. This has not been agreed yet."
    if e.status is Status.AGREED and e.agreed_on:
        if young:
            return "This has been agreed. " + (f"It starts on {_day(starts)}." if starts else "It has not started yet.")
        then = f"it starts on {_day(starts)}." if starts else "it has not started yet."
        return f"Agreed on {_day(e.agreed_on)}; {then}"
    if e.status is Status.NOT_COMMENCED:
        if young:
            return "This is in a new law. But that part of the law has not started yet."
        when = f" It is due to come into force on {_day(starts)}." if starts else ""
        return (
            "Not in force yet: this duty is in an Act of Parliament, but it has not been brought into force "
            f"(commenced), so it does not apply yet.{when}"
        )
    if starts:
        return f"This starts on {_day(starts)}." if young else f"Not in force yet: it starts on {_day(starts)}."
    return ""


def amount_lead(e: Entitlement, today: dt.date) -> str:
    """Words before the amount of money of an entry you cannot get yet ('If it is agreed: '), or ''."""
    if e.amount is None or e.in_force(today):
        return ""
    if e.status is Status.PROPOSED:
        return "If it is agreed: "
    if e.status is Status.NOT_COMMENCED:
        return "When it comes into force: "
    return "When it starts: "


BASIS_LABELS = {
    LawKind.ACT: "an Act of Parliament",
    LawKind.REGULATIONS: "regulations, which are law",
    LawKind.STATUTORY_GUIDANCE: "statutory guidance, not law",
    LawKind.NATIONAL_GUIDANCE: "national guidance, not law",
    LawKind.NATIONAL_POLICY: "national policy, not law",
}


def _setters(e: Entitlement, council: str) -> list[str]:
    """Who sets it, in order and once each: 'law', 'statutory guidance', ..., the council."""
    words = {
        LawKind.ACT: "law",
        LawKind.REGULATIONS: "law",
        LawKind.STATUTORY_GUIDANCE: "statutory guidance",
        LawKind.NATIONAL_GUIDANCE: "national guidance",
        LawKind.NATIONAL_POLICY: "national policy",
        LawKind.COUNCIL_POLICY: council,
    }
    setters = [words[b.kind] for b in e.bases] or [council]
    return list(dict.fromkeys(sorted(setters, key=lambda w: w != "law")))


def set_by(e: Entitlement, council: str) -> str:
    """One sentence, worked out from the kinds of legal basis: 'Set by law.', 'Set by national policy, not by law.'"""
    setters = _setters(e, council)
    words = setters[0] if len(setters) == 1 else ", ".join(setters[:-1]) + " and " + setters[-1]
    if "law" not in setters:
        return f"Set by {words}, not by law."
    return f"Set by {words}, but not in force yet." if e.status is Status.NOT_COMMENCED else f"Set by {words}."


def set_by_detail(e: Entitlement, council: str) -> str:
    """Each item of the legal basis with what kind of thing it is, for the area page's 'Set by' row ('' if none)."""
    if not e.bases:
        return ""  # the council's own offer: `set_by` says so
    labels = dict(BASIS_LABELS) | {LawKind.COUNCIL_POLICY: f"{council}'s own policy, not law"}
    return "; ".join(f"{b.cite} ({labels[b.kind]})" for b in e.bases)


def check_offer(dataset: Dataset, settings: Settings) -> Problems:
    """Contacts that are not configured and a `basis` flag that contradicts the legal basis (errors); young
    amount text that drops the figure (warning)."""
    from .icons import icon_exists

    problems = Problems()
    ids = {c.id for c in settings.contacts if c.id}  # every contact has an id (made from its name if not given)
    seen: set[str] = set()
    for index, contact in enumerate(settings.contacts):
        if contact.id in seen:
            problems.add(
                Problem(
                    *settings.where(("contacts", index, "id")),
                    f"contacts[{index}].id",
                    "contact id is given twice",
                    repr(contact.id),
                )
            )
        seen.add(contact.id or "")
    for key, area in dataset.areas.items():
        doc = dataset.documents[dataset.origin("areas", key)]
        if not icon_exists(area_icon(area)):
            problems.add(
                problem_at(
                    doc,
                    ("icon",),
                    "no such icon in Material's bundled sets",
                    repr(area.icon),
                    "use a name such as material/cash (see Material's icon search)",
                )
            )
        for i, e in enumerate(area.entitlements):
            if wrong := e.basis_contradiction():
                problems.add(
                    problem_at(
                        doc,
                        ("entitlements", i, "basis"),
                        wrong,
                        repr(e.basis.value if e.basis else None),
                        "basis is worked out from legal_basis now: delete the basis line, and give legal_basis as "
                        "[{kind: act | regulations | statutory guidance | national guidance | national policy | "
                        "council policy, cite: ...}]",
                    )
                )
            for j, contact_id in enumerate(e.contacts):
                if contact_id not in ids:
                    problems.add(
                        problem_at(
                            doc,
                            ("entitlements", i, "contacts", j),
                            "no contact with this id in site_config.yml contacts",
                            repr(contact_id),
                            f"known ids: {', '.join(sorted(ids)) or 'none'}",
                        )
                    )
            figure = e.amount.figure if e.amount else None
            if figure and e.young.amount and figure not in e.young.amount:
                problems.add(
                    problem_at(
                        doc,
                        ("entitlements", i, "young", "amount"),
                        f"the young text leaves out the amount {figure} that the standard record gives",
                        repr(e.young.amount),
                        f"say {figure} in the young text too, or leave young.amount out",
                        severity=Severity.WARNING,
                    )
                )
    if dataset.pledge:
        pledge_doc = next((d for d in dataset.documents.values() if d.path.name == "pledge.yml"), None)
        for i, promise in enumerate(dataset.pledge.promises):
            if pledge_doc and promise.icon and not icon_exists(promise.icon):
                problems.add(
                    problem_at(
                        pledge_doc,
                        ("promises", i, "icon"),
                        "no such icon in Material's bundled sets",
                        repr(promise.icon),
                        "use a name such as material/home",
                    )
                )
    return problems
