"""Tagged PDF meeting packs: `panelsite build --pdf` prints every pack, finishes it and links it.

Every meeting of the demo with an agenda gets `meetings/<date>-pack.pdf`; each must pass
`generator.pdf_check` (the structure tree covers all text and drawing, headings nest, figures have
alt text, tables have header cells, title, language and PDF/UA identification are set, and the
headings are read in the page's order), and the meeting page and pack page link it with its size.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.pdf_check import problems
from generator.pdf_packs import PackPdf, print_packs
from generator.pipeline import load_project
from tests.conftest import REPO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def packs(demo_build: Path) -> list[Path]:
    found = sorted((demo_build / "meetings").glob("*-pack.pdf"))
    return found


def test_every_meeting_with_an_agenda_has_a_pdf_pack(demo_build, packs):
    project = load_project(REPO / "site_config.yml")
    expected = sorted(f"{m.date.isoformat()}-pack.pdf" for m in project.dataset.meetings.values() if m.agenda)
    assert [p.name for p in packs] == expected and expected


def test_every_pack_passes_the_structural_check(packs):
    failures = {pdf.name: problems(pdf) for pdf in packs}
    assert not {name: found for name, found in failures.items() if found}


def test_title_language_outline_and_pdf_ua_are_set(packs):
    import pikepdf

    with pikepdf.open(packs[-1]) as pdf:
        assert re.fullmatch(r".+: meeting pack, \d{1,2} \w+ \d{4}", str(pdf.docinfo["/Title"]))
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert "/First" in pdf.Root.Outlines
        with pdf.open_metadata() as meta:
            assert str(meta["pdfuaid:part"]) == "1"


def test_meeting_and_pack_pages_link_the_pdf_with_its_size(demo_build, packs):
    pdf = packs[-1]
    day = pdf.name.removesuffix("-pack.pdf")
    kilobytes = max(1, round(pdf.stat().st_size / 1000))
    for page in (demo_build / "meetings" / day / "index.html", demo_build / "meetings" / f"{day}-pack" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert f'href="../{day}-pack.pdf"' in html, page
        assert f"(PDF, {kilobytes} KB)" in html, page


def test_the_accessibility_statement_says_how_the_pdfs_were_checked(demo_build):
    html = (demo_build / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert "tagged PDF" in html and "headings go down one level at a time" in html


def test_printing_the_same_page_twice_gives_the_same_bytes(demo_build, packs, tmp_path):
    page = f"meetings/{packs[0].stem}/"
    first, second = PackPdf(page, tmp_path / "first.pdf", "A pack"), PackPdf(page, tmp_path / "second.pdf", "A pack")
    print_packs(demo_build, [first, second])
    assert first.pdf.read_bytes() == second.pdf.read_bytes()


def test_the_check_fails_an_untagged_pdf(packs, tmp_path):
    import pikepdf

    broken = tmp_path / "untagged.pdf"
    shutil.copy2(packs[0], broken)
    with pikepdf.open(broken, allow_overwriting_input=True) as pdf:
        del pdf.Root["/StructTreeRoot"]
        pdf.save(broken)
    assert problems(broken) == ["no structure tree: the PDF is not tagged"]


def test_the_check_fails_a_missing_title_and_language(packs, tmp_path):
    import pikepdf

    broken = tmp_path / "broken.pdf"
    shutil.copy2(packs[0], broken)
    with pikepdf.open(broken, allow_overwriting_input=True) as pdf:
        del pdf.docinfo["/Title"]
        del pdf.Root["/Lang"]
        pdf.save(broken)
    found = problems(broken)
    assert "no document title" in found and "no document language (/Lang)" in found


def test_pdf_without_chromium_says_how_to_install_it_and_stops(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PANELSITE_CHROMIUM", str(tmp_path / "no-such-chromium"))
    config = tmp_path / "site_config.yml"
    shutil.copy2(REPO / "site_config.yml", config)
    assert main(["--config", str(config), "build", "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and not (tmp_path / "site").exists()
