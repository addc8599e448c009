"""Where every generated page and file lives: one place for the site's paths, so no module spells one out.

Paths are Markdown source paths relative to the edition's root (`performance/index.md`), the form
MkDocs checks links in; `relative_href` turns one into a link from another page, and `page_url`
into the URL a browser shows. Each section's folder comes from its record in the section registry
(`generator.registry`); the children in care council's section is the only one whose folder is
configured (`children_council.slug` in site_config.yml).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

from .editions import Edition
from .registry import SECTIONS, RegistryError, Section, section


def _folder(key: str) -> str:
    """A section's fixed URL folder, from its registry record."""
    folder = section(key).folder
    if not folder:
        raise RegistryError(f"section {key!r} has no fixed folder, so its paths need a configured one")
    return folder


PERFORMANCE = _folder("performance")
PLEDGE = _folder("pledge")
LOCAL_OFFER = _folder("local_offer")
EVENTS = _folder("events")
MEETINGS = _folder("meetings")
GLOSSARY = _folder("glossary")
FEEDS = "feeds"
"""The Atom feeds' and the calendar's folder (not a section: no page lives there)."""


PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost")
"""Reserved names (RFC 2606, RFC 6761): a `site_url` on one of them, or under `.example`,
`.localhost`, `.test` or `.invalid`, is a placeholder, never the site's real address."""


def real_site_url(site_url: object) -> str | None:
    """`site_url` when it is a real web address; None when unset or a placeholder (example.org,
    anything under .example, localhost), so that no page, feed or printout shows a placeholder."""
    if not isinstance(site_url, str) or not site_url.strip():
        return None
    host = (urlsplit(site_url.strip()).hostname or "").rstrip(".").lower()
    if not host or host in PLACEHOLDER_HOSTS:
        return None
    if host.endswith(tuple("." + h for h in PLACEHOLDER_HOSTS)) or host.endswith((".example", ".test", ".invalid")):
        return None
    return site_url.strip()


def page_url(path: str) -> str:
    """The directory URL of a Markdown path: 'performance/x.md' -> 'performance/x/'."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def is_feed(path: str) -> bool:
    """True for a path in the feeds' folder (an Atom feed or the calendar)."""
    return path.startswith(f"{FEEDS}/")


def relative_href(from_path: str, to_path: str) -> str:
    """A relative Markdown link from one page to another ('../x.md'), which MkDocs checks."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def edition_switch_href(path: str, from_edition: Edition | str) -> str:
    """The built URL of the same page in the other edition, relative to this page's URL."""
    url = page_url(path)
    depth = url.count("/")
    if from_edition == Edition.STANDARD:
        return "../" * depth + "young/" + url
    return "../" * (depth + 1) + url


def relative_url(from_path: str, to_path: str) -> str:
    """The built URL of one page relative to another's, for raw HTML links that MkDocs does not rewrite.

    From 'performance/index.md' to 'performance/x.md' it is 'x/'; to the home page from any page it
    ends in '/' too, so the link works under any host and folder. To a file that is not a page
    ('performance/charts/x.svg' from 'performance/y.md') it is the file's own path: '../charts/x.svg'.
    """
    here = page_url(from_path).rstrip("/") or "."
    there = page_url(to_path).rstrip("/") or "."
    rel = posixpath.relpath(there, here)
    if not to_path.endswith(".md"):
        return rel  # a file (a chart, a CSV): its own name, no trailing '/'
    return "./" if rel == "." else rel + "/"


@dataclass(frozen=True)
class Urls:
    """The path of each generated page and file, given the configured children in care council slug.

    The paths that do not depend on the slug and are needed where no `Urls` is at hand (a meeting's
    page, a finder page, the feeds) are static: `Urls.meeting(day)`."""

    children_council_slug: str

    def home(self) -> str:
        """The home page (hand-written)."""
        return "index.md"

    def performance(self) -> str:
        """The scorecard: every indicator, grouped by theme."""
        return f"{PERFORMANCE}/index.md"

    def kpi(self, kpi_id: str) -> str:
        """One indicator's page."""
        return f"{PERFORMANCE}/{kpi_id}.md"

    def kpi_chart(self, filename: str) -> str:
        """A chart file drawn for an indicator's page."""
        return f"{PERFORMANCE}/charts/{filename}"

    def kpi_open_data(self) -> str:
        """Every KPI figure as one CSV in the EES long layout (what `panelsite import` reads)."""
        return f"{PERFORMANCE}/data/kpis.csv"

    def kpi_open_meta(self) -> str:
        """The indicators of that CSV, one row each, as EES's `.meta.csv`."""
        return f"{PERFORMANCE}/data/kpis.meta.csv"

    def kpi_csv(self, kpi_id: str) -> str:
        """The CSV download of an indicator's values."""
        return f"{PERFORMANCE}/data/{kpi_id}.csv"

    def children_council(self) -> str:
        """The children in care council's updates, newest first."""
        return f"{self.children_council_slug}/index.md"

    def update(self, update_id: str) -> str:
        """One update from the children in care council."""
        return f"{self.children_council_slug}/{update_id}.md"

    def pledge(self) -> str:
        """The Pledge to children in care."""
        return f"{PLEDGE}/index.md"

    def local_offer(self) -> str:
        """The Local Offer's index: its areas and the finder's questions."""
        return f"{LOCAL_OFFER}/index.md"

    def offer_area(self, area: str) -> str:
        """One area of the Local Offer (`health`, `money`, ...)."""
        return f"{LOCAL_OFFER}/{area}.md"

    @staticmethod
    def offer_finder(folder: str, slug: str) -> str:
        """A finder page by age and status (`folder` is '' or 'age/')."""
        return f"{LOCAL_OFFER}/{folder}{slug}.md"

    def speak_up(self) -> str:
        """How to complain and who speaks up for you."""
        return f"{LOCAL_OFFER}/speak-up.md"

    def events(self) -> str:
        """Events, newest first."""
        return f"{EVENTS}/index.md"

    def event(self, event_id: str) -> str:
        """One event's write-up."""
        return f"{EVENTS}/{event_id}.md"

    def meetings(self) -> str:
        """The meetings archive: upcoming, then past meetings by municipal year."""
        return f"{MEETINGS}/index.md"

    @staticmethod
    def meeting(day: dt.date) -> str:
        """One meeting's page."""
        return f"{MEETINGS}/{day.isoformat()}.md"

    def meeting_pack(self, day: dt.date) -> str:
        """One meeting's pack: its agenda with the scorecard as it stood that day."""
        return f"{MEETINGS}/{day.isoformat()}-pack.md"

    def meeting_pack_pdf(self, day: dt.date) -> str:
        """The same pack as a tagged PDF (`panelsite build --pdf`)."""
        return f"{MEETINGS}/{day.isoformat()}-pack.pdf"

    def decisions(self, year_slug: str) -> str:
        """The decisions of one municipal year ('2022-23')."""
        return f"{MEETINGS}/decisions-{year_slug}.md"

    def actions(self) -> str:
        """Every action the panel asked for, by state."""
        return f"{MEETINGS}/actions.md"

    def attendance(self) -> str:
        """Attendance at panel meetings, by municipal year."""
        return f"{MEETINGS}/attendance.md"

    def meeting_file(self, file: str) -> str:
        """A paper kept in the project, as published."""
        return f"{MEETINGS}/files/{file}"

    def follow(self) -> str:
        """The feeds and the calendar."""
        return "follow.md"

    @staticmethod
    def feed(key: str) -> str:
        """An Atom feed (`updates`, `events`, `meetings`, `decisions`)."""
        return f"{FEEDS}/{key}.xml"

    @staticmethod
    def calendar() -> str:
        """Every meeting as one iCalendar file."""
        return f"{FEEDS}/meetings.ics"

    def glossary(self) -> str:
        """Words explained."""
        return f"{GLOSSARY}/index.md"

    def accessibility(self) -> str:
        """The generated accessibility statement."""
        return "accessibility.md"

    def folder(self, record: Section) -> str:
        """A section's URL folder: its fixed one, or the configured slug ('' for a page at the root)."""
        return self.children_council_slug if record.folder is None else record.folder

    def index(self, record: Section) -> str:
        """A section's index page, from the `Urls` method its registry record names."""
        method = getattr(self, record.index, None)
        if not callable(method):
            raise AttributeError(f"section {record.key!r}: Urls has no method {record.index!r} for its index page")
        path = method()
        if not isinstance(path, str):
            raise TypeError(f"section {record.key!r}: Urls.{record.index}() gave {path!r}, not a path")
        return path

    def sections(self) -> dict[str, str]:
        """Each section's index page, by section key (`generator.registry`), in the registry's order."""
        return {record.key: self.index(record) for record in SECTIONS}
