"""Load every collection under `data/`, validate each record, then check references between them."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models
from .as_known import with_reported_dates
from .errors import Problem, Problems, Severity, close_match_hint, display_path
from .meeting_checks import check_meetings
from .metrics import frequency_mismatch, ratio_mismatches
from .validation import plausibility_problems, validate
from .yamlio import DEFAULT_LIMITS, Document, Limits, Loc, dotted, is_inside, load


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
SINGLE_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "pledge": ("pledge.yml", models.Pledge),
    "glossary": ("glossary.yml", models.Glossary),
    "sources": ("sources.yml", models.Sources),
}


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


YAML_SUFFIXES = (".yml", ".yaml")
REQUIRED_FILES = ("sources",)
"""Single files without which the data cannot be checked (every record cites a source)."""


@dataclass
class _Found:
    """Files found under data/: records per collection, the single files, and problems."""

    records: dict[str, list[Path]] = field(default_factory=dict)
    singles: dict[str, Path] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def discover(data_dir: Path, root: Path | None = None) -> _Found:
    """Every file under `data_dir`, sorted into records and single files; anything else is refused.

    A record's `.yml`, `.yaml`, `.YML` and `.YAML` are read alike; the single files are named
    exactly (`glossary.yml` or `glossary.yaml`: `Glossary.YML` is refused, naming the expected
    name); two files for one record, links that leave the project, sub-folders and files panelsite
    does not read are errors. Names starting with `.` are skipped.
    """
    found = _Found()
    project = root or data_dir.parent
    folders = {c.folder: c for c in FOLDERS}
    singles = {filename.rsplit(".", 1)[0]: name for name, (filename, _) in SINGLE_FILES.items()}
    for entry in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        display = display_path(entry, root)
        if entry.name.startswith("."):
            continue
        if not is_inside(entry, project):
            found.problems.add(
                Problem(
                    display, 1, 1, "", "is a link to something outside the project; copy it into the project instead"
                )
            )
        elif entry.is_dir() and entry.name in folders:
            found.records[folders[entry.name].name] = _records(entry, folders[entry.name], root, found.problems)
        elif entry.is_dir():
            found.problems.add(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    "panelsite does not read this folder",
                    hint=close_match_hint(entry.name, set(folders))
                    or "the data folders are " + ", ".join(sorted(folders)),
                )
            )
        elif _is_yaml(entry) and entry.stem.lower() in singles:
            name = singles[entry.stem.lower()]
            expected = SINGLE_FILES[name][0]
            if entry.name not in (expected, expected.removesuffix(".yml") + ".yaml"):
                # `panelsite new`, the editor and every message name the file in lower case; another
                # spelling would be a second file beside the one they write.
                found.problems.add(
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        f"this file must be named {expected} (lower case), as panelsite writes and reads it",
                        hint=f"rename it to {display_path(data_dir / expected, root)}",
                    )
                )
            elif name in found.singles:
                found.problems.add(
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        f"two files for one thing: {display_path(found.singles[name], root)} and this one; keep one",
                    )
                )
            else:
                found.singles[name] = entry
        else:
            found.problems.add(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    "panelsite does not read this file",
                    hint=_unknown_file_hint(entry, singles, folders),
                )
            )
    for name in REQUIRED_FILES:
        if name not in found.singles and data_dir.is_dir():
            filename = SINGLE_FILES[name][0]
            found.problems.add(
                Problem(
                    display_path(data_dir / filename, root),
                    1,
                    1,
                    "",
                    "file not found; every record cites a document listed in it",
                )
            )
    return found


def _unknown_file_hint(entry: Path, singles: dict[str, str], folders: dict[str, Collection]) -> str:
    close = close_match_hint(entry.stem, set(singles))
    if close and _is_yaml(entry):
        return f"did you mean {close.split('`')[1]}.yml?"
    return (
        "the data files are "
        + ", ".join(f for f, _ in SINGLE_FILES.values())
        + "; records go in the folders "
        + ", ".join(sorted(folders))
    )


def _records(folder: Path, collection: Collection, root: Path | None, problems: Problems) -> list[Path]:
    """The record files of one collection folder; one file per record."""
    files: list[Path] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        display = display_path(path, root)
        if path.name.startswith("."):
            continue
        if path.is_dir() and not path.is_symlink() and collection.name == "meetings" and path.name == PAPERS_FOLDER:
            problems.extend(_paper_files(path, root))
        elif path.is_dir() and not path.is_symlink():
            problems.add(
                Problem(
                    display, 1, 1, "", f"sub-folders are not read; put the files straight in data/{collection.folder}/"
                )
            )
        elif not _is_yaml(path):
            problems.add(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    "panelsite reads only .yml files here",
                    hint=f"rename it to {path.stem}.yml if it is YAML, or move it out of data/",
                )
            )
        elif path.stem.lower() in seen:
            problems.add(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    f"two files for one record: {display_path(seen[path.stem.lower()], root)} and this one; keep one",
                )
            )
        else:
            seen[path.stem.lower()] = path
            files.append(path)
    return files


PAPERS_FOLDER = "papers"
"""`data/meetings/papers/` holds the documents meeting records link to (`document: {file: papers/x.pdf}`)."""
PAPER_SUFFIXES = {".pdf", ".docx", ".odt", ".xlsx", ".ods", ".pptx", ".odp", ".csv", ".txt", ".rtf"}


def _paper_files(folder: Path, root: Path | None) -> Problems:
    """Papers are documents that stay inside the project; anything else in the folder is refused."""
    problems = Problems()
    project = root or folder.parent.parent.parent
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        display = display_path(path, root)
        if not is_inside(path, project):
            problems.add(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    "this file links to a place outside the project; copy the paper into data/meetings/papers/ instead",
                )
            )
        elif path.suffix.lower() not in PAPER_SUFFIXES:
            problems.add(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    "only documents (" + ", ".join(sorted(PAPER_SUFFIXES)) + ") belong in data/meetings/papers/",
                )
            )
    return problems


def load_dataset(
    data_dir: Path,
    root: Path | None = None,
    progress: Callable[[str], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    loader: DatasetLoader | None = None,
) -> tuple[Dataset, Problems]:
    """Load and validate all of `data_dir`. Records with errors are left out; problems list them all.

    With a `loader` that loaded the same folder before (`panelsite serve`), only the files whose
    content changed are parsed and validated again; the result is the same as a fresh load.
    """
    return (loader or DatasetLoader()).load(data_dir, root, progress, limits)


_Digest = tuple[str, int, bytes]
"""What a file's parse depends on: where it really is (links followed), its kind, its bytes' hash."""


@dataclass(frozen=True)
class _Parsed:
    """One file, parsed and validated: its record (None when invalid), document and problems."""

    digest: _Digest
    record: Any
    doc: Document | None
    problems: tuple[Problem, ...]


def _digest(path: Path) -> _Digest | None:
    """The file's real path, kind and a hash of its bytes; None when it cannot be read as a file.

    The content, not the modification time, decides: an edit within one clock tick that keeps the
    size is still seen. Reading and hashing every data file costs milliseconds at ten years.
    """
    try:
        real = os.path.realpath(path)
        kind = stat.S_IFMT(os.stat(real).st_mode)
        if kind != stat.S_IFREG:
            return None
        with open(real, "rb") as file:
            return real, kind, hashlib.blake2b(file.read(), digest_size=20).digest()
    except (OSError, ValueError):
        return None


class DatasetLoader:
    """Loads `data/` and keeps each file's parsed and validated result, for the next load.

    `load` re-reads every file's bytes but parses and validates only the files whose content (or
    real location) changed, forgets files that were deleted, parses added ones, and then runs the
    cross-record checks on the whole dataset, so records, documents and problems (in their order)
    are the same as a fresh `load_dataset` would give. Results are kept only for the folder, root
    and limits they were made with.
    """

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, Path], _Parsed] = {}
        self._made_with: tuple[Path, Path | None, Limits] | None = None
        self.parsed = 0
        """How many files the last `load` parsed (the rest came from memory)."""

    def load(
        self,
        data_dir: Path,
        root: Path | None = None,
        progress: Callable[[str], None] | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> tuple[Dataset, Problems]:
        if self._made_with != (data_dir, root, limits):
            self._parsed.clear()
            self._made_with = (data_dir, root, limits)
        previous, self._parsed, self.parsed = self._parsed, {}, 0
        problems = Problems()
        documents: dict[str, Document] = {}
        origins: dict[tuple[str, str], str] = {}
        loaded: dict[str, Any] = {}
        invalid: set[tuple[str, str]] = set()
        project = root or data_dir.parent
        if not data_dir.is_dir():
            problems.add(Problem(display_path(data_dir, root), 1, 1, "", "data folder not found"))
        found = discover(data_dir, root)
        problems.extend(found.problems)
        for collection in FOLDERS:
            records: dict[str, Any] = {}
            files = found.records.get(collection.name, [])
            if progress and files:
                progress(
                    f"loading {len(files)} {collection.name} from {display_path(data_dir / collection.folder, root)}/"
                )
            for path in files:
                parsed = self._one(
                    previous, collection.name, path, partial(_parse_record, path, collection, root, limits, project)
                )
                problems.extend(list(parsed.problems))
                record, doc = parsed.record, parsed.doc
                if doc:
                    documents[doc.display] = doc
                if record is not None and doc is not None:
                    key = str(getattr(record, collection.key_field))
                    records[key] = record
                    origins[(collection.name, key)] = doc.display
                else:
                    invalid.add((collection.name, path.stem))
            loaded[collection.name] = dict(sorted(records.items()))
        for name, (_, model) in SINGLE_FILES.items():
            single = found.singles.get(name)
            loaded[name] = None
            if single is None:
                continue
            if progress:
                progress(f"loading {display_path(single, root)}")
            parsed = self._one(previous, name, single, partial(_parse_single, single, model, root, limits, project))
            problems.extend(list(parsed.problems))
            if parsed.doc:
                documents[parsed.doc.display] = parsed.doc
                loaded[name] = parsed.record
        loaded["kpis"] = with_reported_dates(loaded["kpis"], loaded["sources"])
        dataset = Dataset(**loaded, documents=documents, origins=origins, invalid=frozenset(invalid))
        problems.extend(check_references(dataset))
        problems.extend(check_file_names(dataset))
        return dataset, problems

    def _one(
        self,
        previous: dict[tuple[str, Path], _Parsed],
        name: str,
        path: Path,
        parse: Callable[[], tuple[Any, Document | None, Problems]],
    ) -> _Parsed:
        """The file's result from memory when its content is unchanged; otherwise parsed now."""
        before = _digest(path)
        kept = previous.get((name, path))
        if kept is not None and before is not None and kept.digest == before:
            self._parsed[(name, path)] = kept
            return kept
        record, doc, problems = parse()
        self.parsed += 1
        parsed = _Parsed(before or ("", 0, b""), record, doc, tuple(problems.items))
        if before is not None and _digest(path) == before:  # not kept if the file changed while being read
            self._parsed[(name, path)] = parsed
        return parsed


def _parse_record(
    path: Path, collection: Collection, root: Path | None, limits: Limits, project: Path
) -> tuple[Any, Document | None, Problems]:
    problems = Problems()
    record, doc = _load_record(path, collection, root, problems, limits, project)
    return record, doc, problems


def _parse_single(
    path: Path, model: type[BaseModel], root: Path | None, limits: Limits, project: Path
) -> tuple[Any, Document | None, Problems]:
    doc, problems = load(path, display_path(path, root), limits=limits, root=project)
    record = None
    if doc:
        record, found = validate(model, doc)
        problems.extend(found)
    return record, doc, problems


def _load_record(
    path: Path, collection: Collection, root: Path | None, problems: Problems, limits: Limits, project: Path
) -> tuple[Any, Document | None]:
    display = display_path(path, root)
    doc, found = load(path, display, limits=limits, root=project)
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
        problems.add(
            Problem(
                display,
                line,
                column,
                collection.key_field,
                f"should match the file name '{key}'",
                repr(str(given)),
                f"rename the file to {given}{path.suffix} or set {collection.key_field}: {key}",
            )
        )
        return None, doc
    record, found = validate(collection.model, doc, data)
    problems.extend(found)
    return record, doc


_EVENT_NAME = re.compile(r"^(\d{4}-\d{2}(?:-\d{2})?)-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$")
_UPDATE_NAME = re.compile(r"^(\d{4}-\d{2})-[a-z0-9]+(-[a-z0-9]+)*$")


def check_file_names(dataset: Dataset) -> Problems:
    """Event files are named after their `date` (<yyyy-mm-dd>-<slug>, or <yyyy-mm>-<slug> when only the
    month is known); update files <yyyy-mm>-<slug> after the month of `period_end`."""
    problems = Problems()
    for event_id, event in dataset.events.items():
        doc = dataset.documents[dataset.origin("events", event_id)]
        match = _EVENT_NAME.match(event_id)
        wanted = event.date.isoformat()
        if not match:
            problems.add(
                _at(
                    doc,
                    ("date",),
                    f"the file name should be <date>-<slug>, starting {wanted}",
                    repr(doc.path.name),
                    f"rename it to {wanted}-<slug>{doc.path.suffix}",
                )
            )
        elif match.group(1) != wanted:
            problems.add(
                _at(
                    doc,
                    ("date",),
                    f"disagrees with the file name, which starts {match.group(1)}",
                    repr(wanted),
                    f"rename the file to {wanted}-{match.group(2)}{doc.path.suffix}, or fix the date",
                )
            )
    for update_id, update in dataset.updates.items():
        doc = dataset.documents[dataset.origin("updates", update_id)]
        match = _UPDATE_NAME.match(update_id)
        wanted = update.period_end.isoformat()[:7]
        if not match:
            problems.add(
                _at(
                    doc,
                    ("period_end",),
                    f"the file name should be <yyyy-mm>-<slug>, the month the update covers up to ({wanted})",
                    repr(doc.path.name),
                    f"rename it to {wanted}-<slug>{doc.path.suffix}",
                )
            )
        elif match.group(1) != wanted:
            problems.add(
                _at(
                    doc,
                    ("period_end",),
                    f"is in {wanted}, but the file name starts {match.group(1)}",
                    hint=f"rename the file to {wanted}{update_id[7:]}{doc.path.suffix}, or fix period_end",
                )
            )
    return problems


def check_references(dataset: Dataset) -> Problems:
    """Cross-record checks: citations, KPI references, meeting references, unique ids."""
    problems = Problems()
    source_ids = {d.id for d in dataset.sources.documents} if dataset.sources else set()
    for doc in dataset.documents.values():
        for loc, value in walk(doc.data):
            is_citation = loc and loc[-1] == "source" and isinstance(value, dict) and "doc" in value
            if is_citation and value["doc"] not in source_ids:
                problems.add(
                    _at(doc, (*loc, "doc"), "unknown source document; add it to data/sources.yml", repr(value["doc"]))
                )
            if loc and loc[-1] == "related_kpis" and isinstance(value, list):
                for i, kpi_id in enumerate(value):
                    if not dataset.exists("kpis", str(kpi_id)):
                        problems.add(
                            _at(doc, (*loc, i), "unknown KPI id", repr(kpi_id), _hint(str(kpi_id), dataset.kpis))
                        )
    for update_id, update in dataset.updates.items():
        if update.meeting and not dataset.exists("meetings", update.meeting.isoformat()):
            doc = dataset.documents[dataset.origin("updates", update_id)]
            problems.add(
                _at(doc, ("meeting",), "no meeting on that date in data/meetings/", repr(update.meeting.isoformat()))
            )
    for kpi_id, kpi in dataset.kpis.items():
        doc = dataset.documents[dataset.origin("kpis", kpi_id)]
        unit = "%" if kpi.unit.value == "percent" else " per 10,000"
        for index, value, computed in ratio_mismatches(kpi):
            problems.add(
                _at(
                    doc,
                    ("values", index, "value"),
                    f"{value.value:g}{unit} disagrees with {value.numerator} of {value.denominator} "
                    f"({computed:.1f}{unit})",
                    severity=Severity.WARNING,
                    hint=f"check the numerator, denominator and {'percent' if unit == '%' else 'rate'}",
                )
            )
        problems.extend(plausibility_problems(kpi, doc))
        mismatch = frequency_mismatch(kpi)
        if mismatch:
            problems.add(
                _at(
                    doc,
                    ("frequency",),
                    mismatch,
                    severity=Severity.WARNING,
                    hint="set frequency to how often the latest values come, or check their periods",
                )
            )
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
                problems.add(
                    _at(
                        doc,
                        ("entitlements", i, "id"),
                        f"entitlement id already used in {seen[entitlement.id]}",
                        repr(entitlement.id),
                    )
                )
            seen[entitlement.id] = doc.display
    ids: dict[str, int] = {}
    sources = next((d for d in dataset.documents.values() if d.path.stem.lower() == "sources"), None)
    for i, document in enumerate(dataset.sources.documents if dataset.sources else []):
        if document.id in ids and sources:
            problems.add(
                _at(
                    sources,
                    ("documents", i, "id"),
                    f"id is already used by documents[{ids[document.id]}]",
                    repr(document.id),
                )
            )
        ids.setdefault(document.id, i)
    for name, items, key in (
        ("glossary", dataset.glossary.terms if dataset.glossary else [], "term"),
        ("pledge", dataset.pledge.promises if dataset.pledge else [], "id"),
    ):
        single = next((d for d in dataset.documents.values() if d.path.stem.lower() == name), None)
        collection = "terms" if name == "glossary" else "promises"
        names: set[str] = set()
        for i, item in enumerate(items):
            value = getattr(item, key).lower()
            if value in names and single:
                problems.add(_at(single, (collection, i, key), f"{key} is given twice", repr(getattr(item, key))))
            names.add(value)
    return problems


def walk(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every value of a parsed file with its location (`("values", 1, "value")`), the file's own first."""
    stack: list[tuple[Loc, Any]] = [(loc, data)]
    while stack:  # depth first, in the file's order, without a generator for each level
        where, value = stack.pop()
        yield where, value
        if isinstance(value, dict):
            stack.extend(reversed([((*where, key), item) for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([((*where, i), item) for i, item in enumerate(value)]))


def _at(
    doc: Document,
    loc: Loc,
    message: str,
    got: str | None = None,
    hint: str | None = None,
    severity: Severity = Severity.ERROR,
) -> Problem:
    line, column = doc.where(loc)
    return Problem(doc.display, line, column, dotted(loc), message, got, hint, severity)


def _hint(word: str, choices: Any) -> str | None:
    return close_match_hint(word, set(choices))


problem_at = _at
