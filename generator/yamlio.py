"""Read YAML keeping the file, line and column of every value, within limits, running no code.

PyYAML's `SafeLoader` turns `2024-06-31` into a date and crashes with no location, and it
silently keeps the last of two duplicate keys. This loader keeps dates as strings (pydantic
parses them, with a location), rejects duplicate keys and records where each value sits.

Every file is untrusted, so before any value is built the loader refuses, with a located error:

- a file bigger than `Limits.file_size` (checked before it is read);
- nesting deeper than `Limits.depth` (so 10,000 `[` end in an error, not a `RecursionError`);
- aliases that would expand to more than `Limits.alias_values` extra values ("billion laughs"),
  and an alias inside the value it names (a loop);
- a text value longer than `Limits.text_length`;
- any explicit tag other than the plain YAML types (`!!python/...` and friends), in the site
  config too (MkDocs' `!ENV` and `!relative` included; see SECURITY.md).

Parsing uses libyaml's C parser where present (a 5 MB value scans in milliseconds) with a Python
composer that applies the limits; without libyaml it falls back to the pure-Python parser.
"""

from __future__ import annotations

import copy
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import Problem, Problems
from .private_cache import JsonStore

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """How big a file may be; set under `limits:` in the panelsite section of site_config.yml."""

    file_size: int = 1_000_000
    """Largest file in bytes (1 MB)."""
    text_length: int = 20_000
    """Longest single text value, in characters."""
    depth: int = 40
    """Deepest nesting of lists and mappings."""
    alias_values: int = 10_000
    """Most values that YAML aliases (`*name`) may add by repeating an anchored value."""


DEFAULT_LIMITS = Limits()
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}


class LimitError(yaml.MarkedYAMLError):
    """A file breaks a limit; raised while composing, before any value is constructed."""

    problem: str  # always given: which limit, in words

    def __init__(self, mark: Any, message: str, field: str = ""):
        super().__init__(problem=message, problem_mark=mark)
        self.field = field


def _tag_text(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _LimitedComposer(Composer):
    """The YAML composer, counting depth and alias expansion and refusing unknown tags."""

    limits: Limits = DEFAULT_LIMITS
    extra_tags: frozenset[str] = frozenset()

    if TYPE_CHECKING:
        # Supplied by the parser this composer is mixed with (PyYAML's Parser or libyaml's CParser).
        def peek_event(self) -> yaml.Event | None: ...

    def __init__(self) -> None:
        Composer.__init__(self)
        self._depth = 0
        self._extra = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        assert event is not None  # PyYAML's composer asks for a node only when the parser has an event waiting
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor)
            if node is not None:
                size = self._sizes.get(id(node))
                if size is None:
                    raise LimitError(event.start_mark, f"the alias *{event.anchor} is inside the value it names")
                self._extra += size
                if self._extra > self.limits.alias_values:
                    raise LimitError(
                        event.start_mark,
                        f"aliases repeat more than {self.limits.alias_values:,} "
                        "values; write the values out instead of repeating anchors",
                    )
            return Composer.compose_node(self, parent, index)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _PLAIN_TAGS and tag not in self.extra_tags:
            message = f"the YAML tag {_tag_text(tag)} is not allowed; write plain values"
            if tag == "!ENV":  # site_config.yml of 0.1 read the edition from the environment this way
                message += " (removed in 0.2: write the value itself, or run `panelsite upgrade`)"
            raise LimitError(event.start_mark, message)
        is_collection = isinstance(event, yaml.CollectionStartEvent)
        if is_collection:
            self._depth += 1
            if self._depth > self.limits.depth:
                raise LimitError(event.start_mark, f"nested more than {self.limits.depth} levels deep")
        node = Composer.compose_node(self, parent, index)
        if is_collection:
            self._depth -= 1
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            else:
                assert isinstance(node, yaml.MappingNode)  # a collection's start event composes one or the other
                children = [part for pair in node.value for part in pair]
            self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in children)
        else:
            self._sizes[id(node)] = 1
        return node


try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    _HAVE_LIBYAML = False
else:
    _HAVE_LIBYAML = True


class _Loader(Reader, Scanner, Parser, _LimitedComposer, SafeConstructor, Resolver):
    """Safe constructors, no implicit timestamps, the limited composer, PyYAML's pure-Python parser."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _LimitedComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


if _HAVE_LIBYAML:

    class _LibyamlLoader(_LimitedComposer, CParser, SafeConstructor, Resolver):
        """The same with libyaml's C parser, about five times faster; its events go through the same
        limited composer, so every value keeps its line and column and every limit holds."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _LimitedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _CLoader: type[_LibyamlLoader] | None = _LibyamlLoader
else:  # pragma: no cover
    _CLoader = None

_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_constructors = dict(SafeConstructor.yaml_constructors)
if _CLoader is not None:
    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader.yaml_constructors = _Loader.yaml_constructors

DatesAsTextLoader = _Loader
"""The pure-Python loader, for a reader that adds constructors of its own (the settings' loader)."""


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data and the (line, column) of every value, both 1-based."""

    path: Path
    display: str
    data: Any
    locations: dict[Loc, tuple[int, int]]

    def where(self, loc: Loc) -> tuple[int, int]:
        """The position of the value at `loc`, or of its nearest recorded parent."""
        loc = tuple(loc)
        while loc and loc not in self.locations:
            loc = loc[:-1]
        return self.locations.get(loc, (1, 1))

    def key_where(self, loc: Loc) -> tuple[int, int]:
        """The position of the key that names `loc` (for unknown fields)."""
        return self.locations.get(("__key__", *loc), self.where(loc))


def _problem(display: str, mark: Any, message: str, field: str = "", line_offset: int = 0) -> Problem:
    line = mark.line + 1 + line_offset if mark else 1
    column = mark.column + 1 if mark else 1
    return Problem(display, line, column, field, message)


@dataclass
class _Builder:
    """Builds plain values from the composed nodes, recording locations and problems."""

    loader: Any
    display: str
    limits: Limits
    line_offset: int
    locations: dict[Loc, tuple[int, int]]
    problems: list[Problem]

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.locations[loc] = (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if isinstance(node.value, str) and len(node.value) > self.limits.text_length:
            self.problems.append(
                _problem(
                    self.display,
                    node.start_mark,
                    f"text is {len(node.value):,} characters long; the limit is "
                    f"{self.limits.text_length:,} (limits.text_length in site_config.yml)",
                    dotted(loc),
                    self.line_offset,
                )
            )
            return None
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)) or key is None:
                self.problems.append(
                    _problem(
                        self.display, key_node.start_mark, "keys must be plain words", dotted(loc), self.line_offset
                    )
                )
                continue
            key = str(key)
            key_loc = ("__key__", *loc, key)
            if key in result:
                first = self.locations[key_loc]
                self.problems.append(
                    _problem(
                        self.display,
                        key_node.start_mark,
                        f"duplicate key (first given on line {first[0]})",
                        dotted((*loc, key)),
                        self.line_offset,
                    )
                )
                continue
            self.locations[key_loc] = (key_node.start_mark.line + 1 + self.line_offset, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*loc, key))
        return result


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted


def parse(
    text: str,
    display: str,
    loader_class: type | None = None,
    limits: Limits = DEFAULT_LIMITS,
    path: Path | None = None,
    line_offset: int = 0,
) -> tuple[Document | None, Problems]:
    """Parse YAML text (a file, or a page's front matter starting `line_offset` lines in)."""
    problems = Problems()
    if not text.strip():
        problems.add(Problem(display, 1 + line_offset, 1, "", "file is empty"))
        return None, problems
    found: list[Problem] = []
    locations: dict[Loc, tuple[int, int]] = {}
    loader = None
    try:
        node, loader = _compose(text, loader_class, limits)
        builder = _Builder(loader, display, limits, line_offset, locations, found)
        data = builder.build(node, ()) if node else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if isinstance(exc, LimitError):
            problems.add(_problem(display, mark, exc.problem, exc.field, line_offset))
            return None, problems
        message = (exc.problem or exc.context or "invalid YAML").strip()
        if "nesting depth" in message:
            problems.add(_problem(display, mark, f"nested more than {limits.depth} levels deep", "", line_offset))
            return None, problems
        if _is_tab(text, mark) or "\\t" in message:
            message = "tabs are not allowed in YAML; indent with spaces"
        problems.add(_problem(display, mark, f"YAML syntax error: {message}", "", line_offset))
        return None, problems
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        problems.add(Problem(display, 1 + line_offset, 1, "", "YAML error: the file cannot be read as YAML"))
        return None, problems
    finally:
        if loader is not None:
            loader.dispose()
    problems.extend(found)
    if any("limit is" in p.message for p in found):
        return None, problems
    if data is None:
        problems.add(Problem(display, 1 + line_offset, 1, "", "file holds no data"))
        return None, problems
    return Document(path or Path(display), display, data, locations), problems


def _compose(text: str, loader_class: type | None, limits: Limits) -> tuple[Any, Any]:
    """The root node and the loader that made it. Without a `loader_class`, libyaml parses first,
    where present; on a syntax error the pure-Python parser parses again, so the message and its
    place are PyYAML's, word for word. Limits are enforced either way."""
    if loader_class is None and _CLoader is not None:
        fast = type("_LimitedC", (_CLoader,), {"limits": limits})(text)
        try:
            return fast.get_single_node(), fast
        except LimitError:
            fast.dispose()
            raise
        except yaml.YAMLError as exc:
            fast.dispose()
            mark = getattr(exc, "problem_mark", None)
            if "nesting depth" in str(getattr(exc, "problem", "")) and mark is not None:
                # libyaml stops at 1,000 levels; the pure-Python parser finds level 41 in the text before.
                text = text[: mark.index + 1]
    slow = type("_Limited", (loader_class or _Loader,), {"limits": limits})(text)
    try:
        return slow.get_single_node(), slow
    except BaseException:
        slow.dispose()
        raise


def _is_tab(text: str, mark: Any) -> bool:
    """True when the syntax error sits on a tab (libyaml's message does not say so)."""
    if mark is None:
        return False
    lines = text.split("\n")
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: mark.column + 1] or (line[:1] == "\t")


def load(
    path: Path,
    display: str,
    loader_class: type | None = None,
    limits: Limits = DEFAULT_LIMITS,
    root: Path | None = None,
) -> tuple[Document | None, Problems]:
    """Parse one YAML file. Returns the document (None if unreadable) and any problems.

    With `root`, a file that is (or links to) something outside `root` is refused unread.
    """
    problems = Problems()
    refusal = refuse_file(path, display, limits, root)
    if refusal:
        problems.add(refusal)
        return None, problems
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(Problem(display, line, 1, "", "file is not valid UTF-8 text; save it as UTF-8"))
        return None, problems
    except OSError as exc:
        problems.add(Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}"))
        return None, problems
    if loader_class is not None:
        return _parsed_once(text, display, loader_class, limits, path)
    key = f"{display}\0{limits}\0{text}"
    kept = _PARSED.get(key, _decoded)
    if kept is not None:
        return Document(path, display, *kept), problems
    doc, problems = parse(text, display, loader_class, limits, path)
    if doc is not None and not problems.items:
        _PARSED.put(key, _encoded(doc))
    return doc, problems


_COMPOSED: dict[tuple[str, str, type, str, Path], tuple[Document | None, Problems]] = {}
"""Files parsed with a loader of their own in this process, by text (site_config.yml: several steps of
one build read it, and composing it cost about 9 ms each time, ten times a build)."""


def _parsed_once(
    text: str, display: str, loader_class: type, limits: Limits, path: Path
) -> tuple[Document | None, Problems]:
    """`parse`, once in this process for the same text, name and loader; each caller gets its own copy."""
    key = (text, display, loader_class, str(limits), path)
    if key not in _COMPOSED:
        if len(_COMPOSED) >= 8:  # a long `serve` session sees many versions of a file: keep the last few
            _COMPOSED.clear()
        _COMPOSED[key] = parse(text, display, loader_class, limits, path)
    doc, problems = _COMPOSED[key]
    return copy.deepcopy(doc), Problems(list(problems.items))


_PARSED = JsonStore("yaml", hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16])
"""Files parsed without a problem, by display name, limits and text, kept between builds as JSON
(never code): composing YAML with marks is most of the time a build spends loading data."""


def _encoded(doc: Document) -> dict[str, Any]:
    return {"data": doc.data, "locations": [[list(loc), *where] for loc, where in doc.locations.items()]}


def _decoded(kept: Any) -> tuple[Any, dict[Loc, tuple[int, int]]] | None:
    """Data and locations as parsing gave them, or None when the kept entry is not of that shape:
    data is JSON's own values (keys always text) and not null; each location is a path of text and
    whole numbers with a line and a column, both whole numbers of at least 1, and the root is there."""
    if not isinstance(kept, dict) or set(kept) != {"data", "locations"} or kept["data"] is None:
        return None
    rows = kept["locations"]
    if not isinstance(rows, list):
        return None
    locations: dict[Loc, tuple[int, int]] = {}
    for row in rows:  # JSON gives only exact types: `type(x) is int` is a whole number, not a bool
        if not (type(row) is list and len(row) == 3 and type(row[0]) is list):
            return None
        loc, line, column = row
        if not (type(line) is int and type(column) is int and line >= 1 and column >= 1):
            return None
        if not all(type(part) is str or type(part) is int for part in loc):
            return None
        locations[tuple(loc)] = (line, column)
    if () not in locations:
        return None
    return kept["data"], locations


def refuse_file(path: Path, display: str, limits: Limits = DEFAULT_LIMITS, root: Path | None = None) -> Problem | None:
    """Why a file may not be read (outside the project, not a file, too big), or None if it may."""
    if root is not None and not is_inside(path, root):
        return Problem(
            display, 1, 1, "", "is a link to a file outside the project; copy the file into the project instead"
        )
    try:
        if path.is_dir():
            return Problem(display, 1, 1, "", "is a folder, not a file; rename or remove it")
        size = path.stat().st_size
    except OSError as exc:
        return Problem(display, 1, 1, "", f"cannot read file: {exc.strerror or 'broken link'}")
    if not path.is_file():
        return Problem(display, 1, 1, "", "is not a regular file; remove it")
    if size > limits.file_size:
        return Problem(
            display,
            1,
            1,
            "",
            f"file is {size:,} bytes; the limit is {limits.file_size:,} (limits.file_size in site_config.yml)",
        )
    return None


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, stays inside `root`."""
    try:
        real = Path(os.path.realpath(path))
        return real == Path(os.path.realpath(root)) or Path(os.path.realpath(root)) in real.parents
    except (OSError, RuntimeError):
        return False
