"""The one cache: work kept between builds, private to the user, every entry sealed, listed and checked.

Some work gives the same answer for the same input every build (parsing a data file, the young
edition's text extraction, compiling a template, drawing a chart, converting a page). Its results are
kept under one set of rules, never trusted:

- **Folders** (`safe_cache_dir`) are made per user with mode 0700, one path component at a time,
  never through a link: a link planted where a folder should be is replaced when it is the user's
  own and refused otherwise; a folder owned by someone else, or one that others may write, is
  refused. A refused folder means no cache (the work is done each time), never an error.
- **Entries** (`write_checked` / `read_checked`) carry a header with the hash of what they were
  made from and a seal: an HMAC of that hash and the entry's bytes under the user's key (`user_key`,
  32 random bytes in the user's private folder, mode 0600, never inside a project, so no copy of
  someone else's project or cache can carry entries this user will read). A reader gives the hash
  it expects and a validator of the entry's shape. An entry that is of the wrong shape, made from
  something else, sealed under another key, cut short, not a regular file of the user's own, or a
  link, is deleted and the work done again.
- **One manifest per cache folder** (`CheckedStore`): an entry is read only when the folder's
  `manifest.json` lists it, by kind of work, as made from the inputs now asked for. A `PackedStore`
  keeps a run's entries together in one entry (a pack) listed in the same manifest, for work that
  makes hundreds of small entries a build (each page's HTML and search entries).

There are two cache folders, each with its one manifest: the project's `cache_dir` (charts, pages,
search entries: what belongs to one site) and the user's private folder,
`<tmp>/panelsite-cache-<uid>/` (parsed data files, the young edition's text, compiled templates,
published pictures: what any project can share). Entries hold JSON or other data, never pickles.

API::

    store = CheckedStore(root, "charts", fingerprint)  # root: a folder made by safe_cache_dir, or None
    made_from = store.made_from(*inputs)
    value = store.get(name, made_from, validate)       # validate(bytes) -> T | None
    store.put(name, made_from, payload)
    store.save()                                       # list this run's entries in the manifest
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_MAGIC = b"panelsite-cache 2 "
"""Format 2 entries are sealed with the user's key; format 1 entries (a plain hash) are made again."""
_MAX_ENTRY = 64 * 1024 * 1024
"""An entry bigger than this (64 MB) is not read."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _private_dir(path: Path) -> bool:
    """Make `path` a folder only this user may use, or say it cannot be; no link is followed."""
    uid = os.getuid()
    for _attempt in range(2):
        try:
            os.mkdir(path, stat.S_IRWXU)
        except FileExistsError:
            pass
        except OSError:
            return False
        try:
            info = os.lstat(path)
        except OSError:
            return False
        if stat.S_ISLNK(info.st_mode):
            if info.st_uid != uid:
                return False  # another user's link: refused (in a sticky /tmp it cannot be removed)
            try:
                os.unlink(path)  # the user's own stale link: replaced by a real folder
            except OSError:
                return False
            continue
        return stat.S_ISDIR(info.st_mode) and info.st_uid == uid and stat.S_IMODE(info.st_mode) == stat.S_IRWXU
    return False


def safe_cache_dir(name: str = "", base: Path | None = None) -> Path | None:
    """A cache folder private to the user: `<tmp>/panelsite-cache-<uid>/<name>`, or `base/<name>`.

    Every component below the base (and the per-user root itself) is made with mode 0700 and
    checked with `lstat`: a planted link is never followed. Returns None when the folder cannot be
    had safely; callers then keep nothing. `name` may hold several components (`a/b`), none `..`;
    `base` must exist (a project's cache: `safe_cache_dir(".cache/panelsite/charts", base=root)`).
    """
    if not hasattr(os, "getuid"):
        return None
    parts = [part for part in Path(name).parts if part not in ("", ".")]
    if any(part == ".." or os.sep in part for part in parts) or Path(name).is_absolute():
        raise ValueError(f"a cache folder name stays inside its base: {name!r}")
    if base is None:
        folder = _private_root()
        if not _private_dir(folder):
            return None
    else:
        folder = base
    for part in parts:
        folder = folder / part
        if not _private_dir(folder):
            return None
    return folder


def _private_root() -> Path:
    """Where the user's private folder is (not checked: `private_folder` makes and checks it)."""
    return Path(tempfile.gettempdir()) / f"panelsite-cache-{os.getuid()}"


def private_folder() -> Path | None:
    """The user's private cache folder, made if missing; None when it is not safely the user's own."""
    return safe_cache_dir()


def entry_hash(*parts: str | bytes) -> str:
    """A SHA-256 hex digest of `parts`, each one length-prefixed so that no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


KEY_FILE = "seal-key"
_KEYS: dict[Path, bytes] = {}
"""Each private folder's key once read (a process reads its key once, not once per entry)."""


def user_key() -> bytes | None:
    """The user's sealing key: 32 random bytes in `<private folder>/seal-key`, made when missing.

    The file must be a regular file of the user's own with mode 0600, not a link; anything else there
    is replaced by a new key (so every entry sealed under the old one is made again). None when the
    private folder cannot be had safely: then nothing is kept or read.
    """
    known = _KEYS.get(_private_root() / KEY_FILE) if hasattr(os, "getuid") else None
    if known is not None:  # read by this process already, from a folder checked then
        return known
    folder = private_folder()
    if folder is None:
        return None
    path = folder / KEY_FILE
    secret = _read_key(path)
    if secret is None:
        secret = secrets.token_bytes(32)
        tmp = folder / f".{KEY_FILE}.{os.getpid()}.tmp"
        try:
            tmp.unlink(missing_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, stat.S_IRUSR | stat.S_IWUSR)
            with os.fdopen(fd, "wb") as out:
                out.write(secret)
            os.replace(tmp, path)  # replaces a planted link or someone's file, never writes through it
        except OSError:
            tmp.unlink(missing_ok=True)
            return None
        secret = _read_key(path) or secret  # a build beside this one may have written its key first
    _KEYS[path] = secret
    return secret


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) != 0o600:
            return None
        data = source.read(33)
    return data if len(data) == 32 else None


def seal(key: bytes, made_from: str, payload: bytes) -> str:
    """The seal of an entry: an HMAC-SHA256, under the user's key, of what it was made from and its bytes."""
    sealing = hmac.new(key, made_from.encode("ascii") + b"\0", hashlib.sha256)
    sealing.update(payload)  # not joined to the hash first: a pack's payload is megabytes
    return sealing.hexdigest()


def write_checked(path: Path, made_from: str, payload: bytes) -> bool:
    """Keep `payload` at `path` with a header naming what it was made from and its seal.

    Written to a new file (never through a link) and moved into place, so a reader sees a whole
    entry or none. Returns False when it could not be kept (which is never an error).
    """
    if not made_from or any(c in made_from for c in " \n") or not made_from.isascii():
        raise ValueError("made_from is a hash: no spaces or newlines")
    key = user_key()
    if key is None:
        return False
    header = _MAGIC + f"{made_from} {seal(key, made_from, payload)}\n".encode()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header)
            out.write(payload)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


_UNSOUND = (ValueError, TypeError, KeyError, IndexError, AttributeError, EOFError, RecursionError)
"""What a validator may raise about bytes that are not the entry it expects."""


def read_checked(path: Path, expected_hash: str, validate: Callable[[bytes], T | None]) -> T | None:
    """The entry at `path` as `validate` makes it, or None (the entry deleted) when it is not sound.

    Sound means: a regular file owned by the user (not a link), at most 64 MB, with this module's
    header, made from `expected_hash`, sealed under this user's key, and which `validate` accepts
    (returns a value, not None, and raises no ValueError, TypeError, KeyError, IndexError,
    AttributeError or EOFError).
    """
    key = user_key()
    if key is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None  # missing (the usual case), or a link
    try:
        with os.fdopen(fd, "rb") as source:
            info = os.fstat(source.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > _MAX_ENTRY:
                raise ValueError("not a cache entry of the user's own")
            raw = source.read()
        value = _checked(raw, expected_hash, key, validate)
    except (OSError, *_UNSOUND):
        value = None
    if value is None:
        discard(path)
    return value


def _checked(raw: bytes, expected_hash: str, key: bytes, validate: Callable[[bytes], T | None]) -> T | None:
    header, newline, payload = raw.partition(b"\n")
    if not newline or not header.startswith(_MAGIC):
        return None
    made_from, _, sealed = header[len(_MAGIC) :].decode("ascii").partition(" ")
    if made_from != expected_hash or not hmac.compare_digest(sealed, seal(key, made_from, payload)):
        return None
    return validate(payload)


def discard(path: Path) -> None:
    """Remove a cache entry (an unsound one), if it is there."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def json_value(payload: bytes) -> Any:
    """JSON's own values from an entry's bytes (no NaN or infinity)."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not kept")

    return json.loads(payload.decode("utf-8"), parse_constant=refuse)


# --- One manifest for a cache folder, and the store every cache can share ----------------------------
# A cache folder (the project's `cache_dir`, or the per-user folder) has one manifest, `manifest.json`:
# for each kind of work (`pages/standard`, ...), the name of each entry and the hash of what it was
# made from. A `CheckedStore` reads an entry only when the manifest lists it, made from the inputs now
# asked for, and then only through `read_checked` (its header and its bytes checked again); a build
# that finishes (`save`) lists the entries it used or made and deletes the rest of its kind. The
# manifest is itself an entry (`write_checked`), rewritten under a lock; a manifest that is missing,
# unsound or of another format is an empty one.

MANIFEST = "manifest.json"
_MANIFEST_MADE_FROM = entry_hash("panelsite-cache-manifest", "1")
_ENTRY_NAME = re.compile(r"^[0-9a-f]{16,64}$")


def _manifest_value(payload: bytes) -> dict[str, dict[str, str]] | None:
    value = json_value(payload)
    if not isinstance(value, dict):
        return None
    for kind, entries in value.items():
        if not isinstance(kind, str) or not isinstance(entries, dict):
            return None
        for name, made_from in entries.items():
            if not (isinstance(name, str) and _ENTRY_NAME.match(name) and isinstance(made_from, str)):
                return None
    return value


def read_manifest(root: Path) -> dict[str, dict[str, str]]:
    """The manifest of the cache folder `root` (kind -> entry name -> made from); empty when unsound."""
    return read_checked(root / MANIFEST, _MANIFEST_MADE_FROM, _manifest_value) or {}


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """The manifest's lock (a file of the user's own beside it), held while it is read and rewritten."""
    try:
        fd = os.open(root / ".manifest.lock", os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _check_name(name: str) -> None:
    """Refuse an entry name that is not a hex digest (so no name leads out of its folder)."""
    if not _ENTRY_NAME.match(name):
        raise ValueError(f"a cache entry's name is a hex digest: {name!r}")


Listing = dict[str, dict[str, str]]
"""A manifest, or some of its kinds: kind of work -> entry name -> the hash it was made from."""


def _relist(root: Path, listing: Callable[[Listing], Listing]) -> Listing:
    """Set the kinds `listing` gives (from the manifest as it is) in `root`'s manifest, under its lock,
    and return them; the manifest is not written again when it already lists exactly these."""
    with _locked(root):
        manifest = read_manifest(root)
        kinds = {kind: dict(sorted(entries.items())) for kind, entries in listing(manifest).items()}
        if any(manifest.get(kind) != entries for kind, entries in kinds.items()):
            manifest.update(kinds)
            payload = json.dumps(manifest, sort_keys=True).encode("utf-8")
            write_checked(root / MANIFEST, _MANIFEST_MADE_FROM, payload)
    return kinds


class CheckedStore:
    """Entries of one kind of work (`kind`, a folder under `root`), listed in `root`'s one manifest.

    `root` is a cache folder already made safe (`safe_cache_dir`), or None: then nothing is kept.
    `fingerprint` names the code that makes the entries (a new version makes new entries)::

        store = CheckedStore(root, "pages/standard", fingerprint)
        made_from = store.made_from(*inputs)          # a hash of the inputs and the fingerprint
        value = store.get(name, made_from, validate)  # validate(bytes) -> T | None
        store.put(name, made_from, payload)
        store.save()                                  # the manifest lists what this run used or made
    """

    def __init__(self, root: Path | None, kind: str, fingerprint: str) -> None:
        self.root, self.kind, self.fingerprint = root, kind, fingerprint
        self.folder = safe_cache_dir(kind, base=root) if root is not None else None
        manifest = read_manifest(root) if self.folder and root else {}
        self.listed: dict[str, str] = manifest.get(kind, {})
        self.now: dict[str, str] = {}
        self.hits = self.misses = self.rejected = 0
        self._read_listing(manifest)

    def _read_listing(self, manifest: dict[str, dict[str, str]]) -> None:
        """What else a store of this class keeps of the manifest it started from (nothing here)."""

    def made_from(self, *inputs: str | bytes) -> str:
        return entry_hash(self.kind, self.fingerprint, *inputs)

    def get(self, name: str, made_from: str, validate: Callable[[bytes], T | None]) -> T | None:
        """The entry `name` as `validate` makes it, when the manifest lists it as made from `made_from`
        and it passes `read_checked`; else None (an unsound entry is deleted)."""
        listed = self.now.get(name) or self.listed.get(name)
        if self.folder is None or not _ENTRY_NAME.match(name) or listed != made_from:
            self.misses += 1
            return None
        value = self._read(self.folder, name, made_from, validate)
        if value is None:
            self.rejected += 1
            self.misses += 1
            return None
        self.hits += 1
        self.now[name] = made_from
        return value

    def _read(self, folder: Path, name: str, made_from: str, validate: Callable[[bytes], T | None]) -> T | None:
        """The entry `name` (listed as made from `made_from`) read and checked; None when it is unsound."""
        return read_checked(folder / name, made_from, validate)

    def put(self, name: str, made_from: str, payload: bytes) -> None:
        _check_name(name)
        if self.folder is not None and write_checked(self.folder / name, made_from, payload):
            self.now[name] = made_from

    def save(self, prune: bool = True) -> None:
        """List this run's entries in the manifest (under its lock) and delete the others of this kind.

        With `prune` False (a run that did not ask for every entry it needs, such as a partial rebuild),
        the entries listed before are kept beside this run's."""
        if self.folder is None or self.root is None:
            return

        def listing(manifest: Listing) -> Listing:
            # Without pruning, what others listed meanwhile (another build, or another process) stays.
            return {self.kind: self.now if prune else {**manifest.get(self.kind, {}), **self.listed, **self.now}}

        kept = _relist(self.root, listing)[self.kind]
        if prune:  # without pruning nothing is deleted: another process may be writing entries it lists later
            self._discard_all_but(kept)
        self.listed = dict(kept)
        self.now = {}

    def _discard_all_but(self, kept: Container[str]) -> None:
        """Delete every entry file in this store's folder whose name `kept` does not hold."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name not in kept and _ENTRY_NAME.match(entry.name):
                    discard(Path(entry.path))


class LastingStore(CheckedStore):
    """A `CheckedStore` in the user's private folder for work no build ends (parsing, text, templates,
    pictures): its new entries are listed in the manifest every `batch` entries and when the process
    exits, never pruned (an entry one project no longer needs may be another's)."""

    def __init__(self, kind: str, fingerprint: str, batch: int = 64) -> None:
        super().__init__(private_folder(), kind, fingerprint)
        self.batch = batch
        atexit.register(self.flush)

    def put(self, name: str, made_from: str, payload: bytes) -> None:
        super().put(name, made_from, payload)
        if len(self.now) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """List the entries made since the last flush (nothing is rewritten when they were all listed)."""
        if any(self.listed.get(name) != made_from for name, made_from in self.now.items()):
            self.save(prune=False)
        self.now = {}


_PACK = b"panelsite-pack 1\n"
PACK_SIZE = 16 * 1024 * 1024
"""A pack holds entries of about this many bytes (16 MB) at most, well under what an entry may be."""


def _pack_bytes(entries: dict[str, tuple[str, bytes]]) -> bytes:
    """Entries (name -> (made from, payload)) as one pack: a line listing each entry's name, what it was
    made from and its length, then their payloads one after another, in that order."""
    names = sorted(entries)
    index = json.dumps([[name, entries[name][0], len(entries[name][1])] for name in names]).encode("ascii")
    return b"".join([_PACK, index, b"\n", *(entries[name][1] for name in names)])


def _pack_value(payload: bytes) -> dict[str, tuple[str, bytes]] | None:
    """A pack's entries, checked for shape: each name a hex digest listed once, the lengths adding up."""
    if not payload.startswith(_PACK):
        return None
    index_line, newline, body = payload[len(_PACK) :].partition(b"\n")
    index = json_value(index_line)
    if not newline or not isinstance(index, list):
        return None
    entries: dict[str, tuple[str, bytes]] = {}
    offset = 0
    for item in index:
        name, made_from, length = item  # a ValueError or TypeError when it is not three things
        if not (isinstance(name, str) and _ENTRY_NAME.match(name) and name not in entries):
            return None
        if not isinstance(made_from, str) or type(length) is not int or length < 0:
            return None
        entries[name] = (made_from, body[offset : offset + length])
        offset += length
    return entries if offset == len(body) else None


class PackedStore(CheckedStore):
    """A `CheckedStore` whose entries are kept together in a few files (packs) instead of one file each.

    Creating a file costs more than writing its bytes: a cold build of ten years kept 1,120 page and
    search entries, one file each. Here `put` holds a new entry until `save`, which writes what it
    holds as one pack (one for every `PACK_SIZE` bytes): itself an entry (`write_checked`: sealed,
    written whole or not at all), named by a hash of the names and hashes of the entries it holds,
    and listed in the same manifest under `packs:<kind>` beside the entries themselves. An entry is
    read only when the manifest lists it as made from the inputs now asked for (as in every store)
    and a pack the manifest lists holds it, made from those inputs; the pack is read through
    `read_checked` (an unsound one is deleted, and every entry in it made again). A complete run
    (`save()`) leaves packs holding exactly the entries it used or made; a partial one
    (`save(prune=False)`) adds packs of what it made.
    """

    def _read_listing(self, manifest: dict[str, dict[str, str]]) -> None:
        self.packs: dict[str, str] = manifest.get(self.packs_kind, {})
        self.pending: dict[str, tuple[str, bytes]] = {}  # made by this run, not yet written
        self.held: dict[str, tuple[str, bytes]] = {}  # the entries of the packs read by this run
        self.read: dict[str, set[str]] = {}  # the packs read by this run: the names each holds (none if unsound)

    @property
    def packs_kind(self) -> str:
        """The manifest's list of this store's packs."""
        return f"packs:{self.kind}"

    def _read(self, folder: Path, name: str, made_from: str, validate: Callable[[bytes], T | None]) -> T | None:
        """The entry `name` from this run's or a sound listed pack holding it, made from `made_from`."""
        found = self.pending.get(name) or self._held(name)
        value: T | None = None
        if found is not None and found[0] == made_from:
            try:
                value = validate(found[1])
            except _UNSOUND:
                value = None
        if value is None:
            self.held.pop(name, None)
        return value

    def _held(self, name: str) -> tuple[str, bytes] | None:
        """The entry `name` in the packs listed, read once each (and only when an entry is asked for)."""
        if name not in self.held and self.folder is not None:
            for pack, made_from in self.packs.items():
                if pack not in self.read:
                    entries = read_checked(self.folder / pack, made_from, _pack_value) or {}
                    self.read[pack] = set(entries)
                    self.held.update(entries)
        return self.held.get(name)

    def put(self, name: str, made_from: str, payload: bytes) -> None:
        """Hold an entry until `save` writes it, in one pack with the others this run made."""
        _check_name(name)
        if self.folder is not None:
            self.pending[name] = (made_from, payload)
            self.now[name] = made_from

    def _write_pack(self, entries: dict[str, tuple[str, bytes]]) -> dict[str, str]:
        """{name: made from} of the packs written with `entries` (a new pack every `PACK_SIZE` bytes);
        empty when there are none or one could not be written."""
        if not entries or self.folder is None:
            return {}
        written: dict[str, str] = {}
        group: dict[str, tuple[str, bytes]] = {}
        size = 0
        names = sorted(entries)
        for index, name in enumerate(names):
            group[name] = entries[name]
            size += len(entries[name][1])
            if size < PACK_SIZE and index + 1 < len(names):
                continue
            made_from = self.made_from("pack", *(f"{name} {group[name][0]}" for name in sorted(group)))
            if not write_checked(self.folder / made_from[:40], made_from, _pack_bytes(group)):
                return {}
            written[made_from[:40]] = made_from
            group, size = {}, 0
        return written

    def save(self, prune: bool = True) -> None:
        """Write what this run made as a pack and list it, with its entries, in the manifest (under its lock).

        A complete run (`prune`) leaves packs holding just the entries it used or made, and deletes the
        other packs; a partial one adds its pack beside those listed, and deletes nothing."""
        if self.folder is None or self.root is None:
            return
        if prune:
            used = {name: self.pending.get(name) or self.held.get(name) for name in self.now}
            entries = {name: found for name, found in used.items() if found and found[0] == self.now[name]}
            # The packs listed may already hold exactly these entries: then nothing is written.
            written = dict(self.packs) if self._hold_only(entries) else self._write_pack(entries)
            kept = {name: found[0] for name, found in entries.items()} if written else {}
        else:
            written = self._write_pack(self.pending)
            made = {name: self.now[name] for name in self.pending} if written else {}
            old = {name: made_from for name, made_from in self.now.items() if name not in self.pending}

        def listing(manifest: Listing) -> Listing:
            if prune:
                return {self.kind: kept, self.packs_kind: written}
            # What others listed meanwhile (another build, or another process) stays.
            return {
                self.kind: {**manifest.get(self.kind, {}), **self.listed, **old, **made},
                self.packs_kind: {**manifest.get(self.packs_kind, {}), **self.packs, **written},
            }

        listed = _relist(self.root, listing)
        kept, packs = listed[self.kind], listed[self.packs_kind]
        if prune:  # the entries of the packs let go are in the new one, or no longer needed
            self._discard_all_but(packs)
        self.listed, self.packs = dict(kept), packs
        # What was read or made is let go: a build's pages need not stay in memory while the next
        # edition builds, and a later run (a `serve` rebuild) reads the packs again when it asks.
        self.now, self.pending, self.held, self.read = {}, {}, {}, {}

    def _hold_only(self, entries: dict[str, tuple[str, bytes]]) -> bool:
        """Whether the packs listed, each read by this run, hold `entries` and nothing else, once each."""
        if not entries or any(pack not in self.read for pack in self.packs):
            return False
        held = [self.read[pack] for pack in self.packs]
        return sum(len(names) for names in held) == len(entries) and set().union(*held) == set(entries)


class JsonStore:
    """JSON values by input text, for one kind of work whose code is named by `fingerprint`, kept in the
    user's private folder (a `LastingStore`)."""

    def __init__(self, kind: str, fingerprint: str) -> None:
        self.store = LastingStore(kind, fingerprint)

    def _entry(self, text: str) -> tuple[str, str]:
        made_from = self.store.made_from(text)
        return made_from[:40], made_from

    def get(self, text: str, validate: Callable[[Any], T | None] | None = None) -> Any:
        """The value kept for `text` when it passes `validate` (given the JSON value), or None."""
        check = validate or (lambda value: value)
        return self.store.get(*self._entry(text), lambda payload: check(json_value(payload)))

    def put(self, text: str, value: Any) -> None:
        try:
            payload = json.dumps(value, allow_nan=False).encode("utf-8")  # JSON's own values only
        except (TypeError, ValueError, RecursionError):  # a value JSON cannot hold is simply not kept
            return
        self.store.put(*self._entry(text), payload)
