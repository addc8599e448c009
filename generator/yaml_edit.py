"""The one writer for a council's YAML files: edits in place, keeping everything else byte for byte.

`panelsite upgrade` (and later the import and the editor) never re-serialise a whole file. A
`YamlText` finds the node an edit touches by composing the text (PyYAML's nodes know where they
start and end) and replaces only that stretch of text: comments, key order, quoting, folding and
blank lines elsewhere stay exactly as the council wrote them, so a one-field change is a one-line
diff. After each edit the text is composed again, so a later edit sees the file as it now is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

Path_ = Sequence[str | int]


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace a file whole or not at all (a temporary file beside it, then a rename); text is
    written as UTF-8 with its line endings as given, bytes as they are."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content.encode("utf-8") if isinstance(content, str) else content)
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class EditError(ValueError):
    """The edit cannot be made: the path is not in the file, or the file is not YAML."""


class _Composer(yaml.SafeLoader):
    """Composes nodes without constructing them: explicit tags (`!ENV`) are kept as node tags."""


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_Composer)  # noqa: S506 - compose builds nodes, constructs nothing


class Flow(dict[str, Any]):
    """A mapping to write on one line (`{period: "2023-01", value: 74.1}`) inside a block."""


class _InlineDumper(yaml.SafeDumper):
    """Text that YAML would read as a number or date (`2023-01`, `2022/23`) is double-quoted."""


def _quoted_if_needed(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if data[:1].isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _flow(dumper: yaml.SafeDumper, data: Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


_InlineDumper.add_representer(str, _quoted_if_needed)
_InlineDumper.add_representer(Flow, _flow)


def dump_inline(value: Any) -> str:
    """One value as YAML text on one line: a plain or quoted scalar, or a flow mapping or list."""
    text = yaml.dump(
        value, Dumper=_InlineDumper, default_flow_style=True, allow_unicode=True, sort_keys=False, width=100_000
    )
    text = text.rstrip("\n")
    return text[: -len("\n...")] if text.endswith("\n...") else text


def dump_block(value: Any, indent: int, indentless: bool = False) -> list[str]:
    """A mapping or list as block YAML lines, each indented by `indent` spaces (long text folded).

    `indentless` writes a list under its key with the dashes in the key's column, as many files do.
    """
    width = max(40, 100 - indent)
    dumper = _IndentlessDumper if indentless else _BlockDumper
    text = yaml.dump(value, Dumper=dumper, allow_unicode=True, sort_keys=False, width=width, indent=2)
    return [" " * indent + line if line else line for line in text.rstrip("\n").split("\n")]


class _BlockDumper(yaml.SafeDumper):
    """Block style, lists indented under their key, and long text as a folded `>-` scalar."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _IndentlessDumper(yaml.SafeDumper):
    """Block style with each list's dashes in its key's column."""


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if len(data) > 60 and "\n" not in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=">")
    return _quoted_if_needed(dumper, data)


for _dumper in (_BlockDumper, _IndentlessDumper):
    _dumper.add_representer(str, _text)
    _dumper.add_representer(Flow, _flow)


class YamlText:
    """A YAML file's text with in-place edits addressed by path, e.g. `("plugins", 1, "panelsite")`."""

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def indentless(self) -> bool:
        """True when this file writes a list under its key with the dashes in the key's column."""
        lines = self.text.split("\n")
        for above, line in zip(lines, lines[1:], strict=False):
            stripped = above.rstrip()
            opens_a_block = stripped.endswith(":") and not stripped.lstrip().startswith(("#", "-"))
            if opens_a_block and line.lstrip().startswith("- "):
                return len(line) - len(line.lstrip()) == len(above) - len(above.lstrip())
        return False

    # -- finding ---------------------------------------------------------------------------------

    def _root(self) -> yaml.Node:
        try:
            root = _compose(self.text)
        except yaml.YAMLError as exc:
            raise EditError(f"not valid YAML: {exc}") from exc
        if root is None:
            raise EditError("the file is empty")
        return root

    def _find(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node]:
        """(the key node or None for a list item, the value node) at `path`."""
        node = self._root()
        key: yaml.Node | None = None
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == step:
                        key, node = k, v
                        break
                else:
                    raise EditError(f"no {step!r} in {'.'.join(map(str, path))}")
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                key, node = None, node.value[step]
            else:
                raise EditError(f"cannot find {'.'.join(map(str, path))}")
        return key, node

    def has(self, path: Path_) -> bool:
        """True when the file holds a value at `path`."""
        try:
            self._find(path)
        except EditError:
            return False
        return True

    def node(self, path: Path_) -> yaml.Node:
        """The composed node at `path` (its tag, value and marks)."""
        return self._find(path)[1]

    def line_of(self, path: Path_) -> tuple[int, int]:
        """1-based line and column where the value at `path` starts (its key's, for a mapping entry)."""
        key, node = self._find(path)
        mark = (key or node).start_mark
        return mark.line + 1, mark.column + 1

    # -- editing ---------------------------------------------------------------------------------

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _line_end(self, index: int) -> int:
        """The index just past the newline ending the line that holds `index` (or the text's end)."""
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def _content_end(self, node: yaml.Node) -> int:
        """Where a value's own text ends, before any trailing blank lines or comments that follow it."""
        if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            end = node.end_mark.index
            while end > node.start_mark.index and self.text[end - 1] in " \n":
                end -= 1
            return end
        children = [value for _, value in node.value] if isinstance(node, yaml.MappingNode) else list(node.value)
        return self._content_end(children[-1]) if children else node.start_mark.index

    def _after_colon(self, key: yaml.Node) -> int:
        return self.text.index(":", key.end_mark.index) + 1

    def set_value(self, path: Path_, value: Any) -> None:
        """Replace the value at `path` (and any tag on it) with `value`, written inline."""
        key, node = self._find(path)
        start = self._after_colon(key) if key is not None else node.start_mark.index
        prefix = " " if key is not None else ""
        self.text = self.text[:start] + prefix + dump_inline(value) + self.text[self._content_end(node) :]

    def set_block(self, path: Path_, value: Any) -> None:
        """Replace the value at `path` with a mapping or list written in block style."""
        key, node = self._find(path)
        end = self._content_end(node)
        if key is None:
            # A list item: the block starts after the dash; later lines line up with the item.
            column = node.start_mark.column
            lines = dump_block(value, column, self.indentless)
            replacement = "\n".join([lines[0][column:], *lines[1:]])
            self.text = self.text[: node.start_mark.index] + replacement + self.text[end:]
        else:
            lines = dump_block(value, key.start_mark.column + 2, self.indentless)
            self.text = self.text[: self._after_colon(key)] + "\n" + "\n".join(lines) + self.text[end:]

    def delete(self, path: Path_) -> None:
        """Remove a mapping entry (its key, value and every line they span) or a list item."""
        key, node = self._find(path)
        first = (key or node).start_mark.index
        if key is None:
            first = self.text.rfind("-", 0, first)
        start, end = self._line_start(first), self._line_end(self._content_end(node))
        if self.text[max(0, start - 2) : start] == "\n\n" and self.text[end : end + 1] == "\n":
            end += 1  # the entry stood alone between blank lines: keep one blank line, not two
        self.text = self.text[:start] + self.text[end:]

    def insert(self, mapping_path: Path_, key: str, value: Any, after: str | None = None) -> None:
        """Add `key: value` to the block mapping at `mapping_path`, after the key `after` (else last).

        A scalar or a list of scalars is written inline; a mapping, or a list of mappings, in block
        style below its key.
        """
        _, mapping = self._find(mapping_path)
        if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style or not mapping.value:
            raise EditError(f"{'.'.join(map(str, mapping_path))} is not a block mapping with keys")
        column = mapping.value[0][0].start_mark.column
        entry = next((e for e in mapping.value if after is not None and e[0].value == after), mapping.value[-1])
        at = self._line_end(self._content_end(entry[1]))
        if isinstance(value, dict) or isinstance(value, list) and any(isinstance(v, dict) for v in value):
            under = column if isinstance(value, list) and self.indentless else column + 2
            lines = [" " * column + f"{key}:", *dump_block(value, under, self.indentless)]
        else:
            lines = [" " * column + f"{key}: {dump_inline(value)}"]
        if at == len(self.text) and not self.text.endswith("\n"):
            self.text += "\n"
            at += 1
        self.text = self.text[:at] + "\n".join(lines) + "\n" + self.text[at:]

    def append(self, list_path: Path_, value: Any) -> None:
        """Add `value` as the last item of the block list at `list_path`, in the style of its last item.

        After a one-line flow item (`- {period: "2022-12", value: 73.0}`) the new item is one line too;
        otherwise it is written in block style, lined up with the item before it.
        """
        _, sequence = self._find(list_path)
        if not isinstance(sequence, yaml.SequenceNode) or sequence.flow_style or not sequence.value:
            raise EditError(f"{'.'.join(map(str, list_path))} is not a block list with items")
        last = sequence.value[-1]
        dash = self.text.rfind("-", 0, last.start_mark.index)
        dash_column = dash - self._line_start(dash)
        at = self._line_end(self._content_end(last))
        one_line = getattr(last, "flow_style", False) or isinstance(last, yaml.ScalarNode)
        if one_line or not isinstance(value, (dict, list)):
            lines = [" " * dash_column + "- " + dump_inline(value)]
        else:
            column = last.start_mark.column
            block = dump_block(value, column, self.indentless)
            lines = [" " * dash_column + "- " + block[0][column:], *block[1:]]
        if at == len(self.text) and not self.text.endswith("\n"):
            self.text += "\n"
            at += 1
        self.text = self.text[:at] + "\n".join(lines) + "\n" + self.text[at:]

    def set_text(self, path: Path_, value: str) -> None:
        """Replace the text at `path`, keeping its folded (`>-`) or literal (`|`) block style.

        Folded text is wrapped at about 100 columns on spaces, which reads back as the same text;
        text a folded block cannot hold as given (runs of spaces, spaces at either end) and any
        value that was not a block scalar is written inline, as `set_value` writes it.
        """
        key, node = self._find(path)
        style = node.style if isinstance(node, yaml.ScalarNode) else None
        body = value[:-1] if value.endswith("\n") else value
        foldable = style == ">" and "\n" not in body and "  " not in body and body == body.strip() and body
        literal = style == "|" and body and all(line == line.rstrip() for line in body.split("\n"))
        if not (foldable or literal):
            self.set_value(path, value)
            return
        start = node.start_mark.index
        line = self.text[self._line_start(start) : start]
        indent = len(line) - len(line.lstrip()) + 2
        if style == ">":
            lines = textwrap.wrap(body, max(40, 100 - indent), break_long_words=False, break_on_hyphens=False)
        else:
            lines = body.split("\n")
        header = str(style) + ("" if value.endswith("\n") else "-")
        replacement = header + "\n" + "\n".join(" " * indent + text if text else "" for text in lines)
        self.text = self.text[:start] + replacement + self.text[self._content_end(node) :]
