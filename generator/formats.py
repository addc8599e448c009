"""Releases and formats: which format a council's folder is in, and what each release replaced.

A folder's format is `format:` in the panelsite section of `site_config.yml` (written by `init`
and `upgrade`); a folder without one is format 1, the format before releases were numbered. Every
field or setting a release removed or renamed is listed in `REPLACED`, so that the message a
council meets names the replacement and the release, and `panelsite upgrade` can do it for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import Problem

CURRENT_FORMAT = 2
"""The format this panelsite reads and writes."""

FORMAT_RELEASES = {1: "0.1", 2: "0.2"}
"""The release that introduced each format."""

UPGRADE = "or run `panelsite upgrade`"


@dataclass(frozen=True)
class Replaced:
    """A field a release removed or changed, in the model that held it, and what to write instead."""

    model: str
    field: str
    release: str
    change: str
    fix: str
    error_types: tuple[str, ...] = ()
    """Only these pydantic error types (empty: any), e.g. a text where a mapping is now expected."""
    upgrade: str = UPGRADE
    """What `panelsite upgrade` does about it, added to the message ("" when it cannot help)."""

    @property
    def _upgrade_words(self) -> str:
        if not self.upgrade:
            return ""
        return f" {self.upgrade}" if self.upgrade.startswith("(") else f", {self.upgrade}"

    def explain(self, problem: Problem) -> Problem:
        """The problem with a message that names the replacement and the release."""
        return replace(
            problem,
            message=f"{self.change} in {self.release}: {self.fix}" + self._upgrade_words,
            hint=None,
        )


REPLACED: tuple[Replaced, ...] = (
    Replaced(
        "Accessibility",
        "compliance",
        "0.2",
        "removed",
        "the statement's compliance status is worked out from manual_audit and known_issues; delete this line",
        ("extra_forbidden",),
    ),
    Replaced(
        "Accessibility",
        "known_issues.*",
        "0.2",
        "changed",
        "each known issue is a mapping; write `- problem: <the text>` (and `young_problem:` in plain words)",
        ("model_type", "dict_type"),
    ),
    Replaced(
        "Entitlement",
        "amount",
        "0.2",
        "changed",
        "an amount is data, not text; write `amount: {gbp: 3000, per: once}` for a sum, "
        "`amount: {varies: <how to find out>}` when it varies, or delete the line if it costs nothing",
        ("model_type", "dict_type"),
        "(`panelsite upgrade` converts plain sums and 'Free')",
    ),
    Replaced(
        "Image",
        "consent",
        "0.2",
        "required",
        "a photo is published only while its consent runs; add `consent: {given_by: <who agreed, by role>, "
        "until: YYYY-MM-DD}` once you have it, or remove the picture",
        ("missing",),
        "",
    ),
)


def _matches(pattern: str, field: str) -> bool:
    wanted, parts = pattern.split("."), field.split(".")
    return len(wanted) == len(parts) and all(w in ("*", p) for w, p in zip(wanted, parts, strict=True))


def explain_replaced(model: str, field: str, error_type: str, problem: Problem) -> Problem:
    """`problem` reworded when it comes from a field an earlier release used differently.

    `model` is the name of the model that holds the field and `field` its dotted path inside that
    model, list indexes written as `*` matches (`known_issues.0` matches `known_issues.*`).
    """
    for entry in REPLACED:
        wanted_type = not entry.error_types or error_type in entry.error_types
        if entry.model == model and _matches(entry.field, field) and wanted_type:
            return entry.explain(problem)
    return problem


def format_problem(found: object, where: tuple[str, int, int]) -> Problem | None:
    """A located error when `format:` is not a format this panelsite reads, else None."""
    file, line, column = where
    if isinstance(found, bool) or not isinstance(found, int) or found < 1:
        return Problem(
            file, line, column, "format", f"should be a whole number from 1 to {CURRENT_FORMAT}", repr(found)
        )
    if found > CURRENT_FORMAT:
        return Problem(
            file,
            line,
            column,
            "format",
            f"this folder is in format {found}, newer than this panelsite reads ({CURRENT_FORMAT})",
            hint="install a newer panelsite (`pip install --upgrade panelsite`); see `panelsite --version`",
        )
    return None
