"""What MkDocs itself would refuse in `site_config.yml`, found by `check` as `build` finds it.

`panelsite build` hands the configuration to MkDocs, which validates every setting (a missing
`theme.custom_dir`, a `validation` level it does not know, a Markdown extension option that does
not exist). `check` runs the same validation here, without building, so that the two commands
accept exactly the same configurations; each refusal names the line of its setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import Problem, Problems, Severity
from .settings import config_document, refuse_unsafe_config


def engine_problems(config_path: Path) -> Problems:
    """MkDocs' own verdict on the configuration (errors stop a build; warnings are shown)."""
    from mkdocs.config.defaults import MkDocsConfig

    problems = Problems()
    doc = config_document(config_path)
    if doc is None:
        return problems  # the reading problems are reported by load_settings
    config = MkDocsConfig(config_file_path=str(config_path))
    config.load_dict(doc.data)
    errors, warnings = config.validate()
    for severity, found in ((Severity.ERROR, errors), (Severity.WARNING, warnings)):
        for key, error in found:
            line, column = doc.key_where((key,))
            message = _one_line(str(error)) or type(error).__name__
            problems.add(Problem(doc.display, line, column, key, message, severity=severity))
    return problems


def _one_line(text: str) -> str:
    """MkDocs' message without the traceback it sometimes quotes: its first line and the error itself."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and any(line.startswith(("File ", "Traceback")) for line in lines):
        return f"{lines[0].rstrip('.')}: {lines[-1]}"
    return " ".join(lines)


@contextmanager
def refusing_unsafe_reloads() -> Iterator[None]:
    """While `panelsite serve` runs, MkDocs reads the configuration again on every rebuild, with its
    own loader: a `hooks:` (or a plugin, or `!ENV`) added to the file meanwhile would be imported
    or read before any panelsite code runs. Inside this block MkDocs' serve reads it only after
    `refuse_unsafe_config` found nothing; otherwise the rebuild stops with the located problems."""
    from mkdocs.commands import serve
    from mkdocs.exceptions import Abort

    original = serve.load_config

    def checked(config_file: str | None = None, **kwargs: Any) -> Any:
        if config_file:
            problems = refuse_unsafe_config(Path(config_file))
            if problems.has_errors:
                raise Abort(problems.format())
        return original(config_file=config_file, **kwargs)

    serve.load_config = checked  # type: ignore[assignment]
    try:
        yield
    finally:
        serve.load_config = original
