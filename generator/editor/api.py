"""The actions of Decap's local backend protocol, answered by panelsite at `/api/v1`.

Decap's own `decap-server` (packages/decap-server/src/middlewares/localFs) writes whatever text the
browser sends. This one reads the same requests (`{"action": ..., "params": {...}}`) and answers
with the same shapes, but:

- a path is accepted only inside the data folder (records, `.yml`) or the images folder (photos);
- every save or delete is tried first on a copy of the project and checked by panelsite's loader;
  a problem it finds that was not there before goes back as the located lines `panelsite check`
  prints, with status 422, and nothing is written;
- a record is written in place by `generator.yaml_edit` (see `records.py`), never re-serialised;
- a photo is re-encoded without metadata (see `photos.py`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import BaseModel

from ..dataset import FOLDERS, SINGLE_FILES
from ..errors import Problem, Problems
from ..pipeline import ProjectNotLoaded, load_project
from ..settings import Settings, load_settings, project_paths
from ..yaml_edit import write_atomically
from ..yamlio import parse
from .photos import PhotoRefused, clean_name, clean_photo
from .records import (
    NotWritable,
    cleaned,
    editor_view,
    in_model_order,
    new_file_text,
    rewrite,
    same,
    with_required_nulls,
)


class Refused(Exception):
    """The request cannot be carried out; `status` is the HTTP status, the message says why."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


Change = dict[str, bytes | None]
"""Files to write (their bytes) or delete (None), by path relative to the project folder."""


@dataclass
class Folders:
    """Where the project's records and photos are, relative to the project folder."""

    root: Path
    config: Path
    data: str
    media: str
    copied: tuple[str, ...]

    @classmethod
    def of(cls, config: Path, settings: Settings) -> Folders:
        root = config.parent
        paths = project_paths(config, settings)
        relative = {
            name: path.relative_to(root).as_posix() for name, path in paths.items() if path.is_relative_to(root)
        }
        copied = tuple(relative[name] for name in ("data_dir", "content_dir", "theme_dir") if name in relative)
        return cls(root, config, relative["data_dir"], f"{relative['content_dir']}/images", copied)


class Backend:
    """One project's editor backend; `handle` answers one request body."""

    def __init__(self, config: Path, log: Callable[[str], None] | None = None) -> None:
        settings, problems = load_settings(config, config.parent)
        if settings is None:
            raise ProjectNotLoaded(problems)
        self.settings = settings
        self.folders = Folders.of(config, settings)
        self.lock = threading.Lock()
        self.log = log or (lambda _message: None)

    @property
    def root(self) -> Path:
        return self.folders.root

    def choices(self) -> tuple[list[str], list[str]]:
        """The source documents' ids and the KPIs' ids, for the editor's drop-down lists."""
        sources: list[str] = []
        path = self.root / self.folders.data / "sources.yml"
        if path.is_file():
            doc, _ = parse(path.read_text(encoding="utf-8"), str(path))
            documents = doc.data.get("documents") if doc is not None and isinstance(doc.data, dict) else None
            for item in documents if isinstance(documents, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    sources.append(item["id"])
        kpis = [PurePosixPath(rel).stem for rel in self._listing(f"{self.folders.data}/kpis", ".yml")]
        return sources, kpis

    # -- paths -----------------------------------------------------------------------------------

    def _relative(self, value: Any, under: str, suffixes: tuple[str, ...] = ()) -> str:
        """A request's path, checked: relative, no `..`, inside `under`, no link leaving the project."""
        if not isinstance(value, str) or not value or "\\" in value or "\x00" in value:
            raise Refused("the path is missing or not text", 400)
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or any(part.startswith(".") for part in path.parts):
            raise Refused(f"{value}: not a path inside the project", 403)
        if not (path == PurePosixPath(under) or path.is_relative_to(under)):
            raise Refused(f"{value}: the editor only changes files in {under}/", 403)
        if suffixes and path.suffix.lower() not in suffixes:
            raise Refused(f"{value}: the editor only handles {', '.join(suffixes)} files here", 403)
        full = self.root / path
        if full.exists() and not full.resolve().is_relative_to(self.root.resolve()):
            raise Refused(f"{value}: is a link to somewhere outside the project", 403)
        return path.as_posix()

    def _model(self, rel: str) -> type[BaseModel] | None:
        """The model of the record at `rel`, by its folder or file name."""
        inside = PurePosixPath(rel).relative_to(self.folders.data)
        for collection in FOLDERS:
            if inside.parent.as_posix() == collection.folder:
                return collection.model
        for filename, model in SINGLE_FILES.values():
            if inside.as_posix() == filename:
                return model
        return None

    def _record(self, value: Any) -> str:
        return self._relative(value, self.folders.data, (".yml", ".yaml"))

    def _media(self, value: Any) -> str:
        return self._relative(value, self.folders.media)

    # -- reading ---------------------------------------------------------------------------------

    def _entry(self, rel: str, label: str | None = None) -> dict[str, Any]:
        file: dict[str, Any] = {"path": rel}
        if label is not None:
            file["label"] = label
        try:
            content = (self.root / rel).read_bytes()
        except OSError:
            return {"data": None, "file": {**file, "id": None}}
        text = content.decode("utf-8", "replace")
        doc, _ = parse(text, rel)
        if doc is not None:
            view = editor_view(doc.data, self._model(rel))
            if view != doc.data:  # short forms written out for the forms; the file is not changed
                text = yaml.safe_dump(view, sort_keys=False, allow_unicode=True, width=100)
        return {"data": text, "file": {**file, "id": hashlib.sha256(content).hexdigest()}}

    def _media_file(self, rel: str) -> dict[str, Any]:
        content = (self.root / rel).read_bytes()
        return {
            "id": hashlib.sha256(content).hexdigest(),
            "content": base64.b64encode(content).decode("ascii"),
            "encoding": "base64",
            "path": rel,
            "name": PurePosixPath(rel).name,
        }

    def _listing(self, folder: str, suffix: str) -> list[str]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        return sorted(
            f"{folder}/{entry.name}"
            for entry in directory.iterdir()
            if entry.is_file() and not entry.name.startswith(".") and entry.name.endswith(suffix)
        )

    # -- the actions -----------------------------------------------------------------------------

    def handle(self, body: Any) -> Any:
        """The answer to one request; `Refused` for a request that cannot be carried out."""
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise Refused("the request should be {action, params}", 400)
        params = body.get("params") or {}
        if not isinstance(params, dict):
            raise Refused("params should be a mapping", 400)
        action = ACTIONS.get(body["action"])
        if action is None:
            raise Refused(f"Unknown action {body['action']}", 422)
        return action(self, params)

    def info(self, _params: dict[str, Any]) -> Any:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params: dict[str, Any]) -> Any:
        folder = self._relative(str(params.get("folder", "")).strip("/"), self.folders.data)
        extension = str(params.get("extension") or "yml")
        return [self._entry(rel) for rel in self._listing(folder, "." + extension.lstrip("."))]

    def entries_by_files(self, params: dict[str, Any]) -> Any:
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused("files should be a list", 400)
        return [self._entry(self._record(f.get("path")), f.get("label")) for f in files if isinstance(f, dict)]

    def get_entry(self, params: dict[str, Any]) -> Any:
        return self._entry(self._record(params.get("path")))

    def get_media(self, params: dict[str, Any]) -> Any:
        folder = self._media(str(params.get("mediaFolder", "")).strip("/"))
        return [self._media_file(rel) for rel in self._listing(folder, "")]

    def get_media_file(self, params: dict[str, Any]) -> Any:
        rel = self._media(params.get("path"))
        if not (self.root / rel).is_file():
            raise Refused(f"{rel}: no such picture", 404)
        return self._media_file(rel)

    def get_deploy_preview(self, _params: dict[str, Any]) -> Any:
        return None

    def persist_entry(self, params: dict[str, Any]) -> Any:
        entry = params.get("entry")
        data_files = params.get("dataFiles") or ([entry] if isinstance(entry, dict) else [])
        if not data_files or not all(isinstance(f, dict) for f in data_files):
            raise Refused("nothing to save", 400)
        change: Change = {}
        for asset in params.get("assets") or []:
            rel, content = self._photo(asset)
            change[rel] = content
        written: list[str] = []
        for data_file in data_files:
            if data_file.get("newPath") and data_file.get("newPath") != data_file.get("path"):
                raise Refused("renaming a record is not done in the editor: make a new one and delete the old one", 422)
            rel = self._record(data_file.get("path"))
            text = self._record_text(rel, data_file.get("raw"))
            if text is not None:
                change[rel] = text.encode("utf-8")
                written.append(rel)
        with self.lock:
            self._commit(change)
        return {"message": "entry persisted" if written else "nothing changed"}

    def persist_media(self, params: dict[str, Any]) -> Any:
        rel, content = self._photo(params.get("asset"))
        with self.lock:
            self._commit({rel: content})
        return self._media_file(rel)

    def delete_file(self, params: dict[str, Any]) -> Any:
        return self._delete([params.get("path")])

    def delete_files(self, params: dict[str, Any]) -> Any:
        paths = params.get("paths")
        if not isinstance(paths, list):
            raise Refused("paths should be a list", 400)
        return self._delete(paths)

    # -- saving ----------------------------------------------------------------------------------

    def _photo(self, asset: Any) -> tuple[str, bytes]:
        if not isinstance(asset, dict) or asset.get("encoding") != "base64":
            raise Refused("a photo should come as base64", 400)
        rel = self._media(asset.get("path"))
        try:
            name = clean_name(PurePosixPath(rel).name)
            content = clean_photo(name, base64.b64decode(str(asset.get("content", "")), validate=True))
        except PhotoRefused as exc:
            raise Refused(str(exc)) from None
        except (binascii.Error, ValueError):
            raise Refused(f"{rel}: the photo did not arrive whole; try again", 400) from None
        return str(PurePosixPath(rel).parent / name), content

    def _record_text(self, rel: str, raw: Any) -> str | None:
        """The file's new text (edited in place when it exists), or None when nothing changed."""
        if not isinstance(raw, str):
            raise Refused(f"{rel}: the record's text is missing", 400)
        incoming, problems = parse(raw, rel)
        if incoming is None or not isinstance(incoming.data, dict):
            raise Refused(_lines(problems) or f"{rel}: the editor sent something that is not a record")
        path = self.root / rel
        if not path.exists():
            return new_file_text(with_required_nulls(cleaned(incoming.data), self._model(rel)), self._model(rel))
        old_text = path.read_text(encoding="utf-8")
        old, problems = parse(old_text, rel)
        if old is None:
            raise Refused(_lines(problems) + "\nfix this file by hand first (then `panelsite check`)")
        model = self._model(rel)
        before = editor_view(old.data, model)
        new = in_model_order(with_required_nulls(cleaned(incoming.data, before), model), model)
        try:
            text, edits = rewrite(old_text, before, new)
        except NotWritable as exc:
            raise Refused(f"{rel}: {exc}") from None
        if not edits:
            return None
        after, _ = parse(text, rel)
        if after is None or not same(editor_view(after.data, model), new):
            raise Refused(f"{rel}: this change could not be written in place; nothing was saved", 500)
        return text

    def _delete(self, paths: list[Any]) -> Any:
        change: Change = {}
        for value in paths:
            if isinstance(value, str) and value.startswith(self.folders.media + "/"):
                rel = self._media(value)
            else:
                rel = self._record(value)
            if not (self.root / rel).is_file():
                raise Refused(f"{rel}: there is no such file", 404)
            change[rel] = None
        with self.lock:
            self._commit(change)
        return {"message": f"deleted files {', '.join(change)}"}

    def _commit(self, change: Change) -> None:
        """Check the change on a copy of the project; then make it, or raise `Refused` with the problems."""
        problems = self.new_problems(change)
        if problems:
            raise Refused(_lines(problems))
        for rel, content in change.items():
            path = self.root / rel
            if content is None:
                path.unlink()
                self.log(f"deleted {rel}")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, content)
            self.log(f"saved {rel}")

    def new_problems(self, change: Change) -> list[Problem]:
        """Errors the loader finds with `change` made that it does not find in the project as it is."""
        before = _errors(self.folders.config)
        with tempfile.TemporaryDirectory(prefix="panelsite-edit-") as temporary:
            copy = Path(temporary)
            shutil.copy2(self.folders.config, copy / self.folders.config.name)
            for folder in self.folders.copied:
                if (self.root / folder).is_dir():
                    shutil.copytree(self.root / folder, copy / folder, symlinks=True)
            for rel, content in change.items():
                target = copy / rel
                if content is None:
                    target.unlink(missing_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
            after = _errors(copy / self.folders.config.name)
        known = {_key(p) for p in before}
        return [p for p in after if _key(p) not in known]


ACTIONS: dict[str, Callable[[Backend, dict[str, Any]], Any]] = {
    "info": Backend.info,
    "entriesByFolder": Backend.entries_by_folder,
    "entriesByFiles": Backend.entries_by_files,
    "getEntry": Backend.get_entry,
    "persistEntry": Backend.persist_entry,
    "getMedia": Backend.get_media,
    "getMediaFile": Backend.get_media_file,
    "persistMedia": Backend.persist_media,
    "deleteFile": Backend.delete_file,
    "deleteFiles": Backend.delete_files,
    "getDeployPreview": Backend.get_deploy_preview,
}
"""The actions decap-server's file-system mode implements, by the name Decap sends."""


def _errors(config: Path) -> list[Problem]:
    try:
        project = load_project(config)
    except ProjectNotLoaded as exc:
        return list(exc.problems.errors)
    return list(project.problems.errors)


def _key(problem: Problem) -> tuple[str, str, str, str | None]:
    """A problem without its line: an edit above it moves it, but it is the same problem."""
    return problem.file, problem.field, problem.message, problem.got


def _lines(problems: Problems | list[Problem]) -> str:
    items = problems.items if isinstance(problems, Problems) else problems
    return "\n".join(p.format() for p in items)
