"""The Pledge (Promise) to children in care and care leavers: `data/pledge.yml`."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field

from .common import Citation, Slug, Strict, Text


class ProgressStatus(str, Enum):
    DONE = "done"
    IN_PROGRESS = "in progress"
    PLANNED = "planned"
    NOT_STARTED = "not started"


class YoungProgress(Strict):
    evidence: Text = Field(description="What was done, in plain words.")


class Progress(Strict):
    date: dt.date = Field(description="When this was reported.")
    status: ProgressStatus = Field(description="done, 'in progress', planned or 'not started'.")
    evidence: Text = Field(description="What was done towards the promise.")
    source: Citation = Field(description="Where this is reported.")
    young: YoungProgress = Field(description="The same, in plain words.")


class YoungPromise(Strict):
    text: Text = Field(description="The promise in young people's words.")


class Promise(Strict):
    id: Slug = Field(description="The promise's id, used as its anchor on /pledge/.")
    number: int = Field(ge=1, description="Its number in the Pledge.")
    text: Text = Field(description="The promise as the council wrote it (in our words).")
    icon: Text | None = Field(
        None,
        description="An icon bundled with Material, e.g. 'material/home'; shown beside the promise in both editions.",
    )
    related_kpis: list[Slug] = Field(default_factory=list, description="Ids of KPIs that show progress.")
    progress: list[Progress] = Field(default_factory=list, description="What has been done, newest last.")
    young: YoungPromise = Field(description="The promise in young people's words.")


class YoungPledge(Strict):
    title: Text = Field(description="Plain-words title, e.g. 'Our promises to you'.")
    introduction: Text = Field(description="Plain-words introduction.")


class Pledge(Strict):
    """The council's promises to the children it looks after."""

    title: Text = Field(description="The Pledge's title.")
    introduction: Text = Field(description="What the Pledge is and who it is for.")
    approved_by: Text = Field(description="Who approved it.")
    approved_on: dt.date | None = Field(None, description="When it was approved.")
    review_date: dt.date | None = Field(None, description="When it is due for review.")
    source: Citation = Field(description="The document the Pledge comes from.")
    promises: list[Promise] = Field(min_length=1, description="The promises, in order.")
    young: YoungPledge = Field(description="The young people's edition.")
