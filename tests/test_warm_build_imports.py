"""A build whose charts are all in the cache never imports Matplotlib (it is the costliest import)."""

import os
import subprocess
import sys

import pytest

from tests.conftest import copy_fixture

BUILD_AND_REPORT = """
import sys
from generator.cli import main
assert main(["build"]) == 0
print("matplotlib imported" if any(name.split(".")[0] == "matplotlib" for name in sys.modules) else "no matplotlib")
"""


def _one_core() -> None:
    """Hold the build to one processor: its charts are then drawn in the process itself, not in forked workers."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def build(root, one_core: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_REPORT],
        cwd=root,
        capture_output=True,
        text=True,
        preexec_fn=_one_core if one_core else None,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_a_warm_build_never_imports_matplotlib_and_a_cold_one_does(tmp_path):
    root = copy_fixture(tmp_path / "project")
    # cold: the charts are drawn (on one core, in this process; on more, in forked workers that this
    # process's modules do not show)
    assert build(root, one_core=True) == "matplotlib imported"
    assert (root / "site" / "index.html").exists()
    assert build(root) == "no matplotlib"  # warm: every chart comes from .cache/panelsite/charts


def test_chart_keys_are_the_json_of_every_field_of_spec_and_style_and_the_words_in_the_file():
    import hashlib
    import json
    from dataclasses import asdict

    from generator import __version__
    from generator.charts import render_kpi_charts
    from generator.charts.render import CODE_HASH, RC, chart_key, matplotlib_version
    from generator.pipeline import load_project
    from tests.conftest import REPO

    seen = []

    class Recorder:
        def get_or_render(self, spec, style, render, words):
            seen.append((spec, style, words))
            return b""

    project = load_project(REPO / "site_config.yml")
    for kpi in list(project.dataset.kpis.values())[:4]:
        render_kpi_charts(kpi, "standard", Recorder())
    assert len(seen) >= 8  # four KPIs, each chart wide and narrow
    for spec, style, words in seen:
        payload = json.dumps(
            {
                "spec": asdict(spec),
                "style": asdict(style),
                "title": words[0],
                "desc": words[1],
                "rc": RC,
                "generator": __version__,
                "code": CODE_HASH,
                "matplotlib": matplotlib_version(),
            },
            sort_keys=True,
            default=str,
        )
        assert chart_key(spec, style, words) == hashlib.sha256(payload.encode()).hexdigest()[:32]
    assert len({chart_key(*one) for one in seen}) == len(set(seen))
