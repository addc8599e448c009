"""The care-leaver Local Offer: one file per area in `data/entitlements/<area>.yml`.

Amounts are data (`amount: {gbp: 2000, per: once, up_to: true}` or `amount: {varies: "how to find
out"}`), so both editions say them the same way ("up to £2,000, once"). Who to ask is a role in
words (`contact`) plus references to the public contacts configured in site_config.yml
(`contacts: [leaving-care]`), which the pages turn into phone and e-mail links.
"""

from __future__ import annotations

import datetime as dt
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
    STATUTORY = "statutory"
    LOCAL = "local"


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
    basis: Basis = Field(description="statutory (the law says so) or local (the council's own offer).")
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
    legal_basis: Text | None = Field(None, description="The law or guidance behind it.")
    last_reviewed: dt.date = Field(description="When this entry was last checked.")
    source: Citation = Field(description="Where it is described.")
    young: YoungEntitlement = Field(description="The young people's edition.")

    @model_validator(mode="after")
    def _statutory_has_law(self) -> Entitlement:
        if self.basis is Basis.STATUTORY and not self.legal_basis:
            raise ValueError("a statutory entitlement needs its legal_basis (the Act or regulations)")
        return self


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
