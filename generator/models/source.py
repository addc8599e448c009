"""Source documents cited by the data: `data/sources.yml`."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import Slug, Strict, Text


class SourceDocument(Strict):
    id: Slug = Field(description="The id citations use, e.g. 'panel-2024-03-12'.")
    title: Text = Field(description="The document's title.")
    publisher: Text = Field(description="Who published it.")
    date: dt.date = Field(description="The date on the document.")
    url: Text | None = Field(None, description="Where the public can read it, if known.")


class Sources(Strict):
    documents: list[SourceDocument] = Field(min_length=1, description="Every document the data cites.")
