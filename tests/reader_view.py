"""What a reader sees on a built page: its title, first heading and visible text, read from the HTML.

Shared by the reader-level tests. Text is taken as a browser shows it (character references
decoded, scripts, styles and drawings left out), so anything that leaked from Markdown, a
template or front matter, or was escaped twice, is visible here exactly as a reader would see it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SKIPPED = {"script", "style", "svg", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READABLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

# What must never reach a reader, each with the name a failure message gives it.
LEAKS = {
    "character reference shown as text": re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]{1,30});", re.I),
    "backslash escape": re.compile(r"\\[\\`*_{}\[\]()#+\-.!|>~]"),
    "Markdown link or image": re.compile(r"\]\("),
    "Markdown emphasis": re.compile(r"\*\*\S|\S\*\*"),
    "Markdown quote marker": re.compile(r"(?:^|\n)\s*> "),
    "Markdown abbreviation or attribute list": re.compile(r"\*\[|\{:|\{\s*#[\w-]|\{\s*\.[\w-]"),
    "template syntax": re.compile(r"\{\{|\}\}|\{%|%\}"),
    "front matter": re.compile(r"(?:^|\n)\s*(?:title|nav_order|editions):\s|(?:^|\n)---(?:\n|$)"),
    "doubled full stop": re.compile(r"(?<![.])\.\.(?![.])"),
    "HTML tag shown as text": re.compile(r"</?(?:small|strong|em|p|div|span|br|table|tr|td|a)\b[^<>]*>"),
}


@dataclass
class ReaderView:
    """One page as read: the browser title, the first heading, each block of text, readable attributes."""

    title: str = ""
    h1: str = ""
    blocks: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


class _Reader(HTMLParser):
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
        "title",
        "a",
        "label",
        "button",
        "div",
        "nav",
        "header",
        "footer",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.view = ReaderView()
        self.stack: list[str] = []
        self.skip = 0
        self.current: list[str] = []
        self.in_title = False
        self.in_h1 = False
        self.h1_parts: list[str] = []
        self.title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in SKIPPED or "hidden" in attributes:
            if tag not in VOID:
                self.skip += 1
                self.stack.append(f"skip:{tag}")
            return
        if not self.skip:
            for name in READABLE_ATTRIBUTES:
                if attributes.get(name):
                    self.view.attributes.append(str(attributes[name]))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in self.BLOCKS:
            self._flush()
        if tag == "title":
            self.in_title = True
        if tag == "h1" and not self.view.h1 and not self.h1_parts:
            self.in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            top = self.stack.pop()
            if top.startswith("skip:"):
                self.skip -= 1
                if top == f"skip:{tag}":
                    break
                continue
            if top == tag:
                break
        if tag in self.BLOCKS:
            self._flush()
        if tag == "title":
            self.in_title = False
            self.view.title = _squash("".join(self.title_parts))
        if tag == "h1" and self.in_h1:
            self.in_h1 = False
            self.view.h1 = _squash("".join(self.h1_parts))

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.current.append(data)
        if self.in_title:
            self.title_parts.append(data)
        if self.in_h1:
            self.h1_parts.append(data)

    def _flush(self) -> None:
        text = _squash("".join(self.current))
        if text:
            self.view.blocks.append(text)
        self.current = []


def _squash(text: str) -> str:
    return " ".join(text.split())


def read_page(html: str) -> ReaderView:
    """The reader's view of one HTML page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    return reader.view


def read_fragment(html: str) -> str:
    """The text a browser shows for an HTML fragment (as search results show the index's text)."""
    return read_page(f"<div>{html}</div>").text


def leaks(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every leak in `text` as 'kind: …context…', after removing texts that were written that way."""
    for written in sorted(allowed, key=len, reverse=True):
        text = text.replace(written, " ")
    found = []
    for kind, pattern in LEAKS.items():
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{kind}: …{text[start : match.end() + 40]}…")
    return found


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (both editions), 404 pages aside."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def search_texts(site: Path) -> list[tuple[str, str]]:
    """(location, text as shown) for every title and text in every search index of the site."""
    found = []
    for index in sorted(site.rglob("search/search_index.json")):
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            where = f"{index.relative_to(site)}#{doc.get('location', '')}"
            found.append((where, read_fragment(doc.get("title", ""))))
            found.append((where, read_fragment(doc.get("text", ""))))
    return found


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.update(name for name, _ in attrs)


def attribute_names(html: str) -> set[str]:
    """Every attribute name used by any element of the page."""
    parser = _Attributes()
    parser.feed(html)
    return parser.names
