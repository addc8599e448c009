"""Event pictures: shown as figures with alt text and caption, only from content/, only while consent runs."""

from __future__ import annotations

from generator.cli import main
from tests.conftest import write
from tests.reader_view import read_page

EVENT = "data/events/2017-05-11-thank-you.yml"
PAGE = "site/events/2017-05-11-thank-you/index.html"


def _figures(html: str) -> list[str]:
    return [part.split("</figure>")[0] for part in html.split('<figure class="ps-image">')[1:]]


def test_picture_is_a_figure_with_alt_text_and_caption_in_both_editions(project) -> None:
    assert main(["build"]) == 0
    for page in (PAGE, "site/young/events/2017-05-11-thank-you/index.html"):
        html = (project / page).read_text(encoding="utf-8")
        [figure] = _figures(html)
        assert 'alt="A drawing of four balloons, blue, red, green and orange, tied to the ground."' in figure
        assert "Balloons for the thank-you event (a drawing, not a photograph)." in read_page(figure).text
        src = figure.split('src="')[1].split('"')[0]
        assert (project / page).parent.joinpath(src).resolve().is_file(), src


def test_a_missing_picture_is_a_located_error(project, capsys) -> None:
    event = project / EVENT
    event.write_text(event.read_text().replace("images/thank-you-balloons.png", "images/missing.png"))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert f"{EVENT}:15:10: images[0].src: no image file at this path under content/ (got 'images/missing.png')" in out


def test_a_picture_outside_content_is_refused(project, capsys) -> None:
    write(project, "secret.png", "not a picture")
    event = project / EVENT
    event.write_text(event.read_text().replace("images/thank-you-balloons.png", "../secret.png"))
    assert main(["check"]) == 1
    assert "images[0].src: an image path is relative to content/ and stays inside it" in capsys.readouterr().out


def test_a_picture_whose_consent_has_ended_is_not_published(project, capsys) -> None:
    event = project / EVENT
    event.write_text(event.read_text().replace("until: 2099-12-31", "until: 2020-01-31"))
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "warning: images[0].consent.until: consent ended on 2020-01-31, so this picture is not published" in out
    assert main(["build", "--no-strict"]) == 0
    assert _figures((project / PAGE).read_text(encoding="utf-8")) == []


def test_a_picture_needs_a_consent_record(project, capsys) -> None:
    event = project / EVENT
    lines = event.read_text().splitlines(keepends=True)
    event.write_text("".join(line for line in lines if "consent:" not in line))
    assert main(["check"]) == 1
    assert "images[0].consent: Field required" in capsys.readouterr().out
