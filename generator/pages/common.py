"""The variables every generated page's template gets, whatever its kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..archive import NextMeeting
from ..editions import Edition
from ..icons import icon
from ..models.common import Citation
from ..settings import Settings
from ..urls import Urls, relative_href, relative_url
from .kind import Build, documented


def long_date(day: Any) -> str:
    """'12 October 2016' for a day; 'October 2016' for a `DayOrMonth` known only to the month."""
    if hasattr(day, "label"):
        return str(day.label)
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class CommonContext:
    """Given to every generated page, beside its kind's own context."""

    site: Settings = documented(
        "The council's settings from site_config.yml: `council`, `area_name`, `panel`, "
        "`children_council.name`, `contacts`, `comparators`, `upper_age` and the rest."
    )
    edition: Edition = documented("'standard' or 'young'.")
    young: bool = documented("True in the plain-language edition.")
    urls: Urls = documented(
        "Where each generated page lives, e.g. `urls.kpi(id)`, `urls.meeting(day)`, "
        "`urls.offer_area('money')`: Markdown paths, for `link()`."
    )
    link: Callable[[str], str] = documented("`link(path)`: a relative link from this page to a Markdown path.")
    href: Callable[[str], str] = documented(
        "`href(path)`: the built URL of a page (or a file, such as a chart) relative to this one, for "
        "links inside raw HTML (which MkDocs does not rewrite)."
    )
    long_date: Callable[[Any], str] = documented(
        "`long_date(day)`: '12 October 2016', or 'October 2016' for a month-only date."
    )
    cite: Callable[[Citation], str] = documented("`cite(citation)`: the source's title, then where in it.")
    icon: Callable[[str], Markup] = documented(
        "`icon('material/cash')`: an icon as inline SVG, hidden from screen readers."
    )
    next_meeting: NextMeeting | None = documented("The next panel meeting (`when`, `time`, `venue`, `path`), or none.")
    page_title: str = documented("The page's browser title (its first heading, usually).")
    today: dt.date = documented("The day of the build.")


def common_context(build: Build, path: str, title: str) -> CommonContext:
    """The shared variables for one page."""
    dataset = build.dataset

    def link(target: str) -> str:
        return relative_href(path, target)

    def href(target: str) -> str:
        return relative_url(path, target)

    def cite(citation: Citation) -> str:
        return dataset.source_title(citation.doc) + (f", {citation.where}" if citation.where else "")

    return CommonContext(
        site=build.settings,
        edition=build.edition,
        young=build.young,
        urls=build.urls,
        link=link,
        href=href,
        long_date=long_date,
        cite=cite,
        icon=icon,
        next_meeting=build.next_meeting,
        page_title=title,
        today=build.today,
    )
