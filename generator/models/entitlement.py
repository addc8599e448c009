"""The care-leaver Local Offer: one file per area in `data/entitlements/<area>.yml`."""

from __future__ import annotations

import datetime as dt
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


class Qualifies(Strict):
    min_age: int = Field(ge=0, le=MAX_AGE, description="Youngest age that can get it.")
    max_age: int = Field(ge=0, le=MAX_AGE, description="Oldest age that can get it (up to the configured upper_age, 25 by default).")
    care_status: list[CareStatus] = Field(min_length=1, description="Care statuses that qualify.")
    conditions: Text | None = Field(None, description="Any other condition, e.g. 'in full-time education'.")

    @model_validator(mode="after")
    def _ages(self) -> Qualifies:
        if self.max_age < self.min_age:
            raise ValueError("max_age is below min_age")
        return self


class YoungEntitlement(Strict):
    title: Text = Field(description="Plain-words title.")
    description: Text = Field(description="What it is, in plain words.")
    amount: Text | None = Field(None, description="How much, in plain words.")
    how_to_get: Text = Field(description="How to get it, in plain words.")


class Entitlement(Strict):
    id: Slug = Field(description="The entitlement's id; unique across all areas.")
    title: Text = Field(description="Its name.")
    description: Text = Field(description="What it is.")
    basis: Basis = Field(description="statutory (the law says so) or local (the council's own offer).")
    qualifies: Qualifies = Field(description="Who can get it.")
    amount: Text | None = Field(None, description="How much, e.g. '£2,000'. If the papers give none, say how to find out.")
    how_often: Text | None = Field(None, description="Once, each year, each week…")
    how_to_get: Text = Field(description="What to do to get it.")
    contact: Text = Field(description="Who to ask, by role or team.")
    legal_basis: Text | None = Field(None, description="The law or guidance behind it.")
    last_reviewed: dt.date = Field(description="When this entry was last checked.")
    source: Citation = Field(description="Where it is described.")
    young: YoungEntitlement = Field(description="The young people's edition.")


class YoungArea(Strict):
    title: Text = Field(description="Plain-words title of the area.")
    introduction: Text = Field(description="Plain-words introduction.")


class AreaOffer(Strict):
    """All entitlements in one area of the Local Offer."""

    area: Area = Field(description="One of the statutory areas; also the file name.")
    title: Text = Field(description="The area's heading.")
    introduction: Text = Field(description="What this area covers.")
    entitlements: list[Entitlement] = Field(min_length=1, description="The entitlements in this area.")
    young: YoungArea = Field(description="The young people's edition.")
