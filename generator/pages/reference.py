"""The template-variable reference: every variable each generated page's template gets, with its help text.

Written from the context dataclasses themselves, so it cannot drift from the code; a test checks
that the committed copy (`docs/template-variables.md`) is current and that every template uses
only the variables listed for it. Regenerate with `make reference`.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nodes

from ..editions import Edition
from ..rendering import PACKAGED_PREFIX, make_environment
from . import KINDS
from .common import CommonContext
from .kpis import BenchmarkView, BreakdownRow, Direction, KpiGlance, KpiView, Status
from .meetings import FileInfo, PackRow

VALUE_CLASSES: tuple[type, ...] = (
    KpiView,
    KpiGlance,
    Status,
    Direction,
    BenchmarkView,
    BreakdownRow,
    PackRow,
    FileInfo,
)
"""Frozen values that contexts hold, documented beside them."""

REFERENCE_PATH = Path("docs") / "template-variables.md"


def _fields_table(cls: type) -> list[str]:
    rows = ["| variable | type | what it is |", "|---|---|---|"]
    for item in dataclasses.fields(cls):
        help_text = item.metadata.get("help", "")
        kind = str(item.type).replace("|", "\\|")
        rows.append(f"| `{item.name}` | `{kind}` | {help_text} |")
    for name, member in vars(cls).items():
        if callable(member) and not name.startswith("_"):
            rows.append(f"| `{name}(...)` | method | {_doc(member)} |")
    return rows


def _doc(thing: object) -> str:
    text = " ".join((getattr(thing, "__doc__", None) or "").split())
    return text.replace("<", "&lt;").replace(">", "&gt;")


def template_reference() -> str:
    """The reference as Markdown."""
    lines = [
        "# Template variables",
        "",
        "Generated from `generator/pages/` by `make reference`; do not edit by hand. A council's own",
        "`theme/templates/` may override any template below (or its `young/` version) and gets exactly",
        "these variables. Hand-written pages in `content/` get a smaller, sandboxed set",
        "(see [Hand-written pages](content.md)).",
        "",
        "## Every page",
        "",
        _doc(CommonContext),
        "",
        *_fields_table(CommonContext),
        "",
    ]
    for kind in KINDS:
        lines += [f"## {kind.name}", "", _doc(type(kind)), ""]
        for template, cls in kind.templates.items():
            lines += [f"### `{template}`", "", _doc(cls), "", *_fields_table(cls), ""]
    lines += ["## Values inside contexts", ""]
    for cls in VALUE_CLASSES:
        lines += [f"### `{cls.__name__}`", "", _doc(cls), "", *_fields_table(cls), ""]
    return "\n".join(lines).rstrip() + "\n"


def allowed_variables() -> dict[str, set[str]]:
    """Each page template's variables: the common ones and its kind's context fields."""
    common = {f.name for f in dataclasses.fields(CommonContext)}
    return {
        template: common | {f.name for f in dataclasses.fields(cls)}
        for kind in KINDS
        for template, cls in kind.templates.items()
    }


def _parent_names(env: jinja2.Environment, tree: jinja2.nodes.Template, sources: dict[str, str]) -> set[str]:
    """The loop and `set` variables and imports of the template this one extends (`panelsite/<name>`):
    its blocks (`scoped` inside a loop) see them."""
    found: set[str] = set()
    for node in tree.find_all(jinja2.nodes.Extends):
        if isinstance(node.template, jinja2.nodes.Const):
            parent = sources.get(str(node.template.value).removeprefix(PACKAGED_PREFIX + "/"))
            if parent is not None:
                tree = env.parse(parent)
                found |= {n.name for n in tree.find_all(jinja2.nodes.Name) if n.ctx == "store"}
                found |= {n.target for n in tree.find_all(jinja2.nodes.Import)}
    return found


def unknown_variables(template_dir: Path) -> list[tuple[str, str]]:
    """(template, variable) for each variable a template uses that its context does not give.

    A page template (or its `young/` version) is checked against its kind's context; a partial
    (`_name.md.j2`) against everything the templates that include or import it have, their own
    loop and `set` variables included, since a partial sees its includer's context.
    """
    env = make_environment([template_dir], Edition.STANDARD)
    allowed = allowed_variables()
    sources = {
        p.relative_to(template_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(template_dir.rglob("*.j2"))
    }
    visible: dict[str, set[str]] = {}
    for name, source in sources.items():
        base = name.removeprefix("young/")
        if base in allowed:
            tree = env.parse(source)
            stored = {n.name for n in tree.find_all(jinja2.nodes.Name) if n.ctx == "store"}
            stored |= {n.target for n in tree.find_all(jinja2.nodes.Import)}
            stored |= _parent_names(env, tree, sources)
            visible[name] = allowed[base] | stored
    found = []
    for name, source in sources.items():
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        partial = Path(name).name.startswith("_")
        if partial:
            short = Path(name).name
            includers = [n for n, s in sources.items() if n in visible and f'"{short}"' in s]
            can_see = set().union(*(visible[n] for n in includers)) if includers else set()
        elif name.removeprefix("young/") in allowed:
            can_see = visible[name]
        else:
            found.append((name, "(no page kind renders this template)"))
            continue
        found += [(name, variable) for variable in sorted(used - can_see)]
    return found


def main(argv: list[str]) -> int:
    """Write the reference to the given path (default docs/template-variables.md)."""
    target = Path(argv[0]) if argv else REFERENCE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template_reference(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
