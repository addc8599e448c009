"""Panel meetings: one file per meeting in `data/meetings/<yyyy-mm-dd>.yml`."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field, model_validator

from .common import Citation, Strict, Text


class MeetingStatus(str, Enum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class Paper(Strict):
    author: Text | None = Field(None, description="Who wrote the paper, by role.")
    summary: Text = Field(description="What the paper says.")
    recommendations: list[Text] = Field(default_factory=list, description="What the panel was asked to do.")
    key_decision: bool = Field(False, description="Whether it is a key decision.")
    wards: Text | None = Field(None, description="Wards affected, e.g. 'All'.")


class Minute(Strict):
    number: Text = Field(description="The minute number, e.g. '62'.")
    discussion: Text | None = Field(None, description="A summary of the discussion.")
    resolutions: list[Text] = Field(default_factory=list, description="What the panel resolved.")


class Exemption(Strict):
    paragraphs: list[int] = Field(min_length=1, description="Paragraphs of Schedule 12A to the Local Government Act 1972.")

    @model_validator(mode="after")
    def _known(self) -> Exemption:
        for paragraph in self.paragraphs:
            if not 1 <= paragraph <= 7:
                raise ValueError(f"Schedule 12A has paragraphs 1 to 7 (got {paragraph})")
        return self


class AgendaItem(Strict):
    """One item on the agenda. An exempt item carries only its number, title and exemption."""

    number: Text = Field(description="Item number as printed, e.g. '11'.")
    title: Text = Field(description="Item title.")
    presenter: Text | None = Field(None, description="Who presented it, by role.")
    paper: Paper | None = Field(None, description="The report for this item, if any.")
    minute: Minute | None = Field(None, description="The minute recording the discussion.")
    exempt: Exemption | None = Field(None, description="Set when the item was taken in private.")

    @model_validator(mode="after")
    def _exempt_has_no_content(self) -> AgendaItem:
        if self.exempt and (self.paper or self.minute or self.presenter):
            raise ValueError(
                "an exempt item may carry only number, title and exempt; remove paper, minute and presenter")
        return self


class Meeting(Strict):
    """A meeting of the Corporate Parenting Panel."""

    date: dt.date = Field(description="The day of the meeting; also the file name and /meetings/<date>/.")
    time: Text | None = Field(None, description="Start time, e.g. '5.00 pm'.")
    venue: Text | None = Field(None, description="Where it was held.")
    status: MeetingStatus = Field(description="scheduled, held or cancelled.")
    chair: Text | None = Field(None, description="Who chaired it (an elected member, by name and title).")
    membership: list[Text] = Field(default_factory=list, description="Panel members (elected members).")
    present: list[Text] = Field(default_factory=list, description="Members present.")
    apologies: list[Text] = Field(default_factory=list, description="Members who sent apologies.")
    officers: list[Text] = Field(default_factory=list, description="Officers in attendance, by role.")
    agenda: list[AgendaItem] = Field(default_factory=list, description="The agenda, in order.")
    next_meeting: dt.date | None = Field(None, description="The date of the next meeting.")
    source: Citation = Field(description="The papers this record comes from.")
