"""The accessibility statement, worked out from the configuration and the data rather than written by hand.

It follows the sections of GOV.UK's model accessibility statement for public sector websites.
The compliance status is never typed in: without a configured manual audit the site is
"partially compliant" (automated checks find only some problems), and any known issue keeps it
there. Documents the data cites that were published before 28 September 2018 are listed as
outside the regulations' scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .dataset import Dataset
from .settings import Contact, KnownIssue, ManualAudit, Settings

REGULATIONS_START = dt.date(2018, 9, 28)
"""Documents published before this day are outside the scope of the 2018 regulations."""


@dataclass(frozen=True)
class OldDocument:
    title: str
    date: dt.date


@dataclass(frozen=True)
class Statement:
    """Everything the statement says, for its templates (standard and young)."""

    council: str = field(metadata={"help": "The council that runs the site."})
    site_name: str = field(metadata={"help": "The site's name."})
    site_url: str | None = field(metadata={"help": "The site's address, if configured."})
    status: str = field(metadata={"help": "'fully compliant' or 'partially compliant'."})
    reason: str = field(metadata={"help": "Why the status is what it is, in one sentence."})
    known_issues: tuple[KnownIssue, ...] = field(metadata={"help": "Known non-compliances."})
    audit: ManualAudit | None = field(metadata={"help": "The latest manual audit, if any."})
    out_of_scope: tuple[OldDocument, ...] = field(metadata={"help": "Cited documents from before the regulations."})
    report: Contact = field(metadata={"help": "Where to report a problem."})
    response_days: int = field(metadata={"help": "Working days to reply."})
    prepared_on: dt.date = field(metadata={"help": "When the statement was prepared."})
    reviewed_on: dt.date = field(metadata={"help": "When it was last reviewed."})
    tested_by: str = field(metadata={"help": "How the site was tested."})
    pdf_check: str | None = field(
        default=None, metadata={"help": "How the PDF meeting packs were checked, when the site has them."}
    )


PDF_CHECK = (
    "Each meeting pack is also published as a tagged PDF, printed from its web page. As no PDF/UA validator "
    "can be installed where the site is built, every PDF is checked by panelsite itself each time: the tag "
    "tree covers all the text, headings go down one level at a time, every figure has alt text, every table "
    "has header cells, the title (shown instead of the file name) and the language are set, the file says it "
    "is PDF/UA, and the headings are read in the order the page shows them."
)


def build_statement(
    settings: Settings, dataset: Dataset, site_name: str, site_url: str | None, pdf_packs: bool = False
) -> Statement | None:
    """The statement for this site, or None when `accessibility` is not configured."""
    facts = settings.accessibility
    if facts is None:
        return None
    report = settings.contact_named(facts.report_contact)
    assert report is not None  # Settings refuses a report_contact that names no contact
    issues = tuple(facts.known_issues)
    if facts.manual_audit is None:
        status = "partially compliant"
        reason = "it has not yet had a manual accessibility audit, and automated checks find only some kinds of problem"
    elif issues:
        status = "partially compliant"
        reason = "of the non-compliances listed below"
    else:
        status = "fully compliant"
        reason = (
            f"a manual audit by {facts.manual_audit.by} on {_day(facts.manual_audit.date)} found no "
            "failures, and no problems have been reported since"
        )
    old = tuple(
        OldDocument(d.title, d.date)
        for d in (dataset.sources.documents if dataset.sources else [])
        if d.date is not None and d.date < REGULATIONS_START
    )
    return Statement(
        settings.council,
        site_name,
        site_url,
        status,
        reason,
        issues,
        facts.manual_audit,
        old,
        report,
        facts.response_days,
        facts.prepared_on,
        facts.reviewed_on,
        facts.tested_by,
        PDF_CHECK if pdf_packs else None,
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"
