"""Event write-ups: one file per event in `data/events/<yyyy-mm-dd>-<slug>.yml`."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from .common import MAX_PEOPLE, Citation, DayOrMonthDate, Quote, Slug, Strict, Text

EVENT_KINDS = (
    "trip",
    "residential",
    "celebration",
    "awards",
    "fundraising",
    "consultation",
    "community",
    "training",
    "campaign",
)
"""The built-in event kinds; a council adds its own with `extra_event_kinds` in site_config.yml."""


class TakingPart(Strict):
    young_people: int | None = Field(None, ge=0, le=MAX_PEOPLE, description="How many young people took part.")
    adults: int | None = Field(None, ge=0, le=MAX_PEOPLE, description="How many adults took part.")
    note: Text | None = Field(None, description="Anything else about who took part.")


class Consent(Strict):
    """Who agreed to the picture being published, and until when."""

    given_by: Text = Field(description="Who gave consent, by role, e.g. 'the young people shown and their carers'.")
    until: dt.date = Field(description="The last day the picture may be published; after it the picture is left out.")


class Image(Strict):
    src: Text = Field(description="Path of the image file under content/, e.g. images/events/party.jpg.")
    alt: Text = Field(description="What the picture shows, for people who cannot see it.")
    caption: Text | None = Field(None, description="A caption shown under the picture.")
    consent: Consent = Field(description="Who agreed to publishing it, and until when.")


class YoungEvent(Strict):
    title: Text = Field(description="Plain-words title.")
    summary: Text = Field(description="Plain-words summary.")
    what_happened: Text | None = Field(None, description="Plain-words account.")
    outcomes: list[Text] = Field(default_factory=list, description="What it led to, in plain words.")


class Event(Strict):
    """Something young people in care did or took part in."""

    id: Slug = Field(description="The event's id; matches the file name and the page /events/<id>/.")
    title: Text = Field(description="The event's name.")
    date: DayOrMonthDate = Field(
        description="The day it happened (or started): YYYY-MM-DD, or YYYY-MM when the source gives only the month."
    )
    end_date: DayOrMonthDate | None = Field(
        None, description="The last day, for events over several days (YYYY-MM-DD or YYYY-MM)."
    )
    place: Text | None = Field(None, description="Where it happened.")
    kind: Slug = Field(
        description="trip, residential, celebration, awards, fundraising, consultation, community, training, campaign, or a kind listed in extra_event_kinds."
    )
    summary: Text = Field(description="One or two sentences.")
    what_happened: Text = Field(description="The write-up.")
    taking_part: TakingPart | None = Field(None, description="Numbers taking part.")
    money_raised: float | None = Field(None, ge=0, le=10_000_000, description="Money raised in pounds, if any.")
    outcomes: list[Text] = Field(default_factory=list, description="What it led to.")
    quotes: list[Quote] = Field(default_factory=list, description="Summarised comments, by role and age.")
    images: list[Image] = Field(default_factory=list, description="Pictures, each with alt text.")
    source: Citation = Field(description="The paper that reports it.")
    young: YoungEvent = Field(description="The young people's edition.")

    @model_validator(mode="after")
    def _dates(self) -> Event:
        if self.end_date and self.end_date < self.date:
            raise ValueError("end_date is before date")
        return self
