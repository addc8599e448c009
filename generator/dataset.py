"""Load every collection under `data/`, validate each record, then check references between them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models
from .errors import Problem, Problems, Severity, close_match_hint, display_path
from .meeting_checks import check_meetings
from .metrics import frequency_mismatch, ratio_mismatches
from .validation import validate
from .yamlio import Document, Loc, dotted, load


@dataclass(frozen=True)
class Collection:
    """A folder of records, one per file, whose file name is the record's key."""

    name: str
    folder: str
    model: type[BaseModel]
    key_field: str


FOLDERS = [
    Collection("kpis", "kpis", models.Kpi, "id"),
    Collection("updates", "updates", models.Update, "id"),
    Collection("events", "events", models.Event, "id"),
    Collection("meetings", "meetings", models.Meeting, "date"),
    Collection("areas", "entitlements", models.AreaOffer, "area"),
]
SINGLE_FILES = {"pledge": ("pledge.yml", models.Pledge), "glossary": ("glossary.yml", models.Glossary),
                "sources": ("sources.yml", models.Sources)}


@dataclass(frozen=True)
class Dataset:
    """Every validated record, keyed by id and sorted for stable output."""

    kpis: dict[str, models.Kpi]
    updates: dict[str, models.Update]
    events: dict[str, models.Event]
    meetings: dict[str, models.Meeting]
    areas: dict[str, models.AreaOffer]
    pledge: models.Pledge | None
    glossary: models.Glossary | None
    sources: models.Sources | None
    documents: dict[str, Document] = field(default_factory=dict, repr=False)
    invalid: frozenset[tuple[str, str]] = frozenset()
    origins: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def exists(self, collection: str, key: str) -> bool:
        """True if a file for the record exists, valid or not (so one error does not cascade)."""
        return key in getattr(self, collection) or (collection, key) in self.invalid

    def entitlements(self) -> Iterator[tuple[models.AreaOffer, models.Entitlement]]:
        for area in self.areas.values():
            for entitlement in area.entitlements:
                yield area, entitlement

    def source_title(self, doc_id: str) -> str:
        for document in self.sources.documents if self.sources else []:
            if document.id == doc_id:
                return document.title
        return doc_id

    def origin(self, collection: str, key: str) -> str:
        """The file a record came from, for messages."""
        return self.origins.get((collection, key), f"data/{collection}")


def load_dataset(data_dir: Path, root: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> tuple[Dataset, Problems]:
    """Load and validate all of `data_dir`. Records with errors are left out; problems list them all."""
    problems = Problems()
    documents: dict[str, Document] = {}
    origins: dict[tuple[str, str], str] = {}
    loaded: dict[str, Any] = {}
    invalid: set[tuple[str, str]] = set()
    if not data_dir.is_dir():
        problems.add(Problem(display_path(data_dir, root), 1, 1, "", "data folder not found"))
    for collection in FOLDERS:
        folder = data_dir / collection.folder
        records: dict[str, Any] = {}
        files = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if progress and files:
            progress(f"loading {len(files)} {collection.name} from {display_path(folder, root)}/")
        for path in files:
            record, doc = _load_record(path, collection, root, problems)
            if doc:
                documents[doc.display] = doc
            if record is not None:
                key = str(getattr(record, collection.key_field))
                records[key] = record
                origins[(collection.name, key)] = doc.display
            else:
                invalid.add((collection.name, path.stem))
        loaded[collection.name] = dict(sorted(records.items()))
    for name, (filename, model) in SINGLE_FILES.items():
        path = data_dir / filename
        loaded[name] = None
        if not path.exists():
            continue
        if progress:
            progress(f"loading {display_path(path, root)}")
        doc, found = load(path, display_path(path, root))
        problems.extend(found)
        if doc:
            documents[doc.display] = doc
            loaded[name], found = validate(model, doc)
            problems.extend(found)
    dataset = Dataset(**loaded, documents=documents, origins=origins, invalid=frozenset(invalid))
    problems.extend(check_references(dataset))
    return dataset, problems


def _load_record(path: Path, collection: Collection, root: Path | None,
                 problems: Problems) -> tuple[Any, Document | None]:
    display = display_path(path, root)
    doc, found = load(path, display)
    problems.extend(found)
    if doc is None:
        return None, None
    if not isinstance(doc.data, dict):
        problems.add(Problem(display, 1, 1, "", "file should hold a mapping of field: value"))
        return None, doc
    key = path.stem
    data = dict(doc.data)
    given = data.get(collection.key_field)
    if given is None:
        data[collection.key_field] = key
    elif str(given) != key:
        line, column = doc.where((collection.key_field,))
        problems.add(Problem(display, line, column, collection.key_field,
                             f"should match the file name '{key}'", repr(str(given))))
        return None, doc
    record, found = validate(collection.model, doc, data)
    problems.extend(found)
    return record, doc


def check_references(dataset: Dataset) -> Problems:
    """Cross-record checks: citations, KPI references, meeting references, unique ids."""
    problems = Problems()
    source_ids = {d.id for d in dataset.sources.documents} if dataset.sources else set()
    for doc in dataset.documents.values():
        for loc, value in _walk(doc.data):
            is_citation = loc and loc[-1] == "source" and isinstance(value, dict) and "doc" in value
            if is_citation and value["doc"] not in source_ids:
                problems.add(_at(doc, (*loc, "doc"), "unknown source document; add it to data/sources.yml",
                                     repr(value["doc"])))
            if loc and loc[-1] == "related_kpis" and isinstance(value, list):
                for i, kpi_id in enumerate(value):
                    if not dataset.exists("kpis", str(kpi_id)):
                        problems.add(_at(doc, (*loc, i), "unknown KPI id", repr(kpi_id),
                                         _hint(str(kpi_id), dataset.kpis)))
    for update_id, update in dataset.updates.items():
        if update.meeting and not dataset.exists("meetings", update.meeting.isoformat()):
            doc = dataset.documents[dataset.origin("updates", update_id)]
            problems.add(_at(doc, ("meeting",), "no meeting on that date in data/meetings/",
                             repr(update.meeting.isoformat())))
    for kpi_id, kpi in dataset.kpis.items():
        doc = dataset.documents[dataset.origin("kpis", kpi_id)]
        unit = "%" if kpi.unit.value == "percent" else " per 10,000"
        for index, value, computed in ratio_mismatches(kpi):
            problems.add(_at(doc, ("values", index, "value"),
                             f"{value.value:g}{unit} disagrees with {value.numerator} of {value.denominator} "
                             f"({computed:.1f}{unit})", severity=Severity.WARNING,
                             hint=f"check the numerator, denominator and {'percent' if unit == '%' else 'rate'}"))
        mismatch = frequency_mismatch(kpi)
        if mismatch:
            problems.add(_at(doc, ("frequency",), mismatch, severity=Severity.WARNING,
                             hint="set frequency to how often the latest values come, or check their periods"))
    problems.extend(check_meetings(dataset))
    problems.extend(_duplicates(dataset))
    return problems


def _duplicates(dataset: Dataset) -> Problems:
    problems = Problems()
    seen: dict[str, str] = {}
    for area_key, area in dataset.areas.items():
        doc = dataset.documents[dataset.origin("areas", area_key)]
        for i, entitlement in enumerate(area.entitlements):
            if entitlement.id in seen:
                problems.add(_at(doc, ("entitlements", i, "id"),
                                 f"entitlement id already used in {seen[entitlement.id]}", repr(entitlement.id)))
            seen[entitlement.id] = doc.display
    for name, items, key in (("glossary", dataset.glossary.terms if dataset.glossary else [], "term"),
                             ("pledge", dataset.pledge.promises if dataset.pledge else [], "id")):
        doc = next((d for d in dataset.documents.values() if d.path.name == f"{name}.yml"), None)
        collection = "terms" if name == "glossary" else "promises"
        names: set[str] = set()
        for i, item in enumerate(items):
            value = getattr(item, key).lower()
            if value in names and doc:
                problems.add(_at(doc, (collection, i, key), f"{key} is given twice", repr(getattr(item, key))))
            names.add(value)
    return problems


def _walk(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    yield loc, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, (*loc, i))


def _at(doc: Document, loc: Loc, message: str, got: str | None = None, hint: str | None = None,
        severity: Severity = Severity.ERROR) -> Problem:
    line, column = doc.where(loc)
    return Problem(doc.display, line, column, dotted(loc), message, got, hint, severity)


def _hint(word: str, choices: Any) -> str | None:
    return close_match_hint(word, set(choices))


problem_at = _at
walk = _walk
