"""`panelsite new`: start a record of any collection from a commented template, never from the demo.

A record with its own file (KPI, update, event, meeting, Local Offer area) is written as a new file;
a glossary term, a source document, a Pledge promise or an entitlement in an existing area is
added to the end of its list, keeping the file's comments. Nothing is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .models.entitlement import Area
from .settings import Settings
from .yaml_edit import write_atomically
from .yamlio import is_inside

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PLACEHOLDER_SOURCE = "replace-with-a-source-id"
KINDS = ("kpi", "update", "event", "meeting", "entitlement", "term", "source", "promise")


class ScaffoldError(Exception):
    """The record cannot be started; the message says why."""


@dataclass(frozen=True)
class Fill:
    """The values a template is filled with."""

    slug: str
    nice: str
    day: dt.date
    source: str
    group: str
    council: str

    @property
    def date(self) -> str:
        return self.day.isoformat()

    @property
    def month(self) -> str:
        return self.day.strftime("%Y-%m")


def kpi(f: Fill) -> str:
    return f"""\
# A performance indicator. Fields are described in schemas/kpis.schema.json (`panelsite schema`).
title: {f.nice}
definition: Say exactly what is counted, and for whom.
theme: Children in care
unit: count
polarity: information only
frequency: annual
source: {{doc: {f.source}, where: "Where in the paper the figure is"}}
values:
  - period: "{f.day.year}"
    value: 0
    note: Replace this example value with the real figure and its period.
young:
  title: {f.nice}
  explanation: Say what this number is in short, plain words.
"""


def update(f: Fill) -> str:
    return f"""\
# An update from the children in care council. Fields are described in schemas/updates.schema.json.
title: {_quoted(f.group + " update: " + f.nice)}
period_start: {f.date}
period_end: {f.date}
author_role: Participation worker
summary: Write two or three sentences on what the group did.
sections:
  - heading: What we did
    items:
      - title: Name the activity
        what_happened: Say what happened.
you_said_we_did:
  - you_said: What young people asked for.
    we_did: What changed because of it.
source: {{doc: {f.source}, where: "The update"}}
young:
  title: What we did
  summary: Say it in short words. Tell them what you did.
"""


def event(f: Fill) -> str:
    return f"""\
# An event write-up. Fields are described in schemas/events.schema.json.
title: {f.nice}
date: {f.date}
kind: celebration
summary: One or two sentences on the event.
what_happened: What happened, who came, and what it led to.
source: {{doc: {f.source}, where: "The report of the event"}}
young:
  title: {f.nice}
  summary: Say what you did. Use short words.
"""


def meeting(f: Fill) -> str:
    return f"""\
# A panel meeting. Fields are described in schemas/meetings.schema.json.
# Also: time: "5.00 pm", venue, webcast (an https address), pack: {{file: papers/{f.date}-pack.pdf}}
# (a document beside this file) or {{url: https://...}}. Once held: status: held, present,
# apologies, and each item's minute; a resolution can set an action that later meetings report on:
# {{text: ..., action: {{id: short-id, owner: a role, due: YYYY-MM-DD}}}}.
date: {f.date}
status: scheduled
agenda:
  - number: "1"
    title: Apologies for absence
source: {{doc: {f.source}}}
"""


def entitlement(f: Fill) -> str:
    return f"""\
id: {f.slug}
title: {f.nice}
description: Say what the young person gets.
# What it rests on (leave out for the council's own offer); an act or regulations make it "set by law":
# legal_basis: [{{kind: act, cite: "Children Act 1989, section ..."}}]
qualifies: {{min_age: 18, max_age: 21, care_status: [former relevant]}}
amount: {{varies: "Say how much (gbp: 2000, per: once), or how to find out."}}
how_to_get: Say what to do to get it.
contact: Your personal adviser
last_reviewed: {f.date}
source: {{doc: {f.source}, where: "The Local Offer"}}
young:
  title: {f.nice}
  description: Say what you get. Use short words.
  how_to_get: Ask your personal adviser.
"""


def area(f: Fill, area_key: str) -> str:
    title = area_key.replace("-", " ").capitalize()
    return f"""\
# One area of the Local Offer. Fields are described in schemas/entitlements.schema.json.
area: {area_key}
title: {title}
introduction: Say what this part of the offer covers.
young:
  title: {title}
  introduction: Here is the help you can get.
entitlements:
{indent(entitlement(f), "  - ")}"""


def term(f: Fill) -> str:
    return f"""\
term: {f.nice}
meaning: Say what the word means.
young_meaning: Say it in short words.
"""


def source(f: Fill) -> str:
    return f"""\
id: {f.slug}
title: {f.nice}
publisher: {_quoted(f.council)}
date: {f.date}
"""


def promise(f: Fill, number: int) -> str:
    return f"""\
id: {f.slug}
number: {number}
text: Write the promise in your own words.
young:
  text: Say the promise in short words.
"""


FILES = {
    "kpi": ("kpis", "{slug}", kpi),
    "update": ("updates", "{month}-{slug}", update),
    "event": ("events", "{date}-{slug}", event),
    "meeting": ("meetings", "{date}", meeting),
}
LISTS = {
    "term": ("glossary.yml", "terms"),
    "source": ("sources.yml", "documents"),
    "promise": ("pledge.yml", "promises"),
}


def scaffold(
    data_dir: Path,
    kind: str,
    slug: str,
    date: str | None = None,
    settings: Settings | None = None,
    area_key: str | None = None,
    project: Path | None = None,
) -> Path:
    """Start a record of `kind`; returns the file written or added to. Refuses to overwrite anything,
    and to write through a symbolic link that leads out of `project` (by default data_dir's parent)."""
    settings = settings or Settings()
    project = project or data_dir.parent
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise ScaffoldError(f"--date should be a date written YYYY-MM-DD (got {date!r})") from None
    if kind != "meeting" and not SLUG.fullmatch(slug or ""):
        raise ScaffoldError("give a short name in lower case with hyphens, e.g. summer-residential")
    fill = Fill(
        slug,
        slug.replace("-", " ").capitalize() if slug else day.isoformat(),
        day,
        _first_source(data_dir),
        settings.children_council.short_name,
        settings.council,
    )
    if kind in FILES:
        folder, name, template = FILES[kind]
        path = data_dir / folder / (name.format(slug=slug, month=fill.month, date=fill.date) + ".yml")
        return _new_file(_inside(path, project), template(fill))
    if kind == "entitlement":
        return _new_entitlement(data_dir, fill, area_key, project)
    filename, key = LISTS[kind]
    path = _inside(data_dir / filename, project)
    if kind == "promise":
        return _append(path, key, promise(fill, _count(path, key) + 1), _existing(path, key, "id"), slug)
    if kind == "term":
        return _append(path, key, term(fill), _existing(path, key, "term"), fill.nice)
    return _append(path, key, source(fill), _existing(path, key, "id"), slug)


def _inside(path: Path, project: Path) -> Path:
    """`path`, unless it or a folder on the way to it is a symbolic link that leads out of the project."""
    if not is_inside(path, project):
        raise ScaffoldError(f"{path} leads outside the project through a symbolic link; remove the link first")
    return path


def _new_entitlement(data_dir: Path, fill: Fill, area_key: str | None, project: Path) -> Path:
    areas = [a.value for a in Area]
    if area_key not in areas:
        raise ScaffoldError(f"give the area with --area, one of {', '.join(areas)}")
    path = _inside(data_dir / "entitlements" / f"{area_key}.yml", project)
    if not path.exists():
        return _new_file(path, area(fill, area_key))
    return _append(path, "entitlements", entitlement(fill), _existing(path, "entitlements", "id"), fill.slug)


def _new_file(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _append(path: Path, key: str, item: str, existing: set[str], name: str) -> Path:
    """Add `item` to the end of the list under `key`, after its last entry, keeping every comment."""
    if name.lower() in existing:
        raise ScaffoldError(f"{path} already has {name!r}")
    if not path.exists():
        return _new_file(path, f"{key}:\n{indent(item, '  - ')}")
    text = path.read_text(encoding="utf-8")
    node = _list_node(text, key, path)
    if node is None:
        separator = "" if text.endswith("\n") or not text else "\n"
        write_atomically(path, f"{text}{separator}{key}:\n{indent(item, '  - ')}")
        return path
    lines = text.splitlines(keepends=True)
    end = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
    while end > node.start_mark.line + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    if lines and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, indent(item, " " * node.start_mark.column + "- "))
    write_atomically(path, "".join(lines))  # a full disk leaves the file as it was, never cut short
    return path


def _list_node(text: str, key: str, path: Path) -> yaml.SequenceNode | None:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        raise ScaffoldError(f"{path} is not valid YAML; run `panelsite check` and fix it first") from None
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        raise ScaffoldError(f"{path} should hold a mapping with a `{key}:` list")
    for key_node, value in root.value:
        if key_node.value == key:
            if not isinstance(value, yaml.SequenceNode) or value.flow_style:
                raise ScaffoldError(f"{path}: `{key}` should be a list written one item per line")
            return value
    return None


def _entries(path: Path, key: str) -> list:
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return []
    items = data.get(key) if isinstance(data, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _existing(path: Path, key: str, field: str) -> set[str]:
    return {str(item.get(field, "")).lower() for item in _entries(path, key)}


def _count(path: Path, key: str) -> int:
    return len(_entries(path, key))


def _first_source(data_dir: Path) -> str:
    """The first source document's id, so a new record's citation is valid once filled in."""
    for item in _entries(data_dir / "sources.yml", "documents"):
        if isinstance(item.get("id"), str) and SLUG.fullmatch(item["id"]):
            return item["id"]
    return PLACEHOLDER_SOURCE


def indent(text: str, first: str) -> str:
    """Indent a YAML mapping as one list item: `- ` before the first line, spaces before the rest."""
    rest = " " * len(first)
    lines = text.splitlines()
    return "".join((first if i == 0 else rest) + line + "\n" if line else "\n" for i, line in enumerate(lines))


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar on one line (JSON's string syntax is valid YAML)."""
    return json.dumps(" ".join(value.split()), ensure_ascii=False)
