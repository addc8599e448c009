"""Page kind: the accessibility statement, generated from site_config.yml in GOV.UK's model sections."""

from __future__ import annotations

from dataclasses import dataclass

from ..accessibility import Statement
from .kind import Build, NothingAhead, Page, documented


@dataclass(frozen=True)
class StatementContext:
    """accessibility.md (accessibility.md.j2): the statement the 2018 regulations require."""

    statement: Statement = documented(
        "Everything the statement says: `council`, `site_name`, `status`, "
        "`reason`, `known_issues`, `audit`, `out_of_scope`, `report`, "
        "`response_days`, `prepared_on`, `reviewed_on`, `tested_by`."
    )


class StatementPages(NothingAhead):
    """The accessibility statement, when `accessibility` is configured."""

    name = "accessibility"
    templates: dict[str, type] = {"accessibility.md.j2": StatementContext}

    def plan(self, build: Build) -> list[Page]:
        """One page, or none without configured facts."""
        if build.statement is None:
            return []
        title = "Can everyone use this site?" if build.young else "Accessibility statement"
        return [Page(build.urls.accessibility(), "accessibility.md.j2", title, StatementContext(build.statement), True)]


KIND = StatementPages()
