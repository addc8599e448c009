"""Quality gates for the young people's edition: reading level and jargon, measured on each page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import textstat

from .dataset import Dataset
from .errors import Problem, Problems, Severity
from .settings import Settings

ACRONYM = re.compile(r"\b([A-Z][A-Z&]{1,6})s?\b")
EXEMPT_FROM_JARGON = {"glossary/index.md"}
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "caption",
          "summary", "blockquote"}


class _TextExtractor(HTMLParser):
    """Collects the readable text of an HTML fragment, one entry per block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "svg"):
            self.skip += 1
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self.skip -= 1
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def main_text(page_markdown: str) -> list[str]:
    """The page's text blocks: front matter, markup and abbreviation definitions removed."""
    body = re.sub(r"\A---\n.*?\n---\n", "", page_markdown, flags=re.S)
    body = re.sub(r"^\*\[.+?\]:.*$", "", body, flags=re.M)
    body = re.sub(r'<p class="ps-edition-switch">.*?</p>', "", body)
    html = markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html", "def_list"])
    parser = _TextExtractor()
    parser.feed(html)
    parser._flush()
    return parser.blocks


def sentences(blocks: list[str]) -> list[str]:
    found = []
    for block in blocks:
        block = block if block.rstrip()[-1:] in ".!?:" else block + "."
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", block) if len(s.split()) > 0]
    return found


def reading_grade(blocks: list[str]) -> float:
    return float(textstat.flesch_kincaid_grade(" ".join(sentences(blocks))))


def hardest_sentences(blocks: list[str], count: int = 3) -> list[str]:
    scored = [(textstat.flesch_kincaid_grade(s), s) for s in sentences(blocks) if len(s.split()) >= 4]
    return [s for _, s in sorted(scored, key=lambda pair: -pair[0])[:count]]


def check_young_pages(pages: dict[str, str], dataset: Dataset, settings: Settings) -> Problems:
    """Reading level (a warning, so --strict fails) and jargon on every young page."""
    problems = Problems()
    glossary = dataset.glossary.terms if dataset.glossary else []
    known = {name.upper() for term in glossary for name in [term.term, *term.aliases]}
    disliked = {name.lower(): term for term in glossary if term.young_word for name in [term.term, *term.aliases]}
    for path, text in sorted(pages.items()):
        where = f"young edition page {path}"
        blocks = main_text(text)
        if not blocks:
            continue
        grade = reading_grade(blocks)
        if grade > settings.reading_grade_max:
            hardest = "; ".join(f"'{s[:90]}'" for s in hardest_sentences(blocks))
            problems.add(Problem(where, 1, 1, "", f"reading grade {grade:.1f} is above "
                                 f"{settings.reading_grade_max:g}", hint=f"hardest sentences: {hardest}",
                                 severity=Severity.WARNING))
        if path in EXEMPT_FROM_JARGON:
            continue
        plain = " ".join(blocks)
        for acronym in sorted({m.group(1) for m in ACRONYM.finditer(plain)}):
            if acronym not in known and acronym not in ("OK", "TV", "UK", "I"):
                problems.add(Problem(where, 1, 1, "", f"acronym {acronym} is not in the glossary",
                                     hint="write it out, or add it to data/glossary.yml"))
        lowered = plain.lower()
        for word, term in sorted(disliked.items()):
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                problems.add(Problem(where, 1, 1, "", f"'{word}' is a word young people dislike",
                                     hint=f"say '{term.young_word}' instead", severity=Severity.WARNING))
    return problems
