"""Plain text in data comes out as text: markup in a field is shown, never run."""

from generator.cli import main
from generator.rendering import escape_text


def test_escape_text():
    assert escape_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_text("*bold* [link](x) a_b") == r"\*bold\* \[link\](x) a\_b"


def test_script_in_a_text_field_is_escaped_in_the_built_page(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    event.write_text(event.read_text().replace(
        "what_happened: Young people and staff shared food and looked back on the year.",
        "what_happened: \"<script>alert('x')</script> and <b>bold</b> and [a link](http://evil.example)\""))
    assert main(["build"]) == 0
    page = (project / "site/events/2017-05-11-thank-you/index.html").read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert" in page
    assert "<b>bold</b>" not in page
    assert 'href="http://evil.example"' not in page
