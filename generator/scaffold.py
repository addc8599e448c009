"""`panelsite new`: start a data file from a commented template, so authors never face a blank page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

TEMPLATES = {
    "update": ("updates", "{month}-{slug}", """\
# A LAC Council update. Fields are described in generator/schemas/updates.schema.json.
title: "LAC Council update: {nice}"
period_start: {date}
period_end: {date}
author_role: Participation worker
summary: Write two or three sentences on what the council did.
sections:
  - heading: What we did
    items:
      - title: Name the activity
        what_happened: Say what happened.
you_said_we_did:
  - you_said: What young people asked for.
    we_did: What changed because of it.
source: {{doc: cpp-2023-03-28, where: "LAC Council update"}}
young:
  title: What we did
  summary: Say it in short, plain sentences.
"""),
    "event": ("events", "{date}-{slug}", """\
# An event write-up. Fields are described in generator/schemas/events.schema.json.
title: {nice}
date: {date}
kind: celebration
summary: One or two sentences.
what_happened: What happened, who came, what it led to.
source: {{doc: cpp-2023-03-28, where: "LAC Council update"}}
young:
  title: {nice}
  summary: Say it in short, plain sentences.
"""),
    "meeting": ("meetings", "{date}", """\
# A panel meeting. Fields are described in generator/schemas/meetings.schema.json.
# Also: time: "5.00 pm", venue, webcast (an https address), pack: {{file: papers/{date}-pack.pdf}}
# (a document beside this file) or {{url: https://...}}. Once held: status: held, present,
# apologies, and each item's minute; a resolution can set an action that later meetings report on:
# {{text: ..., action: {{id: short-id, owner: a role, due: YYYY-MM-DD}}}}.
date: {date}
status: scheduled
agenda:
  - number: "1"
    title: Apologies for absence
source: {{doc: cpp-2023-03-28}}
"""),
    "kpi": ("kpis", "{slug}", """\
# A performance indicator. Fields are described in generator/schemas/kpis.schema.json.
title: {nice}
definition: What exactly is counted.
theme: Children in care
unit: percent
polarity: higher is better
frequency: monthly
source: {{doc: cpp-2023-03-28, where: "Appendix 2"}}
values:
  - period: "{month}"
    value: 0
"""),
}


class ScaffoldError(Exception):
    pass


def scaffold(data_dir: Path, kind: str, slug: str, date: str | None = None) -> Path:
    """Write a new data file of `kind`; refuses to overwrite an existing one."""
    day = dt.date.fromisoformat(date) if date else dt.date.today()
    folder, name, body = TEMPLATES[kind]
    if kind != "meeting" and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or ""):
        raise ScaffoldError("give a short name in lower case with hyphens, e.g. summer-residential")
    filename = name.format(month=day.strftime("%Y-%m"), date=day.isoformat(), slug=slug) + ".yml"
    path = data_dir / folder / filename
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    nice = slug.replace("-", " ").capitalize() if slug else day.isoformat()
    path.write_text(body.format(date=day.isoformat(), month=day.strftime("%Y-%m"), nice=nice), encoding="utf-8")
    return path
