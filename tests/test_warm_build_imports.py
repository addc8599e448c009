"""A build whose charts are all in the cache never imports Matplotlib (it is the costliest import)."""

import subprocess
import sys

from tests.conftest import copy_fixture

BUILD_AND_REPORT = """
import sys
from generator.cli import main
assert main(["build"]) == 0
print("matplotlib imported" if any(name.split(".")[0] == "matplotlib" for name in sys.modules) else "no matplotlib")
"""


def build(root) -> str:
    done = subprocess.run([sys.executable, "-c", BUILD_AND_REPORT], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_warm_build_never_imports_matplotlib_and_a_cold_one_does(tmp_path):
    root = copy_fixture(tmp_path / "project")
    assert build(root) == "matplotlib imported"  # cold: the charts are drawn
    assert (root / "site" / "index.html").exists()
    assert build(root) == "no matplotlib"  # warm: every chart comes from .cache/panelsite/charts
