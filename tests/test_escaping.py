"""Plain text in data comes out as text: markup in a field is shown, never run."""

import json
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.cli import main
from generator.escaping import attr, escape_block, escape_text
from tests.conftest import write
from tests.reader_view import attribute_names, read_fragment, read_page


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


AWKWARD = [
    'It\'s "ours" & yours',
    "#1 *star* _under_ a_b",
    "{curly} { #id } { .class onmouseover=x }",
    "[x](y) ![i](j) <3 a < b > c",
    "50% 🎉 \\ back\\slash `code`",
    "{{ nope }} {% nope %}",
    "&amp; &#35; &lt;",
    "~tilde~ | pipe |",
    "- not a list",
    "1. not a list",
    ": not a definition",
    "Title: with a colon",
    "*[LAC]: not an abbreviation",
    "=== not an underline",
]
EXTENSIONS = ["abbr", "attr_list", "md_in_html", "def_list", "tables", "admonition", "toc"]
# Every way a template places a value: (name, Markdown around {}).
CONTEXTS = {
    "paragraph": "{}",
    "heading": "## {}",
    "heading with an id": "## {} {{ #anchor }}",
    "list item": "- {}",
    "emphasis": "**Label:** {}",
    "table cell": "| A |\n|---|\n| {} |",
    "raw HTML block": "<table><tr><td>{}</td></tr></table>",
    "raw paragraph": '<p class="x">{}</p>',
    "markdown in HTML": "<div markdown>\n\n{}\n\n</div>",
    "figure caption": "<figure markdown>\n<figcaption>{}</figcaption>\n</figure>",
}


@pytest.mark.parametrize("text", AWKWARD)
@pytest.mark.parametrize("context", CONTEXTS)
def test_escaped_text_reads_exactly_as_written_in_every_context(text: str, context: str) -> None:
    html = markdown.markdown(CONTEXTS[context].format(escape_text(text)), extensions=EXTENSIONS)
    plain = markdown.markdown(CONTEXTS[context].format("PLACEHOLDER"), extensions=EXTENSIONS)
    assert read_fragment(html) == read_fragment(plain).replace("PLACEHOLDER", text), html
    assert not attribute_names(html) - {"id", "class", "markdown"}, html


@pytest.mark.parametrize("text", AWKWARD)
def test_escaped_text_in_an_attribute_and_image_alt_reads_as_written(text: str) -> None:
    html = markdown.markdown(
        f'<p><img src="x.png" alt="{attr(text)}"></p>\n\n![{escape_text(text)}](y.png)', extensions=EXTENSIONS
    )
    assert read_page(html).attributes == [text, text]


def test_blocks_keep_their_paragraphs_and_nothing_else() -> None:
    html = markdown.markdown(escape_block("- first\n\n# second\n\n> third"), extensions=EXTENSIONS)
    assert [p.strip() for p in html.split("</p>") if p.strip()] == [
        "<p>&#45; first",
        "<p>&#35; second",
        "<p>&gt; third",
    ]


def test_markup_in_a_text_field_is_shown_literally_in_the_built_page(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    event.write_text(
        event.read_text().replace(
            "what_happened: Young people and staff shared food and looked back on the year.",
            'what_happened: "Fewer than <10 & *not* bold, _not_ italic, [a link](http://evil.example) | pipe"',
        )
    )
    assert main(["build"]) == 0
    page = (project / "site/events/2017-05-11-thank-you/index.html").read_text()
    assert "Fewer than <10 & *not* bold, _not_ italic, [a link](http://evil.example) | pipe" in read_page(page).blocks
    assert "<em>not</em>" not in page
    assert 'href="http://evil.example"' not in page


def test_html_in_a_text_field_is_refused(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    event.write_text(event.read_text().replace("summary: A party", "summary: <script>alert(1)</script>A party"))
    assert main(["check"]) == 1
    assert "summary: HTML is not allowed in text; write plain text (got '<script>')" in capsys.readouterr().out


class _Tags(HTMLParser):
    """Every element name (and `on…` attribute) in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: set[str] = set()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers |= {name for name, _ in attrs if name.startswith("on")}
        self.hrefs |= {value or "" for name, value in attrs if name in ("href", "src")}


HOSTILE_TITLE = "Children <javascript:alert(1)> <mailto:office> <https://evil.example/x>"


def test_a_title_with_an_autolink_or_element_is_text_in_every_page_the_nav_and_search(project, capsys):
    """Before issue 20 the title went raw into the front matter, which MkDocs reads as HTML: the
    search index (shown by Material as HTML) and the nav carried live elements."""
    kpi = project / "data/kpis/children-looked-after.yml"
    kpi.write_text(kpi.read_text().replace("title: Children looked after", f'title: "{HOSTILE_TITLE}"', 1))
    write(project, "content/about.md", f'---\ntitle: "{HOSTILE_TITLE}"\n---\n\n# About\n\nText.\n')
    assert main(["build"]) == 0, capsys.readouterr().out
    pages = sorted((project / "site").rglob("*.html"))
    assert pages
    for page in pages:
        html_text = page.read_text(encoding="utf-8")
        parser = _Tags()
        parser.feed(html_text)
        assert not any(tag.startswith("javascript") for tag in parser.tags), page
        assert "onerror" not in parser.handlers, page
        assert not any("evil.example" in href or href.startswith("javascript") for href in parser.hrefs), page
    kpi_page = (project / "site/performance/children-looked-after/index.html").read_text(encoding="utf-8")
    assert "Children &lt;javascript:alert(1)&gt;" in kpi_page
    index = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "<javascript" not in doc["title"] and "<img" not in doc["title"], doc["title"]
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    escaped = HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")
    assert titles["performance/children-looked-after/"] == escaped
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert escaped in home  # the content page's nav label, as text
