"""Golden tests: the generated Markdown of one page of each kind, compared with reviewed copies.

After an intended change, regenerate with `UPDATE_GOLDEN=1 pytest tests/test_golden.py` and review
the diff of tests/golden/ before committing it.
"""

import os
from pathlib import Path

import pytest

from generator.pipeline import generate, load_project
from tests.conftest import copy_built

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "standard": [
        "index.md",
        "performance/index.md",
        "performance/care-leavers-in-education-employment-training.md",
        "lac-council/2017-06-lac-council.md",
        "pledge/index.md",
        "local-offer/money.md",
        "local-offer/for/18-20.md",
        "events/2017-05-11-thank-you.md",
        "meetings/2017-07-18.md",
        "glossary/index.md",
    ],
    "young": [
        "index.md",
        "performance/children-looked-after.md",
        "lac-council/2017-06-lac-council.md",
        "pledge/index.md",
        "local-offer/for/18-20.md",
        "local-offer/speak-up.md",
        "events/2017-05-11-thank-you.md",
        "glossary/index.md",
    ],
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory, fixture_build):
    # The fixture project with the chart cache of the session's build of it (the pages, not the
    # charts, are compared here).
    root = copy_built(fixture_build, tmp_path_factory.mktemp("golden") / "project", site=False)
    project = load_project(root / "site_config.yml")
    return {edition: generate(project, edition) for edition in PAGES}


@pytest.mark.parametrize(("edition", "page"), [(e, p) for e, pages in PAGES.items() for p in pages])
def test_generated_page_matches_golden(sites, edition, page):
    text = sites[edition].pages[page]
    golden = GOLDEN / edition / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden copy of {edition}/{page}; run with UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")
