"""Render the hand-written pages of one edition in the sandbox, and check what they say and link to.

Each problem names the page and the line in it: a template error (anything the sandbox refuses),
a phone number or e-mail address that is not a public contact, live markup (scripts, frames,
`on...=` handlers, `javascript:` links). Links to pages the edition does not have are found by
`link_check` once every page is rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import traceback
from typing import Any

import jinja2

from .archive import next_meeting
from .content import ContentPage
from .dataset import Dataset
from .editions import Edition
from .errors import Problem, Problems
from .privacy import allowed_contacts, find_contact_details
from .sandbox import PlainCollections, compile_page, plain, render_page
from .settings import Settings

_LINK = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_DANGEROUS_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "svg",
    "math",
    "template",
}
_HANDLER = re.compile(r"(?:^|[\s\"'/])on[a-z]+\s*=", re.I)
_BAD_SCHEME = re.compile(r"(?:javascript|vbscript|data)\s*:", re.I)
COLLECTIONS = ("kpis", "updates", "events", "meetings", "areas", "pledge", "glossary", "sources")


def page_context(
    settings: Settings, dataset: Dataset, edition: Edition, today: dt.date | None = None
) -> dict[str, Any]:
    """The documented, plain-data context of a content page (see generator/sandbox.py)."""
    upcoming = next_meeting(dataset.meetings, today)
    site = plain(settings)
    for contact, model in zip(site["contacts"], settings.contacts, strict=True):
        contact["tel"] = model.tel_href  # 'tel:+448001111', or None: pages cannot rewrite numbers themselves
    return {
        "site": site,
        "data": PlainCollections(dataset, COLLECTIONS),
        "edition": str(edition),
        "young": edition == Edition.YOUNG,
        "next_meeting": dataclasses.asdict(upcoming) if upcoming else None,
    }


def render_content_pages(
    pages: list[ContentPage], settings: Settings, dataset: Dataset, edition: Edition, today: dt.date | None = None
) -> tuple[dict[str, str], Problems]:
    """Each page's Markdown (path -> text) and the problems found in them."""
    problems = Problems()
    context = page_context(settings, dataset, edition, today)
    phones, emails = allowed_contacts(settings)
    rendered: dict[str, str] = {}
    for page in pages:
        found = _check_source(page, phones, emails)
        try:
            text = render_page(compile_page(page.body), context).strip() + "\n"
        except Exception as exc:  # noqa: BLE001 - whatever a page does wrong is the page's error
            message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__} ({exc})"
            found.append(
                Problem(
                    page.display,
                    page.body_line - 1 + _line(exc),
                    1,
                    "",
                    f"template error: {message}",
                    hint="content pages may use site, data, edition, young, next_meeting, long_date() "
                    "and range(); see 'Hand-written pages' in panelsite's documentation",
                )
            )
        problems.extend(found)
        if not found:
            rendered[page.path] = text
    return rendered, problems


def _check_source(page: ContentPage, phones: set[str], emails: set[str]) -> list[Problem]:
    found: list[Problem] = []
    for number, line in enumerate(page.body.split("\n"), start=page.body_line):
        for detail in find_contact_details(line, phones, emails):
            found.append(
                Problem(
                    page.display,
                    number,
                    line.find(detail) + 1,
                    "",
                    "phone numbers and e-mail addresses are not allowed in pages (only the public "
                    "contacts in site_config.yml)",
                    repr(detail),
                    "name the team or role instead, e.g. 'your personal adviser'",
                )
            )
        for match in _TAG.finditer(line):
            name, rest = match.group(1).lower(), match.group(2)
            if name in _DANGEROUS_TAGS or _HANDLER.search(rest) or _BAD_SCHEME.search(rest):
                found.append(
                    Problem(
                        page.display,
                        number,
                        match.start() + 1,
                        "",
                        "scripts, frames, styles and event handlers are not allowed in pages",
                        repr(match.group(0)[:60]),
                    )
                )
        for match in [*_LINK.finditer(line), *_REFERENCE.finditer(line), *_AUTOLINK.finditer(line)]:
            found.extend(_check_link(page, number, match))
    return found


def _check_link(page: ContentPage, number: int, match: re.Match[str]) -> list[Problem]:
    """A link target must be a link: `javascript:`, `vbscript:` and `data:` are refused.

    Links to pages the edition lacks are found by `link_check`, after rendering."""
    target = match.group(1)
    if _BAD_SCHEME.match(target):
        return [
            Problem(
                page.display,
                number,
                match.start(1) + 1,
                "",
                "links may start https:, http:, mailto: or tel: only",
                repr(target[:60]),
            )
        ]
    return []


def _line(exc: BaseException) -> int:
    """The page line an error happened on (syntax errors carry it; runtime errors are in the traceback)."""
    lineno = getattr(exc, "lineno", None)  # set by jinja2's TemplateSyntaxError, absent from others
    if lineno:
        return int(lineno)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames and frames[-1].lineno else 1
