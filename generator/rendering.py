"""Jinja2 templates that produce Markdown. Every `{{ value }}` is escaped unless it is `Markup`.

Plain-text data can hold `<script>`, `*` or `[`; none of it may turn into markup. The
environment's `finalize` escapes HTML and Markdown specials in every expression, so a template
has to opt in (`|safe`, or a helper returning `Markup`) to insert raw Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .editions import Edition
from .escaping import MARKDOWN_TEMPLATE_OPTIONS, attr, escape_block, without_full_stop
from .template_cache import TemplateBytecode


def make_environment(templates_dirs: Path | Sequence[Path], edition: Edition) -> jinja2.Environment:
    """Templates from `templates_dirs` (first wins), each `young/` overlay taking precedence in the young edition;
    `panelsite/<name>` is always panelsite's own template of that name (`PACKAGED_PREFIX`).

    When any folder is not panelsite's own (a council's `theme/templates/`, or `templates_dir`),
    every template renders in the sandbox of `generator.template_sandbox`: a council's override
    is not panelsite's code and must not run any, and a packaged template it imports runs there too.
    """
    dirs = [templates_dirs] if isinstance(templates_dirs, Path) else list(templates_dirs)
    loaders: list[jinja2.BaseLoader] = [_packaged_loader()]
    if edition == Edition.YOUNG:
        loaders += [jinja2.FileSystemLoader(d / "young") for d in dirs]
    loaders += [jinja2.FileSystemLoader(d) for d in dirs]
    filters = {"block": escape_block, "attr": attr, "raw": Markup, "nostop": without_full_stop}
    if not all(_is_packaged(d) for d in dirs):
        from .template_sandbox import FINGERPRINT, sandboxed_environment

        sandboxed = sandboxed_environment(loaders, filters)
        sandboxed.bytecode_cache = _bytecode_cache(FINGERPRINT)
        return sandboxed
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        **MARKDOWN_TEMPLATE_OPTIONS,
    )
    env.filters.update(filters)
    return env


PACKAGED_PREFIX = "panelsite"
"""`panelsite/kpi.md.j2` (and `panelsite/young/kpi.md.j2`) name panelsite's own template whatever
overrides it: a young template extends its standard namesake by that name, and a council's
override may extend the template it replaces and change only its blocks."""


def _packaged_loader() -> jinja2.BaseLoader:
    from .theme import packaged_theme

    return jinja2.PrefixLoader({PACKAGED_PREFIX: jinja2.FileSystemLoader(packaged_theme() / "templates")})


def _is_packaged(folder: Path) -> bool:
    """True for panelsite's own template folder (inside the package, or a checkout's theme/templates)."""
    from .theme import packaged_theme

    return folder.resolve() == (packaged_theme() / "templates").resolve()


_TemplateBytecode = TemplateBytecode  # compiled templates, kept checked in a private folder (issue 20)


_PAGE_TEMPLATES = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@cache
def _bytecode_cache(fingerprint: str = _PAGE_TEMPLATES) -> jinja2.BytecodeCache | None:
    """The shared cache, or None where no private temporary folder can be had (templates then compile each time)."""
    try:
        return _TemplateBytecode(fingerprint)
    except (OSError, RuntimeError):
        return None


def theme_bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """A cache of compiled templates for the site theme's own environment (MkDocs and Material's
    HTML templates, about 0.3 s to compile per edition), keyed by the options that shape its code."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else getattr(env.autoescape, "__qualname__", "")
    options = (
        "theme",
        jinja2.__version__,
        sorted(env.extensions),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        autoescape,
    )
    return _bytecode_cache(hashlib.sha256(repr(options).encode()).hexdigest()[:16])


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    budget = getattr(env, "budget", None)  # a council's templates: each page has its own loop budget
    if budget is not None:
        budget.reset()
    text = env.get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;'()&/+-]{0,300}")
"""Text that YAML writes as it is (no quotes): a letter first, then letters, digits and a few marks, with
no `: `, ` #`, brackets, braces or non-ASCII characters. The serializer's output for it is `key: text`."""
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _plain(text: Any) -> bool:
    return (
        isinstance(text, str)
        and _PLAIN_TEXT.fullmatch(text) is not None
        and not text.endswith(" ")
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG
    )  # not `yes`, `null`…


def front_matter(meta: dict[str, Any]) -> str:
    """Front matter written by a YAML serializer, so a title holding `: `, quotes or `#` stays a title.

    Most pages' front matter is a flat mapping of plain words, which is written here directly (in
    the serializer's own form, byte for byte); anything else goes through `yaml.safe_dump`.
    """
    if meta and all(_plain(key) and _plain(value) for key, value in meta.items()):
        return "---\n" + "".join(f"{key}: {value}\n" for key, value in meta.items()) + "---\n\n"
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6)
    return f"---\n{text}---\n\n"
