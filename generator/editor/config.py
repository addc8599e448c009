"""The Decap CMS configuration, generated from panelsite's pydantic models so it cannot drift.

Each model field becomes a Decap field with its label, its hint (the field's description), a widget
chosen from its type, whether it is required, and its choices (enums, or the site's configuration:
comparators, event kinds, contacts; the source documents and KPIs in the data). Every `young:` block
is an object group of its own, titled "Young people's edition".

Dates are text fields with a pattern, not Decap's date picker: a date can be a whole month
(`2016-10`), the picker cannot be used well from a keyboard, and a wrong date then reaches
panelsite's loader, which says exactly what is wrong and where.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .. import models
from ..models.common import DayOrMonth, Period
from ..settings import Settings
from ..urls import Urls, page_url

LONG_TEXT = {
    "definition",
    "description",
    "discussion",
    "evidence",
    "explanation",
    "how_to_get",
    "introduction",
    "meaning",
    "summary",
    "text",
    "what_happened",
    "we_did",
    "you_said",
    "young_meaning",
    "outcome",
    "thanks",
    "headline",
    "conditions",
    "varies",
}
"""Fields written as a few sentences: a multi-line box rather than a one-line one."""

DATE_PATTERN = [r"^\d{4}-\d{2}-\d{2}$", "Write the date as YYYY-MM-DD, e.g. 2024-03-19"]
DAY_OR_MONTH_PATTERN = [r"^\d{4}-\d{2}(-\d{2})?$", "Write the date as YYYY-MM-DD, or YYYY-MM for a whole month"]
PERIOD_PATTERN = [
    r"^\d{4}(-\d{2}(-\d{2})?|/\d{2}( Q[1-4])?)?$",
    "Write the period as 2022-12, 2022-12-31, 2022/23 Q3, 2022/23 or 2022",
]
KEY_HINT = "Leave it empty: panelsite takes it from the file name, which the editor makes for you."
YOUNG_LABEL = "Young people's edition"
RAG_BANDS = ("green", "amber", "red")


LABELS = {"young": YOUNG_LABEL, "src": "Photo", "alt": "Alt text", "doc": "Source document", "rag": "RAG bands"}
"""Labels that say more than the field's name does."""


def label(name: str) -> str:
    """'what_happened' -> 'What happened'; 'young' -> "Young people's edition"; 'src' -> 'Photo'."""
    return LABELS.get(name, name.replace("_", " ").capitalize())


class Choices:
    """Values some fields must take, from the configuration and the data."""

    def __init__(self, settings: Settings, sources: list[str], kpis: list[str]) -> None:
        self.by_field: dict[tuple[str, str], list[str]] = {
            ("Event", "kind"): list(settings.event_kinds),
            ("Benchmark", "name"): [c.name for c in settings.comparators],
            ("Entitlement", "contacts"): [c.name for c in settings.contacts],
        }
        if sources:
            self.by_field[("Citation", "doc")] = sources
        if kpis:
            self.by_field[("Promise", "related_kpis")] = kpis
            self.by_field[("AgendaItem", "related_kpis")] = kpis
        self.scorecard_themes = list(settings.scorecard_themes)

    def get(self, model: type[BaseModel], name: str) -> list[str] | None:
        return self.by_field.get((model.__name__, name))


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside `Annotated[...]` and `X | None`, and whether None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _scalar_widget(kind: Any, name: str) -> dict[str, Any]:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return {"widget": "select", "options": [member.value for member in kind]}
    if kind is bool:
        return {"widget": "boolean"}
    if kind is int:
        return {"widget": "number", "value_type": "int"}
    if kind in (float, Decimal):
        return {"widget": "number", "value_type": "float"}
    if kind is dt.date:
        return {"widget": "string", "pattern": DATE_PATTERN}
    if kind is DayOrMonth:
        return {"widget": "string", "pattern": DAY_OR_MONTH_PATTERN}
    if kind is Period:
        return {"widget": "string", "pattern": PERIOD_PATTERN}
    return {"widget": "text" if name in LONG_TEXT else "string"}


def field_config(
    model: type[BaseModel], name: str, info: FieldInfo, choices: Choices, within_optional: bool = False
) -> dict[str, Any]:
    """One model field as a Decap field.

    Inside an optional group (a KPI value's own `source`, the RAG bands) no field is marked required:
    Decap would otherwise refuse to save while the group is left empty. If the group is filled in
    half, panelsite's loader says which field is missing, beside the field.
    """
    kind, optional = _unwrap(info.annotation)
    field: dict[str, Any] = {"name": name, "label": label(name)}
    if info.description:
        field["hint"] = info.description
    required = info.is_required() and not optional
    field["required"] = required and not within_optional
    options = choices.get(model, name)
    origin = typing.get_origin(kind)
    if origin is list:
        item, _ = _unwrap(typing.get_args(kind)[0])
        if options is None and isinstance(item, type) and issubclass(item, Enum):
            options = [member.value for member in item]
        if options is not None:
            field.update(widget="select", multiple=True, options=options)
        elif isinstance(item, type) and issubclass(item, BaseModel):
            field.update(widget="list", fields=model_fields(item, choices), collapsed=True)
            field["summary"] = _summary(item)
        else:
            field.update(widget="list", field={"name": "item", "label": label(name), **_scalar_widget(item, name)})
        if not field["required"]:
            field["default"] = []
    elif origin is dict and name == "rag":
        field.update(
            widget="object",
            fields=[
                {"name": band, "label": band.capitalize(), "widget": "string", "required": False} for band in RAG_BANDS
            ],
        )
    elif isinstance(kind, type) and issubclass(kind, BaseModel):
        inner = model_fields(kind, choices, within_optional or not field["required"])
        field.update(widget="object", fields=inner, collapsed=name != "young")
    elif options is not None:
        field.update(widget="select", options=options)
    elif model is models.event.Image and name == "src":
        field.update(widget="image", choose_url=False)
    else:
        field.update(_scalar_widget(kind, name))
    if name == "theme" and model is models.Kpi and choices.scorecard_themes:
        field.update(widget="select", options=choices.scorecard_themes)
    return field


def _summary(model: type[BaseModel]) -> str:
    """What a collapsed list item shows: its first text-like field."""
    for name in ("title", "heading", "term", "text", "you_said", "name", "period", "number", "label", "date"):
        if name in model.model_fields:
            return "{{fields." + name + "}}"
    return ""


def model_fields(model: type[BaseModel], choices: Choices, within_optional: bool = False) -> list[dict[str, Any]]:
    """Every field of `model`, in the model's order, with `young` last."""
    fields = [field_config(model, name, info, choices, within_optional) for name, info in model.model_fields.items()]
    return [f for f in fields if f["name"] != "young"] + [f for f in fields if f["name"] == "young"]


def _folder(
    name: str, label_: str, folder: str, model: type[BaseModel], slug: str, identifier: str, choices: Choices
) -> dict[str, Any]:
    fields = model_fields(model, choices)
    for field in fields:
        if field["name"] == "id" and identifier != "id":
            # Hidden: panelsite names the file, and the loader takes the id from the file name.
            field.update(widget="hidden", required=False, hint=f"{field.get('hint', '')} {KEY_HINT}".strip())
    return {
        "name": name,
        "label": label_,
        "folder": folder,
        "extension": "yml",
        "format": "yml",
        "create": True,
        "delete": True,
        "slug": slug,
        "identifier_field": identifier,
        "summary": "{{" + identifier + "}}",
        "fields": fields,
    }


def collections(settings: Settings, choices: Choices) -> list[dict[str, Any]]:
    """The collections: five folders of one file per record, and three single files."""
    data = settings.data_dir.strip("/")
    council = settings.children_council.short_name
    single = {"format": "yml", "delete": False}
    return [
        _folder("kpis", "Performance indicators", f"{data}/kpis", models.Kpi, "{{slug}}", "title", choices),
        _folder(
            "updates",
            f"{council} updates",
            f"{data}/updates",
            models.Update,
            "{{fields.period_end | date('YYYY-MM')}}-{{slug}}",
            "title",
            choices,
        ),
        _folder("events", "Events", f"{data}/events", models.Event, "{{fields.date}}-{{slug}}", "title", choices),
        _folder("meetings", "Panel meetings", f"{data}/meetings", models.Meeting, "{{fields.date}}", "date", choices),
        _folder(
            "areas", "Local Offer areas", f"{data}/entitlements", models.AreaOffer, "{{fields.area}}", "title", choices
        ),
        {
            "name": "pages",
            "label": "Pledge, glossary and sources",
            "files": [
                {
                    "name": "pledge",
                    "label": "The Pledge",
                    "file": f"{data}/pledge.yml",
                    **single,
                    "fields": model_fields(models.Pledge, choices),
                },
                {
                    "name": "glossary",
                    "label": "Glossary",
                    "file": f"{data}/glossary.yml",
                    **single,
                    "fields": model_fields(models.Glossary, choices),
                },
                {
                    "name": "sources",
                    "label": "Source documents",
                    "file": f"{data}/sources.yml",
                    **single,
                    "fields": model_fields(models.Sources, choices),
                },
            ],
        },
    ]


def preview_paths(settings: Settings) -> dict[str, str]:
    """Each collection's page path on the site, with `{slug}` for the record's file name."""
    urls = Urls(settings.children_council.slug)
    return {
        "kpis": page_url(urls.kpi("{slug}")),
        "updates": page_url(urls.update("{slug}")),
        "events": page_url(urls.event("{slug}")),
        "meetings": page_url(urls.meetings()) + "{slug}/",
        "areas": page_url(urls.offer_area("{slug}")),
        "pledge": page_url(urls.pledge()),
        "glossary": page_url(urls.glossary()),
        "sources": "",
    }


def backend(kind: str, proxy_url: str = "", repo: str = "", branch: str = "main") -> dict[str, Any]:
    """The `backend:` block: panelsite's own local server, or a git host for hosted use."""
    if kind == "proxy":
        return {"name": "proxy", "proxy_url": proxy_url, "branch": branch}
    if kind not in ("github", "gitlab", "gitea"):
        raise ValueError(f"unknown backend {kind!r}; choose github, gitlab or gitea")
    return {"name": kind, "repo": repo, "branch": branch}


def decap_config(
    settings: Settings, backend_: dict[str, Any], sources: list[str] | None = None, kpis: list[str] | None = None
) -> dict[str, Any]:
    """The whole Decap configuration (JSON, which is also YAML)."""
    content = settings.content_dir.strip("/")
    return {
        "backend": backend_,
        "media_folder": f"{content}/images",
        "public_folder": "images",
        "publish_mode": "simple",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(settings, Choices(settings, sources or [], kpis or [])),
    }
