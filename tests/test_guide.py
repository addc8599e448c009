"""The documentation's "Set up panelsite for your council" (docs/getting-started.md), followed word for word.

Every shell block is run as written (panelsite is already installed in this environment, so the
install block of step 1 is checked, not run), and the YAML block of step 3 replaces the settings
of the same name in the new site_config.yml, as the guide tells a reader to.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # the guide's six steps run in subprocesses: init, check, build

HEADING = "## Set up panelsite for your council"


def guide() -> str:
    page = (REPO / "docs" / "getting-started.md").read_text(encoding="utf-8")
    start = page.index(HEADING)
    end = page.index("\n## ", start + len(HEADING))
    return page[start:end]


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of each fenced block, with the list item's indentation removed."""
    found = []
    for match in re.finditer(r"^( *)```(\w+)\n(.*?)^\1```$", text, re.M | re.S):
        indent = len(match.group(1))
        body = "".join(line[indent:] + "\n" for line in match.group(3).splitlines())
        found.append((match.group(2), body))
    return found


def run(script: str, cwd: Path) -> Path:
    """Run a shell block with this environment's panelsite; returns the folder it ends in."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-euc", script + "pwd\n"], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def apply_settings(config: Path, snippet: str) -> None:
    """Replace each setting the snippet gives (its block of lines), or add it after area_name."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    for block in re.split(r"(?m)^(?= {6}\w)", snippet):
        if not block.strip():
            continue
        key = block.split(":", 1)[0]
        start = next((i for i, line in enumerate(lines) if line.startswith(key + ":")), None)
        if start is None:
            start = end = next(i for i, line in enumerate(lines) if line.startswith("      area_name:")) + 1
        else:
            end = start + 1
            while end < len(lines) and lines[end].startswith(" " * 7):
                end += 1
        lines[start:end] = [block]
    config.write_text("".join(lines), encoding="utf-8")


def test_the_guide_has_at_most_six_steps():
    steps = re.findall(r"^(\d+)\. \*\*", guide(), re.M)
    assert steps == [str(n) for n in range(1, len(steps) + 1)] and 1 <= len(steps) <= 6, steps


def test_following_the_guide_gives_a_built_site_with_the_councils_names(tmp_path):
    found = blocks(guide())
    assert [language for language, _ in found] == ["sh", "sh", "yaml", "sh", "sh"]
    (_, install), (_, start), (_, settings), (_, records), (_, build) = found
    assert "pip install" in install, "step 1 installs panelsite (already done here)"
    folder = run(start, tmp_path)
    apply_settings(folder / "site_config.yml", settings)
    run(records, folder)
    run(build, folder)
    site = folder / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Northby City Council" in home
    assert re.search(r'<a href="youth-voice/"[^>]*>\s*Youth Voice updates\s*</a>', home)
    assert "Corporate Parenting Board" in (site / "about/index.html").read_text(encoding="utf-8")
    offer = (site / "local-offer/money/index.html").read_text(encoding="utf-8")
    assert "Bus pass" in offer
    assert "Northby Care Leavers' Forum" in unescape((site / "local-offer/index.html").read_text(encoding="utf-8"))
    assert (site / "events/2025-07-01-summer-trip/index.html").is_file()
    assert (site / "young/youth-voice/index.html").is_file()
