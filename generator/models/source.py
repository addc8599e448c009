"""Source documents cited by the data: `data/sources.yml`."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import Slug, Strict, Text, Url


class SourceDocument(Strict):
    id: Slug = Field(description="The id citations use, e.g. 'panel-2024-03-12'.")
    title: Text = Field(description="The document's title.")
    publisher: Text = Field(description="Who published it.")
    date: dt.date | None = Field(None, description="The date on the document, if it carries one.")
    url: Url | None = Field(None, description="Where the public can read it, if known (https: or http:).")


class Sources(Strict):
    documents: list[SourceDocument] = Field(min_length=1, description="Every document the data cites.")
