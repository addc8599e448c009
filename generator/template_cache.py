"""Compiled templates kept between builds, in a private folder, each entry checked before it runs.

Compiling the templates cost about half a second a build. Jinja's own file cache reads each
entry's checksum with `pickle` (a planted entry runs code as it is read) and keeps its files in a
folder that it refuses when another user made it first. This cache keeps them in
the user's private folder (per user, mode 0700, no link followed) through a `LastingStore`
(`private_cache`), listed in the folder's one manifest: an entry is used only when it was made from
this template's source and these environment options (the hash the manifest and its header give),
its seal (an HMAC under the user's key) checks, and it unmarshals to a code object. Anything else is deleted and
the template compiled again.
"""

from __future__ import annotations

import marshal
import sys
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

from .private_cache import LastingStore


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates by name, source and `fingerprint` (a hash of the options that shape the code).

    Kept in a `LastingStore` (kind `templates` in the per-user folder, listed in its one manifest):
    an entry is read only when the manifest lists it as made from this source and these options.
    """

    def __init__(self, fingerprint: str) -> None:
        # Listed at once (a batch of one): a build has no last moment to do it in, and each `serve`
        # rebuild's theme environment may look for what the one before compiled.
        store = LastingStore("templates", fingerprint, batch=1)
        if store.folder is None:
            raise RuntimeError("no private folder for compiled templates")
        self.store = store
        self.folder = store.folder
        self.fingerprint = fingerprint

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name, f"{filename}|{self.fingerprint}")

    def _entry(self, bucket: Bucket) -> tuple[str, str]:
        made_from = self.store.made_from("jinja-bytecode", bucket.key, bucket.checksum, jinja2.__version__, sys.version)
        return bucket.key, made_from  # Jinja's key is a SHA-1 in hex: the entry's name

    def load_bytecode(self, bucket: Bucket) -> None:
        name, made_from = self._entry(bucket)
        bucket.code = self.store.get(name, made_from, _code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        name, made_from = self._entry(bucket)
        self.store.put(name, made_from, marshal.dumps(bucket.code))

    def clear(self) -> None:
        self.store.now, self.store.listed = {}, {}
        self.store.save()


def _code(payload: bytes) -> CodeType | None:
    code = marshal.loads(payload)
    return code if isinstance(code, CodeType) else None
