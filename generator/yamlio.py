"""Read YAML keeping the file, line and column of every value.

PyYAML's `SafeLoader` turns `2024-06-31` into a date and crashes with no location, and it
silently keeps the last of two duplicate keys. This loader keeps dates as strings (pydantic
parses them, with a location), rejects duplicate keys and records where each value sits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, Problems

Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """A SafeLoader without the implicit timestamp resolver (the pure-Python parser)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml's C parser, when PyYAML was built with it, composes the same nodes with the same marks
# about five times faster; values are then constructed by `_construct` below either way. Errors
# are always reported by the pure-Python parser, so every message stays word for word the same.
_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The C parser with the same resolvers as `_Loader`."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _compose(text: str, loader_class: type | None) -> tuple[Any, Any]:
    """The document's root node and the loader that made it: the C parser first, where it is present."""
    if loader_class is None and _CLoader is not None:
        fast = _CLoader(text)
        try:
            return fast.get_single_node(), fast
        except yaml.YAMLError:
            fast.dispose()  # and parse again below, for the pure-Python parser's message and mark
    loader = (loader_class or _Loader)(text)
    return loader.get_single_node(), loader


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


def _problem(display: str, mark: Any, message: str, field: str = "") -> Problem:
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return Problem(display, line, column, field, message)


def _construct(node: yaml.Node, loader: yaml.SafeLoader, loc: Loc, locations: dict, problems: list[Problem],
               display: str) -> Any:
    locations[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                problems.append(_problem(display, key_node.start_mark, "keys must be plain words",
                                         _dotted(loc)))
                continue
            key = str(key)
            if key in result:
                first = locations[("__key__", *loc, key)]
                problems.append(_problem(
                    display, key_node.start_mark,
                    f"duplicate key (first given on line {first[0]})", _dotted((*loc, key))))
                continue
            locations[("__key__", *loc, key)] = (key_node.start_mark.line + 1,
                                                 key_node.start_mark.column + 1)
            result[key] = _construct(value_node, loader, (*loc, key), locations, problems, display)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, loader, (*loc, i), locations, problems, display)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted


def load(path: Path, display: str, loader_class: type[yaml.SafeLoader] | None = None
         ) -> tuple[Document | None, Problems]:
    """Parse one YAML file. Returns the document (None if unreadable) and any problems."""
    problems = Problems()
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
    if not text.strip():
        problems.add(Problem(display, 1, 1, "", "file is empty"))
        return None, problems
    loader = None
    try:
        node, loader = _compose(text, loader_class)
        found: list[Problem] = []
        locations: dict[Loc, tuple[int, int]] = {}
        data = _construct(node, loader, (), locations, found, display) if node else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = (exc.problem or exc.context or "invalid YAML").strip()
        if "\\t" in message or "tab" in message.lower():
            message = "tabs are not allowed in YAML; indent with spaces"
        problems.add(_problem(display, mark, f"YAML syntax error: {message}"))
        return None, problems
    except yaml.YAMLError as exc:
        problems.add(Problem(display, 1, 1, "", f"YAML error: {exc}"))
        return None, problems
    finally:
        if loader is not None:
            loader.dispose()
    problems.extend(found)
    if data is None:
        problems.add(Problem(display, 1, 1, "", "file holds no data"))
        return None, problems
    return Document(path, display, data, locations), problems
