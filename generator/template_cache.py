"""Compiled templates kept between builds, in a private folder, each entry checked before it runs.

Compiling the templates cost about half a second a build. Jinja's own file cache reads each
entry's checksum with `pickle` (a planted entry runs code as it is read) and keeps its files in a
folder that it refuses when another user made it first. This cache keeps them in
`safe_cache_dir("templates")` (per user, mode 0700, no link followed) through `write_checked` /
`read_checked`: an entry is used only when it was made from this template's source and these
environment options (the hash in its header), its bytes are whole (their hash), and it unmarshals
to a code object. Anything else is deleted and the template compiled again.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

from .private_cache import entry_hash, read_checked, safe_cache_dir, write_checked


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates by name, source and `fingerprint` (a hash of the options that shape the code)."""

    def __init__(self, fingerprint: str, folder: Path | None = None) -> None:
        found = folder or safe_cache_dir("templates")
        if found is None:
            raise RuntimeError("no private folder for compiled templates")
        self.folder = found
        self.fingerprint = fingerprint

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name, f"{filename}|{self.fingerprint}")

    def _entry(self, bucket: Bucket) -> tuple[Path, str]:
        made_from = entry_hash(
            "jinja-bytecode", bucket.key, bucket.checksum, self.fingerprint, jinja2.__version__, sys.version
        )
        return self.folder / f"panelsite-{bucket.key}.cache", made_from

    def load_bytecode(self, bucket: Bucket) -> None:
        path, made_from = self._entry(bucket)
        bucket.code = read_checked(path, made_from, _code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        path, made_from = self._entry(bucket)
        write_checked(path, made_from, marshal.dumps(bucket.code))

    def clear(self) -> None:
        for path in self.folder.glob("panelsite-*.cache"):
            path.unlink(missing_ok=True)


def _code(payload: bytes) -> CodeType | None:
    code = marshal.loads(payload)
    return code if isinstance(code, CodeType) else None
