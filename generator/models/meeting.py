"""Panel meetings: one file per meeting in `data/meetings/<yyyy-mm-dd>.yml`.

Checks that need more than one field, or other records (minutes on a meeting still to be held,
attendance at a cancelled one, actions referred to by later meetings, paper files), are in
`generator/meeting_checks.py`, so each problem points at its own line.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from .common import Citation, Slug, Strict, Text

_WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#<>\"]+\.[^\s<>\"]+$", re.I)
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


def _web_address(value: str) -> str:
    if not _WEB_ADDRESS.match(value):
        raise ValueError("should be a web address starting with https:// or http://")
    return value


def _file_name(value: str) -> str:
    if not _FILE_NAME.match(value) or ".." in value.split("/"):
        raise ValueError(
            "should be a file path inside the meetings folder, e.g. papers/2023-03-28-item-8.pdf "
            "(letters, digits, '.', '-', '_' and '/', no '..')"
        )
    return value


WebAddress = Annotated[Text, AfterValidator(_web_address)]
"""An http or https address; any other scheme (javascript:, data:, file:) is refused."""
ProjectFile = Annotated[Text, AfterValidator(_file_name)]
"""A path relative to the folder holding the meeting's file (`data/meetings/`)."""


class MeetingStatus(str, Enum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class DocumentLink(Strict):
    """A paper or a whole pack: a file kept in the project (copied into the site) or a web address."""

    file: ProjectFile | None = Field(
        None,
        description="A file beside the meeting records, e.g. 'papers/2023-03-28-pack.pdf'; copied into the site with its size shown.",
    )
    url: WebAddress | None = Field(
        None, description="Where the document is published, if it is not kept in the project."
    )
    title: Text | None = Field(None, description="The link text, e.g. 'Report and data appendix (PDF)'.")

    @model_validator(mode="after")
    def _one_place(self) -> DocumentLink:
        if (self.file is None) == (self.url is None):
            raise ValueError("give either file or url, not both and not neither")
        return self


class Paper(Strict):
    author: Text | None = Field(None, description="Who wrote the paper, by role.")
    summary: Text = Field(description="What the paper says.")
    recommendations: list[Text] = Field(default_factory=list, description="What the panel was asked to do.")
    key_decision: bool = Field(False, description="Whether it is a key decision.")
    wards: Text | None = Field(None, description="Wards affected, e.g. 'All'.")
    document: DocumentLink | None = Field(
        None, description="The paper itself: a file kept in the project or a web address."
    )


class Action(Strict):
    """Something a resolution asked someone to do, which later meetings follow up."""

    id: Slug = Field(description="A short id that later meetings use to report progress, e.g. 'dental-checks-update'.")
    owner: Text | None = Field(None, description="Who is to do it, by role (the minutes often name nobody).")
    due: dt.date | None = Field(None, description="When it is due, often the next meeting.")


class Resolution(Strict):
    """What the panel resolved. Written as plain text, or as a mapping when it carries an action."""

    text: Text = Field(description="The resolution, in our own words.")
    action: Action | None = Field(None, description="The action it sets, if any.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class ActionStatus(str, Enum):
    IN_PROGRESS = "in progress"
    DONE = "done"


class ActionProgress(Strict):
    """A later meeting's record of where an action stands."""

    action: Slug = Field(description="The id of an action set by an earlier meeting's resolution.")
    status: ActionStatus = Field(description="'in progress' or 'done'.")
    note: Text = Field(description="What the meeting was told, in our own words.")


class Minute(Strict):
    number: Text = Field(description="The minute number, e.g. '62'.")
    discussion: Text | None = Field(None, description="A summary of the discussion.")
    resolutions: list[Resolution] = Field(
        default_factory=list, description="What the panel resolved: text, or {text, action}."
    )


class Exemption(Strict):
    paragraphs: list[int] = Field(
        min_length=1, description="Paragraphs of Schedule 12A to the Local Government Act 1972."
    )

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
    progress: list[ActionProgress] = Field(
        default_factory=list, description="Progress on earlier actions reported under this item."
    )
    related_kpis: list[Slug] = Field(default_factory=list, description="KPI pages this item is about.")
    exempt: Exemption | None = Field(None, description="Set when the item was taken in private.")

    @model_validator(mode="after")
    def _exempt_has_no_content(self) -> AgendaItem:
        if self.exempt and (self.paper or self.minute or self.presenter):
            raise ValueError(
                "an exempt item may carry only number, title and exempt; remove paper, minute and presenter"
            )
        if self.exempt and (self.progress or self.related_kpis):
            raise ValueError("an exempt item may carry only number, title and exempt; remove progress and related_kpis")
        return self

    @property
    def anchor(self) -> str:
        """The id of this item's heading on the meeting page, e.g. 'item-11'."""
        return "item-" + re.sub(r"[^a-z0-9]+", "-", self.number.lower()).strip("-")


class Substitute(Strict):
    member: Text = Field(description="The member who attended as a substitute.")
    substituting_for: Text = Field(description="The panel member they stood in for.")


class Meeting(Strict):
    """A meeting of the Corporate Parenting Panel."""

    date: dt.date = Field(description="The day of the meeting; also the file name and /meetings/<date>/.")
    time: Text | None = Field(None, description="Start time, e.g. '5.00 pm'.")
    venue: Text | None = Field(None, description="Where it was held.")
    status: MeetingStatus = Field(description="scheduled, held or cancelled.")
    cancellation_reason: Text | None = Field(
        None, description="Why a cancelled meeting did not take place, if the papers say."
    )
    rescheduled_to: dt.date | None = Field(None, description="The new date of a cancelled or moved meeting.")
    chair: Text | None = Field(None, description="Who chaired it (an elected member, by name and title).")
    membership: list[Text] = Field(default_factory=list, description="Panel members (elected members).")
    present: list[Text] = Field(default_factory=list, description="Members present.")
    apologies: list[Text] = Field(default_factory=list, description="Members who sent apologies.")
    substitutes: list[Substitute] = Field(
        default_factory=list, description="Members who attended in place of a panel member."
    )
    co_opted: list[Text] = Field(
        default_factory=list,
        description="Co-opted members who attended, by role only (e.g. 'Virtual School Head'); never a young person's name.",
    )
    officers: list[Text] = Field(default_factory=list, description="Officers in attendance, by role.")
    agenda: list[AgendaItem] = Field(default_factory=list, description="The agenda, in order.")
    pack: DocumentLink | None = Field(
        None, description="The whole agenda pack: a file kept in the project or a web address."
    )
    webcast: WebAddress | None = Field(None, description="Where the recording or live stream can be watched.")
    minutes_approved_on: dt.date | None = Field(
        None, description="The meeting that approved these minutes (a record in data/meetings/)."
    )
    next_meeting: dt.date | None = Field(None, description="The date of the next meeting.")
    source: Citation = Field(description="The papers this record comes from.")

    @property
    def has_minutes(self) -> bool:
        return any(item.minute for item in self.agenda)
