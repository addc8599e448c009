"""Acronym markup: the Markdown abbreviation lines (`*[LAC]: ...`) for the glossary acronyms a page uses.

One pass per page: the page is split into words once and each word looked up in a set, so the
cost grows with the page, not with pages x terms. A term is found where it stands as a whole
word (as the regular expression `\\bTERM\\b` would find it); the few acronyms that hold a sign
such as `&` are searched for one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .editions import Edition
from .models.glossary import Glossary

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AbbreviationIndex:
    """The glossary's acronyms for one edition, ready to look up."""

    words: dict[str, str]  # an acronym made of letters -> its definition line
    others: tuple[tuple[re.Pattern[str], str], ...]  # acronyms with other signs, searched one by one

    def lines(self, text: str) -> list[str]:
        """The sorted definition lines of every acronym that `text` uses."""
        found = {self.words[word] for word in set(_WORD.findall(text)) if word in self.words}
        found.update(line for pattern, line in self.others if pattern.search(text))
        return sorted(found)


def build_index(glossary: Glossary | None, edition: Edition) -> AbbreviationIndex:
    """Index the acronyms that have an expansion; the young edition adds the plain meaning."""
    words: dict[str, str] = {}
    others: list[tuple[re.Pattern[str], str]] = []
    for term in glossary.terms if glossary else []:
        if not (term.is_acronym and term.expansion):
            continue
        meaning = term.expansion if edition == Edition.STANDARD else f"{term.expansion}: {term.young_meaning}"
        line = f"*[{term.term}]: {meaning.replace(chr(10), ' ')}"
        if _WORD.fullmatch(term.term):
            words[term.term] = line
        else:
            others.append((re.compile(rf"\b{re.escape(term.term)}\b"), line))
    return AbbreviationIndex(words, tuple(others))


_INDEXES: dict[tuple[int, str], tuple[Glossary | None, AbbreviationIndex]] = {}


def index_for(glossary: Glossary | None, edition: Edition) -> AbbreviationIndex:
    """The index of this glossary (the same object) and edition, built once and reused."""
    key = (id(glossary), edition)
    cached = _INDEXES.get(key)
    if cached is None or cached[0] is not glossary:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = _INDEXES[key] = (glossary, build_index(glossary, edition))
    return cached[1]


def with_abbreviations(text: str, glossary: Glossary | None, edition: Edition) -> str:
    """`text` with the abbreviation definitions of the acronyms it uses appended (MkDocs' `abbr`)."""
    if not glossary:
        return text
    lines = index_for(glossary, edition).lines(text)
    return text + ("\n" + "\n".join(lines) + "\n" if lines else "")
