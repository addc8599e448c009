"""The care-leaver Local Offer: one file per area in `data/entitlements/<area>.yml`.

What the law says is worked out, never typed: each entry lists its `legal_basis` as items of a
kind (`act`, `regulations`, `statutory guidance`, `national guidance`, `national policy`,
`council policy`), and only an Act or regulations make it "set by law" (`Entitlement.statutory`).
The old typed flag `basis: statutory | local` is still read, so councils' files keep working, but
it is deprecated; a flag that contradicts the legal basis is an error (see `offer.check_offer`).

An entry has a `status` (`in force` by default, `proposed`, `agreed`, or `not commenced` for a duty
in an Act that has not been brought into force) with its dates; only what is in force is said as
something you get.

Amounts are data (`amount: {gbp: 2000, per: once, up_to: true}` or `amount: {varies: "how to find
out"}`), so both editions say them the same way ("up to £2,000, once"). Who to ask is a role in
words (`contact`) plus references to the public contacts configured in site_config.yml
(`contacts: [leaving-care]`), which the pages turn into phone and e-mail links.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum

from pydantic import Field, model_validator

from .common import MAX_AGE, Citation, Slug, Strict, Text


class Area(str, Enum):
    HEALTH = "health-and-wellbeing"
    RELATIONSHIPS = "relationships"
    EDUCATION = "education-and-training"
    EMPLOYMENT = "employment"
    ACCOMMODATION = "accommodation"
    PARTICIPATION = "participation-in-society"
    MONEY = "money"


class CareStatus(str, Enum):
    LOOKED_AFTER = "looked after"
    ELIGIBLE = "eligible"
    RELEVANT = "relevant"
    FORMER_RELEVANT = "former relevant"
    QUALIFYING = "qualifying"
    CARE_EXPERIENCED = "care experienced"


IN_CARE = {CareStatus.LOOKED_AFTER, CareStatus.ELIGIBLE}


def who_for(entitlement: Entitlement) -> str:
    """In plain words: is it for young people in care, care leavers, or both?"""
    statuses = set(entitlement.qualifies.care_status)
    in_care, left = bool(statuses & IN_CARE), bool(statuses - IN_CARE)
    if in_care and left:
        return "young people in care and care leavers"
    return "young people in care" if in_care else "care leavers"


class Basis(str, Enum):
    """Deprecated: the old typed flag. The same answer is now worked out from `legal_basis`."""

    STATUTORY = "statutory"
    LOCAL = "local"


class LawKind(str, Enum):
    """What kind of thing makes an entitlement: only an Act or regulations are law."""

    ACT = "act"
    REGULATIONS = "regulations"
    STATUTORY_GUIDANCE = "statutory guidance"
    NATIONAL_GUIDANCE = "national guidance"
    NATIONAL_POLICY = "national policy"
    COUNCIL_POLICY = "council policy"


LAW = frozenset({LawKind.ACT, LawKind.REGULATIONS})


class LegalBasis(Strict):
    """One thing an entitlement rests on: its kind and where it is, e.g. an Act and its section."""

    kind: LawKind = Field(
        description="act or regulations (law); statutory guidance, national guidance, national policy "
        "(e.g. a Department for Education scheme) or council policy (not law)."
    )
    cite: Text = Field(description="Where it is, e.g. 'Children Act 1989, section 24D'.")

    @property
    def is_law(self) -> bool:
        """True for an Act or regulations."""
        return self.kind in LAW


class Status(str, Enum):
    """Where an entitlement stands: only `in force` is something you can get now."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    NOT_COMMENCED = "not commenced"
    IN_FORCE = "in force"


# Old files give `legal_basis` as words; an Act or regulations named in them makes `basis: statutory` plausible.
NAMES_LAW = re.compile(r"\bAct\b(?: \d{4}| of)|\bRegulations\b|\bOrder \d{4}\b")


class Per(str, Enum):
    ONCE = "once"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Amount(Strict):
    """How much money: a sum in pounds, a percentage of a bill, or how to find out when it varies."""

    gbp: Decimal | None = Field(None, ge=0, le=1_000_000, decimal_places=2, description="A sum in pounds, e.g. 2000.")
    percent: Decimal | None = Field(None, gt=0, le=100, description="A share of a bill, e.g. 100.")
    of: Text | None = Field(None, description="With percent: what it is a share of, e.g. 'your council tax bill'.")
    per: Per | None = Field(None, description="With gbp or percent: once, week, month or year.")
    up_to: bool = Field(False, description="With gbp: true if this is the most you can get.")
    varies: Text | None = Field(None, description="When there is no fixed sum: how to find out how much.")
    effective_from: dt.date | None = Field(None, description="The day this amount started.")

    @model_validator(mode="after")
    def _one_kind(self) -> Amount:
        kinds = [k for k in ("gbp", "percent", "varies") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of gbp, percent or varies")
        if self.varies is None and self.per is None:
            raise ValueError("say how often with per: once, week, month or year")
        if (self.percent is None) != (self.of is None):
            raise ValueError("percent and of go together: 'percent: 100, of: your council tax bill'")
        if self.up_to and self.gbp is None:
            raise ValueError("up_to goes with gbp")
        return self

    @property
    def figure(self) -> str | None:
        """The sum alone, '£2,000' or '£57.50', or '100%'; None when it varies."""
        if self.gbp is not None:
            whole = self.gbp == self.gbp.to_integral_value()
            return f"£{int(self.gbp):,}" if whole else f"£{self.gbp:,.2f}"
        if self.percent is not None:
            return f"{self.percent.normalize():f}%"
        return None

    @property
    def text(self) -> str:
        """The same words in both editions: 'up to £2,000, once', '£3,000, once (from 1 August 2023)'."""
        if self.figure is None:
            return str(self.varies)
        words = ("up to " if self.up_to else "") + self.figure
        if self.of:
            words += f" of {self.of}"
        words += ", once" if self.per is Per.ONCE else f" a {self.per.value}" if self.per else ""
        if self.effective_from:
            day = self.effective_from
            words += f" (from {day.day} {day.strftime('%B %Y')})"
        return words


class Qualifies(Strict):
    min_age: int = Field(ge=0, le=MAX_AGE, description="Youngest age that can get it.")
    max_age: int | None = Field(
        le=MAX_AGE,
        description="Oldest age that can get it (up to the configured upper_age, "
        "25 by default); null for no upper age, such as the right to see your records.",
    )
    care_status: list[CareStatus] = Field(min_length=1, description="Care statuses that qualify.")
    conditions: Text | None = Field(None, description="Any other condition, e.g. 'in full-time education'.")

    @model_validator(mode="after")
    def _ages(self) -> Qualifies:
        if self.max_age is not None and self.max_age < self.min_age:
            raise ValueError("max_age is below min_age")
        return self

    @property
    def ages(self) -> str:
        """'ages 16 to 25', 'age 2', 'age 16 and over'."""
        if self.max_age is None:
            return f"age {self.min_age} and over"
        if self.max_age == self.min_age:
            return f"age {self.min_age}"
        return f"ages {self.min_age} to {self.max_age}"


class YoungEntitlement(Strict):
    title: Text = Field(description="Plain-words title.")
    description: Text = Field(description="What it is, in plain words.")
    amount: Text | None = Field(
        None, description="More about the amount, in plain words (the amount itself comes from the record's `amount`)."
    )
    how_to_get: Text = Field(description="How to get it, in plain words.")
    contact: Text | None = Field(None, description="Who to ask, in plain words, e.g. 'Your personal adviser'.")


class Entitlement(Strict):
    id: Slug = Field(description="The entitlement's id; unique across all areas.")
    title: Text = Field(description="Its name.")
    description: Text = Field(description="What it is.")
    basis: Basis | None = Field(
        None,
        description="Deprecated: worked out from legal_basis. Old files may still say statutory or local; "
        "a value that contradicts legal_basis is an error.",
    )
    status: Status = Field(
        Status.IN_FORCE,
        description="in force (the default: you can get it), proposed (not agreed yet; give proposed_on), "
        "agreed (not started yet; give agreed_on) or not commenced (a duty in an Act that is not in force yet).",
    )
    proposed_on: dt.date | None = Field(None, description="The day it was proposed (needed when status is proposed).")
    agreed_on: dt.date | None = Field(None, description="The day it was agreed (needed when status is agreed).")
    in_force_from: dt.date | None = Field(
        None, description="The day it started, or starts: a later day than the build means it has not started yet."
    )
    qualifies: Qualifies = Field(description="Who can get it.")
    amount: Amount | None = Field(
        None, description="How much money, if it is money; leave out for a service that costs you nothing."
    )
    how_often: Text | None = Field(None, description="For a service: how often, e.g. 'at least every eight weeks'.")
    how_to_get: Text = Field(description="What to do to get it.")
    contact: Text = Field(description="Who to ask, by role or team, e.g. 'Your personal adviser'.")
    contacts: list[Slug] = Field(
        default_factory=list, description="Ids of public contacts in site_config.yml to call or write to."
    )
    legal_basis: list[LegalBasis] | Text | None = Field(
        None,
        description="What it rests on: a list of {kind, cite}, e.g. [{kind: act, cite: 'Children Act 1989, "
        "section 24D'}]; leave out for the council's own offer. Plain words (the old form) need `basis`.",
    )
    last_reviewed: dt.date = Field(description="When this entry was last checked.")
    source: Citation = Field(description="Where it is described.")
    young: YoungEntitlement = Field(description="The young people's edition.")

    @model_validator(mode="after")
    def _basis_and_status(self) -> Entitlement:
        if self.basis is Basis.STATUTORY and not self.legal_basis:
            raise ValueError("a statutory entitlement needs its legal_basis (the Act or regulations)")
        if isinstance(self.legal_basis, str) and self.basis is None:
            raise ValueError(
                "say what kind of legal basis this is: legal_basis: [{kind: act, cite: '...'}] "
                "(kinds: " + ", ".join(k.value for k in LawKind) + ")"
            )
        if self.status is Status.PROPOSED and self.proposed_on is None:
            raise ValueError("a proposed entitlement needs proposed_on, the day it was proposed")
        if self.status is Status.AGREED and self.agreed_on is None:
            raise ValueError("an agreed entitlement needs agreed_on, the day it was agreed")
        if self.status is Status.NOT_COMMENCED and not any(b.is_law for b in self.bases):
            raise ValueError("only a duty in an Act or regulations can be 'not commenced'; is it proposed or agreed?")
        return self

    @property
    def bases(self) -> tuple[LegalBasis, ...]:
        """The legal basis as typed items; words in the old form take their kind from the old `basis` flag."""
        if self.legal_basis is None:
            return ()
        if isinstance(self.legal_basis, str):
            kind = LawKind.ACT if self.basis is Basis.STATUTORY else LawKind.COUNCIL_POLICY
            return (LegalBasis(kind=kind, cite=self.legal_basis),)
        return tuple(self.legal_basis)

    @property
    def statutory(self) -> bool:
        """Set by law, at least in part: worked out from the legal basis (an Act or regulations), never typed."""
        return any(b.is_law for b in self.bases)

    @property
    def only_law(self) -> bool:
        """Set by law alone: every item of the legal basis is an Act or regulations."""
        return bool(self.bases) and all(b.is_law for b in self.bases)

    def basis_contradiction(self) -> str | None:
        """What is wrong when the old typed `basis` flag disagrees with the legal basis, else None."""
        if self.basis is None:
            return None
        if isinstance(self.legal_basis, str):
            if self.basis is Basis.STATUTORY and not NAMES_LAW.search(self.legal_basis):
                return "basis says statutory, but legal_basis names no Act or regulations"
            return None
        if self.basis is Basis.STATUTORY and not self.statutory:
            return "basis says statutory, but no item of legal_basis is an act or regulations"
        if self.basis is Basis.LOCAL and self.only_law:
            return "basis says local, but every item of legal_basis is an act or regulations"
        return None

    def in_force(self, today: dt.date) -> bool:
        """True if it is something you can get on `today`: in force, and started."""
        started = self.in_force_from is None or self.in_force_from <= today
        return self.status is Status.IN_FORCE and started


class YoungArea(Strict):
    title: Text = Field(description="Plain-words title of the area.")
    introduction: Text = Field(description="Plain-words introduction.")


class AreaOffer(Strict):
    """All entitlements in one area of the Local Offer."""

    area: Area = Field(description="One of the statutory areas; also the file name.")
    title: Text = Field(description="The area's heading.")
    introduction: Text = Field(description="What this area covers.")
    icon: Text | None = Field(
        None, description="An icon bundled with Material, e.g. 'material/cash'; each area has a default."
    )
    entitlements: list[Entitlement] = Field(min_length=1, description="The entitlements in this area.")
    young: YoungArea = Field(description="The young people's edition.")
