"""Source documents cited by the data: `data/sources.yml`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from .common import Slug, Strict, Text, Url

UNDATED = "undated"
"""What `date` says of a document that carries no date of its own (a web page kept up to date)."""


def _stated_date(value: Any) -> Any:
    """The word `undated` is no date (None); a missing or empty date is refused, never assumed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"give the date on the document (YYYY-MM-DD), or `{UNDATED}` when it carries none")
    if isinstance(value, str) and value.strip().lower() == UNDATED:
        return None
    return value


StatedDate = Annotated[
    dt.date | None,
    BeforeValidator(_stated_date),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date"}, {"const": UNDATED}],
            "description": "YYYY-MM-DD, or `undated` for a document that carries no date.",
        }
    ),
]
"""A required date: a day, or the word `undated` (loaded as None) said on purpose."""


class SourceDocument(Strict):
    id: Slug = Field(description="The id citations use, e.g. 'panel-2024-03-12'.")
    title: Text = Field(description="The document's title.")
    publisher: Text = Field(description="Who published it.")
    date: StatedDate = Field(
        description="The date on the document (YYYY-MM-DD). Required: write `undated` for a document that "
        "carries no date of its own, such as a web page kept up to date; never guess one."
    )
    url: Url | None = Field(None, description="Where the public can read it, if known (https: or http:).")


class Sources(Strict):
    """The documents every record cites by id, such as a panel meeting's papers."""

    documents: list[SourceDocument] = Field(min_length=1, description="Every document the data cites.")
