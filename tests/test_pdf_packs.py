"""Tagged PDF meeting packs: printed from the built pack pages, finished, and checked for structure.

Every held meeting of the demo gets a PDF; each must pass `generator.pdf_check` (the structure tree
covers all text, headings nest, figures have alt text, tables have header cells, title, language
and PDF/UA identification are set, and the headings' order is the page's).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.pdf_check import problems
from generator.pdf_packs import PackPdf, available, print_packs

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def printed(demo_build: Path, tmp_path_factory) -> tuple[Path, list[PackPdf]]:
    assert available() is None, available()
    out = tmp_path_factory.mktemp("pdf")
    packs = sorted((demo_build / "meetings").glob("*-pack/index.html"))
    assert packs, "the demo has meeting packs"
    jobs = [
        PackPdf(f"meetings/{p.parent.name}/", out / f"{p.parent.name}.pdf", f"Meeting pack {p.parent.name}")
        for p in packs
    ]
    print_packs(demo_build, jobs)
    return out, jobs


def test_every_pack_is_a_tagged_pdf_that_passes_the_structural_check(printed):
    _, jobs = printed
    failures = {job.pdf.name: problems(job.pdf) for job in jobs}
    assert not {name: found for name, found in failures.items() if found}


def test_title_language_and_bookmarks_are_set(printed):
    import pikepdf

    _, jobs = printed
    with pikepdf.open(jobs[-1].pdf) as pdf:
        assert str(pdf.docinfo["/Title"]) == jobs[-1].title
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines


def test_printing_again_gives_the_same_bytes(printed, demo_build, tmp_path):
    _, jobs = printed
    again = PackPdf(jobs[0].page, tmp_path / "again.pdf", jobs[0].title)
    print_packs(demo_build, [again])
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert digest(again.pdf) == digest(jobs[0].pdf)


def test_the_check_fails_an_untagged_pdf(printed, tmp_path):
    import pikepdf

    _, jobs = printed
    broken = tmp_path / "untagged.pdf"
    shutil.copy2(jobs[0].pdf, broken)
    with pikepdf.open(broken, allow_overwriting_input=True) as pdf:
        del pdf.Root["/StructTreeRoot"]
        pdf.save(broken)
    assert problems(broken) == ["no structure tree: the PDF is not tagged"]


def test_the_check_fails_a_figure_without_alt_text_and_a_missing_title(printed, tmp_path):
    import pikepdf

    _, jobs = printed
    broken = tmp_path / "broken.pdf"
    shutil.copy2(jobs[0].pdf, broken)
    with pikepdf.open(broken, allow_overwriting_input=True) as pdf:
        del pdf.docinfo["/Title"]
        del pdf.Root["/Lang"]
        pdf.save(broken)
    found = problems(broken)
    assert "no document title" in found and "no document language (/Lang)" in found
