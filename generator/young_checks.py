"""Quality gates for the young people's edition: reading level and jargon, measured on each page."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import markdown
import textstat

from .content import ContentPage
from .dataset import Dataset, problem_at, walk
from .errors import Problem, Problems, Severity
from .private_cache import JsonStore
from .settings import Settings
from .urls import Urls
from .yamlio import dotted

ACRONYM = re.compile(r"\b([A-Z][A-Z&]{1,6})s?\b")
BLOCKS = {
    "p",
    "li",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "summary",
    "blockquote",
}


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


@cache
def _converter() -> markdown.Markdown:
    """One Markdown converter for every page (reset before each): making one per page cost more than converting."""
    return markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "def_list"])


_TEXT_STORE = JsonStore(
    "young-text", hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16] + f"-markdown-{markdown.__version__}"
)


def main_text(page_markdown: str) -> list[str]:
    """The page's text blocks: front matter, markup and abbreviation definitions removed.

    Kept between builds by the page's text (`private_cache`): an unchanged page is not converted again.
    """
    kept = _TEXT_STORE.get(page_markdown, _blocks)
    if kept is not None:
        return kept
    blocks = _main_text(page_markdown)
    _TEXT_STORE.put(page_markdown, blocks)
    return blocks


def _blocks(kept: object) -> list[str] | None:
    """A kept entry when it is a list of text blocks; anything else is made again."""
    if isinstance(kept, list) and all(isinstance(block, str) for block in kept):
        return kept
    return None


def _main_text(page_markdown: str) -> list[str]:
    body = re.sub(r"\A---\n.*?\n---\n", "", page_markdown, flags=re.S)
    body = re.sub(r"^\*\[.+?\]:.*$", "", body, flags=re.M)
    body = re.sub(r'<p class="ps-edition-switch">.*?</p>', "", body)
    html = _converter().reset().convert(body)
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


class TextLocator:
    """Finds the YAML field or hand-written line that holds a piece of a young page's text.

    Gate messages then name `file:line:col: field`, where the author can fix the words, rather than
    the generated page. Young fields (`young:` blocks, `young_meaning`) are searched first.
    """

    def __init__(
        self, dataset: Dataset, content: list[ContentPage] | None = None, settings: Settings | None = None
    ) -> None:
        self.dataset, self.content, self.settings = dataset, content, settings
        self._fields: list[tuple[int, str, int, int, str, str]] | None = None
        self._lines: list[tuple[str, int, str]] | None = None

    @property
    def fields(self) -> list[tuple[int, str, int, int, str, str]]:
        """Every text field, young ones first; gathered on the first search (a clean build makes none)."""
        if self._fields is None:
            documents = list(self.dataset.documents.values())
            if self.settings is not None and self.settings._origin is not None:
                documents.append(self.settings._origin[0])
            fields = []
            for doc in documents:
                for loc, value in walk(doc.data):
                    if isinstance(value, str) and value.strip():
                        rank = 0 if any("young" in str(part) for part in loc) else 1
                        line, column = doc.where(loc)
                        fields.append((rank, doc.display, line, column, dotted(loc), " ".join(value.split())))
            fields.sort(key=lambda field: field[0])
            self._fields = fields
        return self._fields

    @property
    def lines(self) -> list[tuple[str, int, str]]:
        """Every line of the hand-written pages, read on the first search."""
        if self._lines is None:
            self._lines = [
                (page.display, number, line)
                for page in self.content or []
                for number, line in enumerate(page.file.read_text(encoding="utf-8").splitlines(), 1)
            ]
        return self._lines

    def find(self, snippet: str, word: bool = False) -> tuple[str, int, int, str] | None:
        """(file, line, column, field) of the first text holding `snippet` (as a whole word if `word`)."""
        wanted = " ".join(snippet.split())
        pattern = re.compile(rf"\b{re.escape(wanted)}\b", re.I) if word else None

        def holds(text: str) -> bool:
            return bool(pattern.search(text)) if pattern else wanted in text

        for _, file, line, column, field, text in self.fields:
            if holds(text):
                return file, line, column, field
        for file, line, text in self.lines:
            if holds(text):
                return file, line, 1, ""
        return None


def check_young_pages(
    pages: dict[str, str], dataset: Dataset, settings: Settings, content: list[ContentPage] | None = None
) -> Problems:
    """Reading level (a warning, so --strict fails) and jargon on every young page, located at their source."""
    found_on: dict[tuple, list[str]] = {}
    locator = TextLocator(dataset, content, settings)
    glossary = dataset.glossary.terms if dataset.glossary else []
    known = {name.upper() for term in glossary for name in [term.term, *term.aliases]}
    disliked = {name.lower(): term for term in glossary if term.young_word for name in [term.term, *term.aliases]}
    for path, text in sorted(pages.items()):

        def problem(
            message: str,
            snippet: str,
            hint: str,
            severity: Severity = Severity.ERROR,
            word: bool = False,
            path: str = path,
        ) -> tuple[tuple, str]:
            found = locator.find(snippet, word) if snippet else None
            file, line, column, field = found or (f"young edition page {path}", 1, 1, "")
            return (file, line, column, field, message, severity, hint), path if found else ""

        blocks = main_text(text)
        if not blocks:
            continue
        grade = reading_grade(blocks)
        if grade > settings.reading_grade_max:
            hardest_list = hardest_sentences(blocks)
            hardest = "; ".join(f"'{s[:90]}'" for s in hardest_list)
            _note(
                found_on,
                *problem(
                    f"reading grade {grade:.1f} is above {settings.reading_grade_max:g}",
                    _searchable(hardest_list[0]) if hardest_list else "",
                    f"hardest sentences: {hardest}",
                    Severity.WARNING,
                ),
            )
        if path == Urls(settings.children_council.slug).glossary():  # the page that explains the words
            continue
        plain = " ".join(blocks)
        for acronym in sorted({m.group(1) for m in ACRONYM.finditer(plain)}):
            if acronym not in known and acronym not in ("OK", "TV", "UK", "I"):
                _note(
                    found_on,
                    *problem(
                        f"acronym {acronym} is not in the glossary",
                        acronym,
                        "write it out, or add it to data/glossary.yml",
                        word=True,
                    ),
                )
        lowered = plain.lower()
        for word, term in sorted(disliked.items()):
            if word in lowered and re.search(rf"\b{re.escape(word)}\b", lowered):
                _note(
                    found_on,
                    *problem(
                        f"'{word}' is a word young people dislike",
                        word,
                        f"say '{term.young_word}' instead",
                        Severity.WARNING,
                        word=True,
                    ),
                )
    problems = Problems()
    for (file, line, column, field, message, severity, hint), paths in found_on.items():
        shown = [p for p in paths if p]
        if shown:
            message += f" (young edition page{'s' * (len(shown) > 1)} {', '.join(shown)})"
        problems.add(Problem(file, line, column, field, message, hint=hint, severity=severity))
    return problems


def _note(found_on: dict[tuple, list[str]], key: tuple, path: str) -> None:
    """Collect one problem per place in the source, with every young page that shows it."""
    same_place = next((k for k in found_on if k[:5] == key[:5]), None)
    found_on.setdefault(same_place or key, []).append(path)


def _searchable(sentence: str) -> str:
    """The start of a sentence, short enough to sit inside one field even when the page joined two."""
    words = sentence.rstrip(".!?").split()
    return " ".join(words[:8])


def check_young_requirements(dataset: Dataset, settings: Settings) -> Problems:
    """A record shown in the young edition must carry its own young text; no silent fallback."""
    problems = Problems()
    for index, kpi_id in enumerate(settings.young_kpis):
        kpi = dataset.kpis.get(kpi_id)
        if kpi is None and dataset.exists("kpis", kpi_id):
            continue
        if kpi is None:
            problems.add(
                Problem(
                    *settings.where(("young_kpis", index)),
                    f"young_kpis[{index}]",
                    "no KPI with this id in data/kpis/",
                    repr(kpi_id),
                )
            )
        elif kpi.young is None:
            doc = dataset.documents[dataset.origin("kpis", kpi_id)]
            problems.add(
                problem_at(
                    doc,
                    ("young",),
                    "listed in young_kpis in site_config.yml, so it needs a `young:` block with title and explanation",
                )
            )
    return problems
