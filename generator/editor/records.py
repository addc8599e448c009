"""What the editor changed in a record, written back as in-place edits with `generator.yaml_edit`.

Decap sends a whole file re-serialised in its own style. panelsite never writes that text: it reads
both the file on disk and the editor's copy as data (dates kept as text, as the loader keeps them),
works out which values differ, and edits only those values' text in the file on disk. A one-field
change is then a diff of that field's lines; comments, key order, quoting and folded text elsewhere
stay as the council wrote them.

Decap also writes empty values for optional fields it shows but nobody filled in (`place: ""`,
`outcomes: []`, `provisional: false`); a key that was not in the file and comes back empty is not
added, and a key the worker emptied is removed.
"""

from __future__ import annotations

import difflib
import json
import typing
from collections.abc import Sequence
from typing import Any

import yaml
from pydantic import BaseModel

from ..yaml_edit import EditError, Flow, YamlText, dump_block

Path_ = tuple[str | int, ...]


class NotWritable(Exception):
    """The change cannot be made in place; the message says why, in words for the worker."""


def is_empty(value: Any) -> bool:
    """True for what Decap writes for a field left blank."""
    return value is None or value == "" or value == [] or value == {} or value is False


def cleaned(new: Any, old: Any = None) -> Any:
    """The editor's data without the empty values it adds, keeping any the file itself holds."""
    if isinstance(new, dict):
        out = {}
        for key, value in new.items():
            before = old.get(key) if isinstance(old, dict) else None
            value = cleaned(value, before)
            had_key = isinstance(old, dict) and key in old
            if is_empty(value) and not (had_key and _same(value, before)):
                continue
            out[key] = value
        return out
    if isinstance(new, list):
        olds = old if isinstance(old, list) else []
        return [cleaned(item, olds[i] if i < len(olds) else None) for i, item in enumerate(new)]
    if isinstance(new, str):
        return new.strip() if "\n" not in new else new.rstrip() + ("\n" if new.endswith("\n") else "")
    return new


def _same(a: Any, b: Any) -> bool:
    """Equal as data: 73 and 73.0 are the same, and so are the number 2022 and the text '2022'."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, (int, float)) and isinstance(b, str) or isinstance(a, str) and isinstance(b, (int, float)):
        try:
            return float(a) == float(b) and str(a).strip() == str(b).strip().removesuffix(".0")
        except ValueError:
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def same(a: Any, b: Any) -> bool:
    """Public form of the data comparison used for every decision here."""
    return _same(a, b)


def _fingerprint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class Rewriter:
    """Applies the differences between `old` and `new` data to the text that holds `old`."""

    def __init__(self, text: str) -> None:
        self.yaml = YamlText(text)
        self.edits = 0

    def _flow(self, path: Path_) -> bool:
        node = self.yaml.node(path)
        return bool(getattr(node, "flow_style", False))

    def _replace(self, path: Path_, value: Any) -> None:
        """Write `value` over whatever is at `path`: inline for scalars and inside flow style, else block."""
        self.edits += 1
        if isinstance(value, (dict, list)) and value and not (path and self._in_flow(path)):
            node = self.yaml.node(path)
            if getattr(node, "flow_style", False) and _short(value):
                self.yaml.set_value(path, Flow(value) if isinstance(value, dict) else value)
            else:
                self.yaml.set_block(path, value)
        elif isinstance(value, str) and _folded(self.yaml.node(path)):
            self.yaml.set_text(path, value)
        else:
            self.yaml.set_value(path, value)

    def _in_flow(self, path: Path_) -> bool:
        return any(self._flow(path[:i]) for i in range(1, len(path)))

    def apply(self, old: Any, new: Any, path: Path_ = ()) -> None:
        if _same(old, new):
            return
        if isinstance(old, dict) and isinstance(new, dict) and old and new:
            node = self.yaml.node(path) if path else None
            if isinstance(node, yaml.ScalarNode):
                # Written in its short form (a resolution as plain text): stay short while it can.
                self._replace(path, next(iter(new.values())) if len(new) == 1 else new)
                return
            if path and self._flow(path):
                self._replace(path, new)
                return
            self._mapping(old, new, path)
        elif isinstance(old, list) and isinstance(new, list) and old and new:
            if path and self._flow(path):
                self._replace(path, new)
                return
            self._list(old, new, path)
        elif not path:
            raise NotWritable("the file does not hold a mapping of field: value")
        else:
            self._replace(path, new)

    def _mapping(self, old: dict[str, Any], new: dict[str, Any], path: Path_) -> None:
        for key in [k for k in old if k not in new]:
            self.edits += 1
            self.yaml.delete((*path, key))
        previous: str | None = None
        for key, value in new.items():
            if key in old:
                self.apply(old[key], value, (*path, key))
            else:
                self.edits += 1
                self.yaml.insert(path, key, value, after=previous)
            previous = key

    def _list(self, old: list[Any], new: list[Any], path: Path_) -> None:
        matcher = difflib.SequenceMatcher(
            a=[_fingerprint(v) for v in old], b=[_fingerprint(v) for v in new], autojunk=False
        )
        opcodes = matcher.get_opcodes()
        # Later stretches first, so the positions of earlier ones stay as they were.
        for tag, i1, i2, j1, j2 in reversed(opcodes):
            if tag == "equal":
                continue
            common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            extra_new = new[j1 + common : j2]
            if extra_new and i2 != len(old):
                self._replace(path, new)  # items added in the middle: the list is written again
                return
            if extra_new:
                for item in extra_new:
                    self.edits += 1
                    self.yaml.append(path, item)
            for index in range(i2 - 1, i1 + common - 1, -1):
                self.edits += 1
                self.yaml.delete((*path, index))
            for offset in range(common - 1, -1, -1):
                self.apply(old[i1 + offset], new[j1 + offset], (*path, i1 + offset))


def _short(value: Any) -> bool:
    return len(json.dumps(value, default=str)) <= 80 and not any(isinstance(v, (dict, list)) for v in _children(value))


def _children(value: Any) -> Sequence[Any]:
    return list(value.values()) if isinstance(value, dict) else list(value)


def _folded(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in (">", "|")


def rewrite(text: str, old: Any, new: Any) -> tuple[str, int]:
    """`text` (which holds `old`) edited in place to hold `new`; and how many edits that took."""
    rewriter = Rewriter(text)
    try:
        rewriter.apply(old, new)
    except EditError as exc:
        raise NotWritable(f"this change cannot be written in place ({exc})") from exc
    return rewriter.yaml.text, rewriter.edits


def in_model_order(data: Any, model: type[BaseModel] | None) -> Any:
    """`data` with each mapping's keys in the order its model declares them (unknown keys last)."""
    if isinstance(data, list):
        return [in_model_order(item, model) for item in data]
    if not isinstance(data, dict) or model is None:
        return data
    order = list(model.model_fields)
    keys = sorted(data, key=lambda k: order.index(k) if k in order else len(order))
    return {
        k: in_model_order(data[k], _model_of(model.model_fields[k].annotation) if k in order else None) for k in keys
    }


def with_required_nulls(data: Any, model: type[BaseModel] | None) -> Any:
    """`data` with `null` written for each field the model requires but allows to be empty.

    Such a field (an entitlement's `max_age: null`, "no upper age") is shown as optional in the
    editor, which leaves it out when it is empty; the file must still say it.
    """
    if isinstance(data, list):
        return [with_required_nulls(item, model) for item in data]
    if not isinstance(data, dict) or model is None:
        return data
    out = dict(data)
    for name, info in model.model_fields.items():
        if name in out:
            out[name] = with_required_nulls(out[name], _model_of(info.annotation))
        elif info.is_required() and type(None) in typing.get_args(info.annotation):
            out[name] = None
    return out


SHORT_FORMS: dict[str, str] = {"Resolution": "text"}
"""Models a file may write as plain text (a resolution), and the field that text fills."""


def editor_view(data: Any, model: type[BaseModel] | None) -> Any:
    """`data` as the editor's forms need it: a record written in its short form (a resolution as
    plain text) becomes the mapping it stands for. The file keeps its short form unless changed."""
    if isinstance(data, list):
        return [editor_view(item, model) for item in data]
    if model is not None and isinstance(data, str) and model.__name__ in SHORT_FORMS:
        return {SHORT_FORMS[model.__name__]: data}
    if not isinstance(data, dict) or model is None:
        return data
    fields = model.model_fields
    return {k: editor_view(v, _model_of(fields[k].annotation) if k in fields else None) for k, v in data.items()}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def new_file_text(data: dict[str, Any], model: type[BaseModel] | None = None) -> str:
    """A new record's text, keys in the model's order, in the layout panelsite's own templates use."""
    return "\n".join(dump_block(in_model_order(data, model), 0)) + "\n"
