"""Plain text in data comes out as text: markup in a field is shown, never run."""

from generator.cli import main
from generator.rendering import escape_text


def test_escape_text():
    assert escape_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_text("*bold* [link](x) a_b") == r"\*bold\* \[link\](x) a\_b"


def test_markup_in_a_text_field_is_shown_literally_in_the_built_page(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    event.write_text(event.read_text().replace(
        "what_happened: Young people and staff shared food and looked back on the year.",
        "what_happened: \"Fewer than <10 & *not* bold, _not_ italic, [a link](http://evil.example) | pipe\""))
    assert main(["build"]) == 0
    page = (project / "site/events/2017-05-11-thank-you/index.html").read_text()
    assert "Fewer than &lt;10 &amp; *not* bold, _not_ italic, [a link](http://evil.example) | pipe" in page
    assert "<em>not</em>" not in page
    assert 'href="http://evil.example"' not in page


def test_html_in_a_text_field_is_refused(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    event.write_text(event.read_text().replace("summary: A party", "summary: <script>alert(1)</script>A party"))
    assert main(["check"]) == 1
    assert "summary: HTML is not allowed in text; write plain text (got '<script>')" in capsys.readouterr().out
