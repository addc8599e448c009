"""Every sentence in data/ and content/ is our own: no run of 12 or more words from the source papers."""

import re

from tests.conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"
RUN = 12


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%']+", text.lower())


def shingles(text: str) -> set[str]:
    found = words(text)
    return {" ".join(found[i : i + RUN]) for i in range(len(found) - RUN + 1)}


def copied_runs(text: str, seed_shingles: set[str]) -> list[str]:
    return sorted(shingles(text) & seed_shingles)


def test_the_check_can_fail():
    seed = shingles("the panel noted the report and agreed that the service should continue to improve outcomes")
    ours = "Minutes: the panel noted the report and agreed that the service should continue to improve."
    assert copied_runs(ours, seed)
    assert not copied_runs("The panel read the report and asked for more work on outcomes.", seed)


def test_no_copied_prose_in_data_or_content():
    assert SEEDS.is_dir(), f"the source papers are expected at {SEEDS}"
    seed_shingles: set[str] = set()
    for seed in SEEDS.glob("*.txt"):
        seed_shingles |= shingles(seed.read_text(errors="ignore"))
    hits = []
    for folder in ("data", "content"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in {".yml", ".yaml", ".md"}:
                hits += [f"{path.relative_to(REPO)}: {run}" for run in copied_runs(path.read_text(), seed_shingles)]
    assert hits == [], "copied from the papers; rewrite in your own words:\n" + "\n".join(hits[:20])
