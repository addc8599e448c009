"""Words that date: 'this winter' in a record from 2016 is no longer true when the site is read.

Checked: every young-edition text (under a `young:` key) and all text of the Local Offer and the
Pledge, which are read as current. Minutes and standard write-ups record what was said at the time.

A warning names the file and line of each such phrase in a record dated more than six months
before the build (the build date is today, or `SOURCE_DATE_EPOCH` when set, for reproducible builds).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from .check_memo import CheckMemo, per_document
from .dataset import Dataset, problem_at, walk
from .errors import Problem, Problems, Severity
from .yamlio import Document, Loc

DATING = re.compile(
    r"\b(?:this|next|last|coming) (?:winter|spring|summer|autumn|week|month|year|term|weekend)\b"
    r"|\b(?:recently|currently|at the moment|right now|nowadays|soon|upcoming|these days)\b"
    r"|\b(?:this|next) (?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b",
    re.IGNORECASE,
)
DATE_KEYS = ("date", "period_end", "last_reviewed", "approved_on")
STALE_AFTER = dt.timedelta(days=183)


def build_date() -> dt.date:
    """Today in UTC, or the day given by SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()


def _as_date(value: Any) -> dt.date | None:
    text = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$", text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return None


def _record_date(data: Any, loc: Loc) -> dt.date | None:
    """The date of the nearest enclosing mapping that has one (an item's own date beats its file's)."""
    for depth in range(len(loc), -1, -1):
        node = data
        for key in loc[:depth]:
            node = node[key]
        if isinstance(node, dict):
            for key in DATE_KEYS:
                if key in node and (day := _as_date(node[key])):
                    return day
    return None


def check_dating_words(dataset: Dataset, today: dt.date | None = None, memo: CheckMemo | None = None) -> Problems:
    """A warning for each dating phrase in a record more than six months older than `today` (each
    unchanged file's from `memo` when given: `serve`)."""
    day_of_build = today or build_date()
    problems = Problems()
    for doc in dataset.documents.values():
        problems.extend(list(per_document(memo, "dating", doc, (day_of_build,), partial(_dating, doc, day_of_build))))
    return problems


def _dating(doc: Document, today: dt.date) -> Iterator[Problem]:
    for loc, value in walk(doc.data):
        if not isinstance(value, str) or not (match := DATING.search(value)):
            continue
        current = "entitlements/" in doc.display or doc.display.endswith("pledge.yml")
        if not current and "young" not in loc:
            continue
        day = _record_date(doc.data, loc)
        if day is None or today - day <= STALE_AFTER:
            continue
        yield problem_at(
            doc,
            loc,
            f"'{match.group(0)}' dates: this record is from {day.isoformat()}, "
            f"more than six months before {today.isoformat()}",
            None,
            "say when instead, e.g. 'in December 2022'",
            severity=Severity.WARNING,
        )
