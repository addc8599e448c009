"""What MkDocs itself would refuse in `site_config.yml`, found by `check` as `build` finds it.

`panelsite build` hands the configuration to MkDocs, which validates every setting (a missing
`theme.custom_dir`, a `validation` level it does not know, a Markdown extension option that does
not exist). `check` runs the same validation here, without building, so that the two commands
accept exactly the same configurations; each refusal names the line of its setting.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, Problems, Severity
from .settings import config_document


def engine_problems(config_path: Path) -> Problems:
    """MkDocs' own verdict on the configuration (errors stop a build; warnings are shown)."""
    from mkdocs.config.defaults import MkDocsConfig

    from . import building  # noqa: F401 (MkDocs reads YAML with the safe loader from here on)

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
