"""The glossary: `data/glossary.yml`, one entry per term or acronym."""

from __future__ import annotations

from pydantic import Field

from .common import Strict, Text


class Term(Strict):
    term: Text = Field(description="The word or acronym as it appears, e.g. 'PEP'.")
    expansion: Text | None = Field(None, description="What an acronym stands for, e.g. 'Personal Education Plan'.")
    meaning: Text = Field(description="What it means.")
    young_meaning: Text = Field(description="What it means, in words a 10-year-old would follow.")
    young_word: Text | None = Field(
        None, description="A friendlier word young people prefer, e.g. 'home' for placement."
    )
    aliases: list[Text] = Field(default_factory=list, description="Other spellings or forms, e.g. 'placements'.")

    @property
    def is_acronym(self) -> bool:
        return self.term.isupper() and self.term.replace("&", "").isalpha() and len(self.term) >= 2


class Glossary(Strict):
    """The words and acronyms the site explains; an acronym gets its meaning wherever a page uses it."""

    terms: list[Term] = Field(min_length=1, description="The terms, in any order.")
