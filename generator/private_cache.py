"""A small store of derived text between builds, in a temporary folder private to the user.

Some per-page work (the young edition's text extraction) gives the same answer for the same input
every build. Its results are kept as JSON (never code, never pickles) in
`<tmp>/panelsite-cache-<uid>/`, a folder that only the user may read or write (checked on each
use, as Jinja does for its bytecode cache); each entry is named by a hash of its input and of the
code that made it, so a changed input or a changed panelsite never reads a stale entry. Without
such a folder nothing is kept and the work is done each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


def private_folder() -> Path | None:
    """The user's private cache folder, made if missing; None when it is not safely the user's own."""
    if not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"panelsite-cache-{os.getuid()}"
    try:
        folder.mkdir(mode=stat.S_IRWXU, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode) or stat.S_IMODE(info.st_mode) != stat.S_IRWXU:
        return None
    return folder


class JsonStore:
    """Values by input text, for one kind of work whose code is named by `fingerprint`."""

    def __init__(self, kind: str, fingerprint: str) -> None:
        self.kind, self.fingerprint = kind, fingerprint
        self.folder = private_folder()

    def _path(self, text: str) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(f"{self.kind}\0{self.fingerprint}\0{text}".encode()).hexdigest()[:40]
        return self.folder / f"{self.kind}-{digest}.json"

    def get(self, text: str) -> Any:
        """The value kept for `text`, or None."""
        path = self._path(text)
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, text: str, value: Any) -> None:
        path = self._path(text)
        if path is None:
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(value, allow_nan=False), encoding="utf-8")  # JSON's own values only
            tmp.replace(path)
        except (OSError, TypeError, ValueError):  # a value JSON cannot hold is simply not kept
            tmp.unlink(missing_ok=True)
