"""The sandbox a council's own page templates (`theme/templates/*.md.j2`) render in.

A council's template overrides come from its folder, which its web team edits; they are not
panelsite's code, so they must not run any (see SECURITY.md). They render in the content pages'
sandbox (`generator.sandbox.ContentSandbox`: no attribute starting with `_`, Jinja's globals
`cycler`, `joiner`, `lipsum` and `namespace` removed, the same limits on `*`, `**` and `%`),
widened only as far as page templates need:

- every documented template variable (`generator.pages.reference`), with its records as objects;
- the filters page templates use (`FILTERS` below), `range` (at most 100,000 numbers), macros,
  imports and includes of other templates in the same folders;
- calls to panelsite's own helpers (functions and methods defined in the `generator` package,
  such as `link()`, `urls.kpi()` or `site.contact_named()`), to macros, and to a short list of
  methods of text, dates and mappings (`METHODS`); nothing else can be called, so neither
  pydantic's `model_*`/`parse_file` nor anything of `pathlib` or `os`;
- all the loops of one page together may run at most `LOOP_BUDGET` times (a template loops over
  the whole archive, so its budget is larger than a content page's), so no template can hang a build.

Anything else is a located `template error` naming the template file and line. The templates
panelsite ships keep the plain environment (`generator.rendering.make_environment`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range

from .sandbox import FILTERS as CONTENT_FILTERS
from .sandbox import ContentSandbox

FILTERS = (*CONTENT_FILTERS, "join", "replace", "batch", "slice", "striptags")
"""Jinja's filters a council template may use, besides panelsite's `block`, `attr`, `raw` and `nostop`."""

METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            "upper",
            "lower",
            "title",
            "capitalize",
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "removeprefix",
            "removesuffix",
            "replace",
            "split",
            "join",
            "count",
            "find",
        }
    ),
    dict: frozenset({"items", "keys", "values", "get"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
    dt.date: frozenset({"strftime", "isoformat"}),
}
"""Methods of plain values a council template may call."""

_OWN_PACKAGE = __name__.split(".")[0] + "."
LOOP_BUDGET = 200_000
"""Loop turns one page's templates may take, all loops together (the largest demo page takes 138)."""
_BUDGET = "__panelsite_template_loops"


class LoopBudget:
    """Counts the loop turns of the page being rendered; `reset` before each page."""

    def __init__(self, limit: int = LOOP_BUDGET) -> None:
        self.limit = limit
        self.left = limit

    def reset(self) -> None:
        self.left = self.limit

    @property
    def used(self) -> int:
        return self.limit - self.left

    def __call__(self, iterable: Any) -> Any:
        for item in iterable:
            self.left -= 1
            if self.left < 0:
                raise SecurityError(f"the page's loops ran more than {self.limit:,} times")
            yield item


class TemplateSandbox(ContentSandbox):
    """The content pages' sandbox, reading templates from folders, with page templates' filters and calls."""

    def __init__(self, loader: jinja2.BaseLoader, filters: dict[str, Any]) -> None:
        super().__init__()
        self.loader = loader
        base = SandboxedEnvironment()
        self.filters.update({name: base.filters[name] for name in FILTERS if name not in self.filters})
        self.filters.update(filters)
        self.globals["range"] = safe_range
        self.budget = LoopBudget()
        self.globals[_BUDGET] = self.budget

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every `for` loop counts its turns against the page's budget."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(
                nodes.Name(_BUDGET, "load", lineno=loop.lineno), [loop.iter], [], None, None, lineno=loop.lineno
            )
        return tree

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N807
        if isinstance(__obj, jinja2.Undefined):  # a macro or function that is not there, not a forbidden one
            missing = getattr(__obj, "_undefined_name", None) or "what is called here"
            raise jinja2.UndefinedError(
                f"{missing} is not defined: a template copied from an earlier release of panelsite may lack it; "
                "compare your copy with panelsite's own (the templates page of the documentation)"
            )
        if not _callable_here(__obj):
            name = getattr(__obj, "__name__", type(__obj).__name__)
            raise SecurityError(f"{name}() cannot be called in a council template")
        return SandboxedEnvironment.call(self, __context, __obj, *args, **kwargs)


def _callable_here(obj: Any) -> bool:
    """Macros, `range`, loop helpers, panelsite's own functions and the methods in `METHODS`."""
    if isinstance(obj, (jinja2.runtime.Macro, LoopBudget)) or obj is safe_range:
        return True
    if isinstance(obj, type):
        return False  # no class may be called: it would make objects templates were not given
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, jinja2.runtime.LoopContext):
        return name in ("cycle", "changed")
    wrapped = getattr(obj, "__wrapped__", None)  # str.format, as the sandbox wraps it
    if isinstance(getattr(wrapped, "__self__", None), str) and getattr(wrapped, "__name__", "") == "format":
        return True
    if any(isinstance(owner, kind) and name in methods for kind, methods in METHODS.items()):
        return True
    module = getattr(obj, "__module__", None) or type(obj).__module__ or ""
    return module.startswith(_OWN_PACKAGE) and not isinstance(owner, type)


def _fingerprint() -> str:
    """The sandbox's code shapes compiled templates: its own bytecode-cache key, never the plain one's."""
    here = Path(__file__).resolve().parent
    sources = b"".join((here / name).read_bytes() for name in ("rendering.py", "sandbox.py", "template_sandbox.py"))
    return "sandbox-" + hashlib.sha256(sources).hexdigest()[:16]


FINGERPRINT = _fingerprint()


def sandboxed_environment(loaders: Sequence[jinja2.BaseLoader], filters: dict[str, Any]) -> TemplateSandbox:
    """The environment for a set of template folders that holds a council's own templates."""
    return TemplateSandbox(jinja2.ChoiceLoader(list(loaders)), filters)
