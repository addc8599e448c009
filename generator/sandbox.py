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
- **size and time caps that hold however a value is built** (issue 20), so no page can make the
  build hang or run out of memory:
  - `*`, `+`, `~`, every filter and every method may make text or a list of at most `MAX_RESULT`
    (100,000) characters or items; `*` and `**` may not make numbers over about 1,000 digits;
  - a list, tuple or mapping a page writes (`[a, a]`, `{"k": a}`), a value it shows, and a value
    a filter or `~` turns into text may hold at most `MAX_WEIGHT` (2,000,000) characters and items
    counted through every nested list (so values that share parts cannot double in size unseen);
  - a page's text may be at most `MAX_OUTPUT` (2,000,000) characters;
  - all loops of a page together may run at most `LOOP_BUDGET` (10,000) times, and rendering a
    page may take at most `PAGE_SECONDS` (10) seconds, checked at every loop turn, operator,
    filter, method and piece of output;
  - `%` formatting, `format`, `join`, `replace`, `center`, `indent`, `wordwrap` and `namespace`
    do not exist in the sandbox at all.

Anything else gives a located `template error`; text a page shows from the data is escaped like
any template output, so it appears exactly as written.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import operator
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from .escaping import MARKDOWN_TEMPLATE_OPTIONS, attr, escape_block, escape_text
from .models.common import MONTH_NAMES

LOOP_BUDGET = 10_000
MAX_RANGE = 1_000
MAX_BITS = 3_300
"""Largest whole number (in bits, about 1,000 digits) that `*` and `**` may make."""
MAX_RESULT = 100_000
"""Longest text or list that `*`, `+`, `~`, a filter or a method may make."""
MAX_WEIGHT = 2_000_000
"""Most characters and items, counted through nested lists and mappings, that a value a page
writes as a literal, shows, or turns into text may hold."""
MAX_OUTPUT = 2_000_000
"""Longest page text, in characters."""
PAGE_SECONDS = 10.0
"""Longest time rendering one page may take."""
_STRINGIFYING = {"capitalize", "lower", "string", "title", "trim", "truncate", "upper", "wordcount", "float", "int"}
"""Filters that turn their value into text first: their value's weight is checked before."""
_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("panelsite_page_deadline", default=float("inf"))

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
_CONCAT = "__panelsite_concat"
_LITERAL = "__panelsite_literal"


class _Guard(jinja2.visitor.NodeTransformer):
    """Routes `~` through `_concat` and every list, tuple and mapping literal through `_literal`."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802 - Jinja's visitor naming
        parts = [self.visit(part) for part in node.nodes]
        return nodes.Call(nodes.Name(_CONCAT, "load", lineno=node.lineno), parts, [], None, None, lineno=node.lineno)

    def _wrapped(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node
        return nodes.Call(nodes.Name(_LITERAL, "load", lineno=node.lineno), [node], [], None, None, lineno=node.lineno)

    visit_List = visit_Tuple = visit_Dict = _wrapped  # noqa: N815


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
            _in_time()
            yield item


def _in_time() -> None:
    if time.monotonic() > _DEADLINE.get():
        raise SecurityError(f"the page took more than {PAGE_SECONDS:g} seconds to render")


def weight(value: Any, limit: int = MAX_WEIGHT) -> int:
    """Characters and items in `value`, counted through nested lists and mappings (a part shared
    twice counts twice, as it would be written twice); counting stops once past `limit`."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        total += 1
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, Mapping):
            for key in item:
                stack.append(key)
                stack.append(item[key])
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 8
        if total > limit:
            break
    return total


def _bounded(value: Any, what: str) -> Any:
    """`value` when it weighs at most `MAX_WEIGHT`, else a SecurityError naming `what`."""
    _in_time()
    if weight(value) > MAX_WEIGHT:
        raise SecurityError(f"{what} may hold at most {MAX_WEIGHT:,} characters and items")
    return value


def _made(value: Any, what: str, deep: bool = False) -> Any:
    """A value the page just made: text or a list of at most `MAX_RESULT`; with `deep` (values
    built by an operator, which may repeat their parts), weighing at most `MAX_WEIGHT` as well.
    Filters and methods give back parts of their value (no deeper than it), so only their
    length is checked: `data.meetings.values()|list` stays possible for a large archive."""
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_RESULT:
        raise SecurityError(f"{what} may make at most {MAX_RESULT:,} characters or items")
    if deep and isinstance(value, (list, tuple, dict)):
        return _bounded(value, what)
    _in_time()
    return value


def _concat(*parts: Any) -> str:
    """`a ~ b`: each part turned into text only when it is small enough, the result at most `MAX_RESULT`."""
    texts = []
    length = 0
    for part in parts:
        text = part if isinstance(part, str) else str(_bounded(part, "a value joined with ~"))
        length += len(text)
        if length > MAX_RESULT:
            raise SecurityError(f"~ may make at most {MAX_RESULT:,} characters")
        texts.append(text)
    _in_time()
    return "".join(texts)


def _literal(value: Any) -> Any:
    return _bounded(value, "a list or mapping written in a page")


def _finalize(value: Any) -> str:
    """Every `{{ value }}`: small enough to show, then escaped like any template output."""
    if not isinstance(value, str):
        _bounded(value, "a value shown on a page")
    return escape_text(value)


def _checked_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, with its value's weight checked first (for filters that make text of it) and its result after."""
    stringifies = name in _STRINGIFYING

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if stringifies:
            value = next((a for a in args if not isinstance(a, (jinja2.Environment, jinja2.runtime.Context))), None)
            if not isinstance(value, str):
                _bounded(value, f"the value given to |{name}")
        return _made(function(*args, **kwargs), f"|{name}")

    return checked


def _sum(environment: jinja2.Environment, iterable: Iterable[Any], attribute: Any = None, start: Any = 0) -> Any:
    """Jinja's `sum`, for numbers only (summing lists concatenates them, which could make anything)."""
    items = list(iterable)
    if attribute is not None:
        items = list(map(jinja2.filters.make_attrgetter(environment, attribute), items))
    if not all(isinstance(x, (int, float)) for x in [start, *items]):
        raise SecurityError("|sum adds numbers only")
    return sum(items, start)


_sum.jinja_pass_arg = jinja2.utils._PassArg.environment  # type: ignore[attr-defined]


class ContentSandbox(SandboxedEnvironment):
    """The sandbox with Jinja's globals removed, a short list of filters and methods, and size caps."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self) -> None:
        super().__init__(**{**MARKDOWN_TEMPLATE_OPTIONS, "finalize": _finalize})
        self.globals.clear()
        filters: dict[str, Callable[..., Any]] = {name: self.filters[name] for name in FILTERS}
        filters.update(sum=_sum, block=escape_block, attr=attr)
        self.filters = {name: _checked_filter(name, function) for name, function in filters.items()}

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
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
                    if len(sequence) * times > MAX_RESULT:
                        raise SecurityError(f"* may make at most {MAX_RESULT:,} characters or items")
                    if not isinstance(sequence, str) and weight(sequence) * times > MAX_WEIGHT:
                        raise SecurityError(f"* may make at most {MAX_WEIGHT:,} characters and items")
        sequences = isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple))
        if operator_name == "+" and sequences and len(left) + len(right) > MAX_RESULT:
            raise SecurityError(f"+ may make at most {MAX_RESULT:,} characters or items")
        operation = {"*": operator.mul, "**": operator.pow, "%": operator.mod, "+": operator.add}[operator_name]
        return _made(operation(left, right), operator_name, deep=True)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N807
        allowed = __obj in (long_date, _range, _concat, _literal) or isinstance(__obj, _Budget)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        allowed = allowed or any(isinstance(owner, kind) and name in methods for kind, methods in METHODS.items())
        allowed = allowed or (isinstance(owner, jinja2.runtime.LoopContext) and name in ("cycle", "changed"))
        if not allowed:
            raise SecurityError(f"{name or type(__obj).__name__}() cannot be called in a content page")
        return _made(super().call(__context, __obj, *args, **kwargs), f"{name or 'a call'}()")


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
    tree = _Guard().visit(tree)
    code = _ENV.compile(tree)
    return _ENV.template_class.from_code(_ENV, code, {})


def render_page(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render a compiled page with the plain-data context, a fresh loop budget and a deadline,
    stopping as soon as its text is longer than `MAX_OUTPUT`."""
    helpers = {_BUDGET: _Budget(), _CONCAT: _concat, _LITERAL: _literal, "long_date": long_date, "range": _range}
    token = _DEADLINE.set(time.monotonic() + PAGE_SECONDS)
    try:
        pieces, length = [], 0
        stream = cast(Generator[str, None, None], template.generate(**context, **helpers))
        for piece in stream:
            length += len(piece)
            if length > MAX_OUTPUT:  # raised where the page is, so the message names its line
                stream.throw(SecurityError(f"the page's text is longer than {MAX_OUTPUT:,} characters"))
            if time.monotonic() > _DEADLINE.get():
                stream.throw(SecurityError(f"the page took more than {PAGE_SECONDS:g} seconds to render"))
            pieces.append(piece)
    finally:
        _DEADLINE.reset(token)
    return "".join(pieces)


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
