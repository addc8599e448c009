"""Render hand-written pages (`content/*.md`) in Jinja2's sandbox, with plain data only.

A content page is untrusted: anyone who can change it must not be able to run code, read files
or hang the build. So a page is rendered by `SandboxedEnvironment` (no attribute starting with
`_`, so no `__globals__`, `__class__` or `__subclasses__`), and:

- the context holds **plain data only** (strings, numbers, lists, mappings), never a module,
  class or model: `site` (the panelsite settings from site_config.yml), `data` (every collection:
  `kpis`, `updates`, `events`, `meetings`, `areas`, `pledge`, `glossary`, `sources`, each record
  as it is in its file, keyed by id or date), `edition` ("standard" or "young"), `young` (true in
  the young edition), and two functions, `long_date("2023-03-28")` -> "28 March 2023" and
  `range(n)` (at most 1,000);
- Jinja's own globals (`cycler`, `joiner`, `namespace`, `lipsum`, `dict`) are removed;
- only the filters in `FILTERS` exist, and only the methods in `METHODS` may be called;
- macros, `call` blocks, imports, includes, `extends`, blocks, filter blocks, `{% set %}` blocks
  and recursive loops are refused before rendering, with the line they are on;
- `*`, `**` and `%` cannot build huge values, and all loops of a page together may run at most
  `LOOP_BUDGET` times, so no page can make the build hang or run out of memory.

Anything else gives a located `template error`; text a page shows from the data is escaped like
any template output, so it appears exactly as written.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from .models.common import MONTH_NAMES
from .rendering import MARKDOWN_TEMPLATE_OPTIONS, attr, escape_block

LOOP_BUDGET = 10_000
MAX_RANGE = 1_000
MAX_BITS = 3_300
"""Largest whole number (in bits, about 1,000 digits) that `*` and `**` may make."""
MAX_RESULT = 100_000
"""Longest string or list that `*` may make."""

FILTERS = (
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "dictsort",
    "first",
    "float",
    "groupby",
    "int",
    "items",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "reverse",
    "round",
    "select",
    "selectattr",
    "sort",
    "string",
    "sum",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "wordcount",
)


class PlainCollections(Mapping[str, Any]):
    """A content page's `data`: each named collection of `source` as plain data, made the first
    time a page reads it (most pages read one collection or none; making them all for every
    edition cost a fifth of rendering the ten-year archive). Underscored attributes are refused."""

    def __init__(self, source: object, names: Sequence[str]) -> None:
        self._source, self._names = source, tuple(names)
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._made:
            self._made[name] = plain(getattr(self._source, name))
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


_MAPPING_METHODS = {"items", "keys", "values", "get"}
METHODS: dict[type, set[str]] = {
    dict: _MAPPING_METHODS,
    PlainCollections: _MAPPING_METHODS,  # `data` reads like the dict it replaced
    str: {"upper", "lower", "title", "capitalize", "strip", "startswith", "endswith"},
}
_REFUSED = {
    nodes.Macro: "macros",
    nodes.CallBlock: "call blocks",
    nodes.Import: "imports",
    nodes.FromImport: "imports",
    nodes.Include: "includes",
    nodes.Extends: "extends",
    nodes.Block: "blocks",
    nodes.FilterBlock: "filter blocks",
    nodes.AssignBlock: "{% set %} blocks",
    nodes.NSRef: "namespace assignments",
}
_BUDGET = "__panelsite_loop_budget"


def long_date(value: Any) -> str:
    """'28 March 2023' from a date or from text such as '2023-03-28'."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() may give at most {MAX_RANGE:,} numbers")
    return numbers


class _Budget:
    """Counts loop turns across a whole page."""

    def __init__(self) -> None:
        self.left = LOOP_BUDGET

    def __call__(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.left -= 1
            if self.left < 0:
                raise SecurityError(f"the page's loops ran more than {LOOP_BUDGET:,} times")
            yield item


class ContentSandbox(SandboxedEnvironment):
    """The sandbox with Jinja's globals removed, a short list of filters and methods, and size caps."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(**MARKDOWN_TEMPLATE_OPTIONS)
        self.globals.clear()
        self.filters = {name: self.filters[name] for name in FILTERS}
        self.filters.update(block=escape_block, attr=attr)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "%" and isinstance(left, str):
            raise SecurityError("% formatting is not available; join text with ~")
        if operator_name == "**" and (
            not isinstance(right, (int, float))
            or abs(right) > 64
            or (isinstance(left, int) and abs(left) > 1 and right * left.bit_length() > MAX_BITS)
        ):
            raise SecurityError("** is limited to small powers")
        if (
            operator_name == "*"
            and isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_BITS
        ):
            raise SecurityError("* is limited to numbers of up to 1,000 digits")
        if operator_name == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, (str, list, tuple))
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_RESULT
                ):
                    raise SecurityError(f"* may make at most {MAX_RESULT:,} characters or items")
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod}[operator_name](left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N807
        allowed = __obj in (long_date, _range) or isinstance(__obj, _Budget)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        allowed = allowed or any(isinstance(owner, kind) and name in methods for kind, methods in METHODS.items())
        allowed = allowed or (isinstance(owner, jinja2.runtime.LoopContext) and name in ("cycle", "changed"))
        if not allowed:
            raise SecurityError(f"{name or type(__obj).__name__}() cannot be called in a content page")
        return super().call(__context, __obj, *args, **kwargs)


_ENV = ContentSandbox()


def compile_page(source: str) -> jinja2.Template:
    """Parse a page, refuse what the sandbox does not allow, and count its loops."""
    tree = _ENV.parse(source)
    for node in tree.find_all(tuple(_REFUSED)):
        raise jinja2.TemplateSyntaxError(f"{_REFUSED[type(node)]} are not allowed in content pages", node.lineno)
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            raise jinja2.TemplateSyntaxError("recursive loops are not allowed in content pages", loop.lineno)
        loop.iter = nodes.Call(
            nodes.Name(_BUDGET, "load", lineno=loop.lineno), [loop.iter], [], None, None, lineno=loop.lineno
        )
    code = _ENV.compile(tree)
    return _ENV.template_class.from_code(_ENV, code, {})


def render_page(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render a compiled page with the plain-data context and a fresh loop budget."""
    return template.render(**context, **{_BUDGET: _Budget(), "long_date": long_date, "range": _range})


def plain(value: Any) -> Any:
    """Plain data (str, int, float, bool, None, list, dict) from models, dates and collections."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return plain(value.value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
