"""Children in care council updates: one file per update in `data/updates/<yyyy-mm>-<slug>.yml`."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from .common import MAX_PEOPLE, Citation, Quote, Slug, Strict, Text


class UpdateItem(Strict):
    title: Text = Field(description="What the activity was.")
    date: dt.date | None = Field(None, description="When it happened, if one day.")
    what_happened: Text = Field(description="What happened, in a few sentences.")
    young_people_involved: int | None = Field(None, ge=0, le=MAX_PEOPLE, description="How many young people took part.")
    outcome: Text | None = Field(None, description="What changed as a result.")
    quotes: list[Quote] = Field(default_factory=list, description="Summarised comments, by role and age.")


class Section(Strict):
    heading: Text = Field(description="Section heading, e.g. 'Consultations'.")
    items: list[UpdateItem] = Field(min_length=1, description="Activities in this section.")


class YouSaidWeDid(Strict):
    you_said: Text = Field(description="What young people asked for or told us.")
    we_did: Text = Field(description="What changed because of it.")


class YoungItem(Strict):
    title: Text = Field(description="Plain-words title.")
    what_happened: Text = Field(description="Plain-words account.")


class YoungUpdate(Strict):
    title: Text = Field(description="Plain-words title.")
    summary: Text = Field(description="Plain-words summary.")
    highlights: list[YoungItem] = Field(default_factory=list, description="The main things, in plain words.")
    you_said_we_did: list[YouSaidWeDid] = Field(default_factory=list, description="'You said, we did' in plain words.")


class Update(Strict):
    """A report from the children in care council (named by `children_council` in site_config.yml) to the panel."""

    id: Slug = Field(description="The update's id; matches the file name and the page /<children_council.slug>/<id>/.")
    title: Text = Field(description="The update's title.")
    period_start: dt.date = Field(description="First day the update covers.")
    period_end: dt.date = Field(description="Last day the update covers.")
    meeting: dt.date | None = Field(None, description="The panel meeting it went to (a date in data/meetings/).")
    author_role: Text = Field(description="Who wrote it, by role.")
    summary: Text = Field(description="What the update says, in two or three sentences.")
    sections: list[Section] = Field(min_length=1, description="Activities grouped by heading.")
    you_said_we_did: list[YouSaidWeDid] = Field(
        default_factory=list, description="What changed because young people spoke up."
    )
    thanks: Text | None = Field(None, description="Thanks to people and partners, by role or organisation.")
    source: Citation = Field(description="The paper this update was taken from.")
    young: YoungUpdate = Field(description="The young people's edition of this update.")

    @model_validator(mode="after")
    def _period_order(self) -> Update:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self
