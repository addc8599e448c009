"""The CI workflows `panelsite init` writes: GitHub Actions and GitLab CI check and build the site
(with the PDF meeting packs) on each push and publish it from the main branch.

Each workflow's commands are run here as written, in a new site, except the lines that install
software (apt-get and pip): those are checked to install Chromium and the pinned release in
`requirements.txt`, which is what `make test` has already installed on this machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.cli import main

pytestmark = pytest.mark.browser  # the build prints the packs with Chromium

INSTALL = ("sudo apt-get", "apt-get", "python -m pip install")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ci") / "northby"
    assert main(["init", str(root), "--council", "Northby City Council"]) == 0
    return root


def _lines(script: str | list[str]) -> list[str]:
    commands = script if isinstance(script, list) else script.splitlines()
    return [line.strip() for line in commands if line.strip()]


def _run(site: Path, lines: list[str]) -> list[str]:
    """Run the lines that are not installs, in order, as the CI runner's shell would; returns the installs."""
    installs = [line for line in lines if line.startswith(INSTALL)]
    for line in lines:
        if line in installs or line.startswith(INSTALL):
            continue
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        done = subprocess.run(["bash", "-e", "-c", line], cwd=site, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{line!r} failed:\n{done.stdout}\n{done.stderr}"
    return installs


def test_requirements_pin_this_release_with_the_pdf_extra(site):
    pins = [line for line in (site / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert pins == [f"panelsite[pdf]=={__version__}"]


def test_the_github_workflow_checks_builds_and_publishes_from_main(site):
    workflow = yaml.safe_load((site / ".github" / "workflows" / "panelsite.yml").read_text())
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as true
    build = workflow["jobs"]["build"]
    commands = [line for step in build["steps"] if "run" in step for line in _lines(step["run"])]
    assert commands.index("panelsite check") < commands.index("panelsite build --pdf")
    installs = _run(site, commands)
    assert installs == [
        "sudo apt-get update",
        "sudo apt-get install -y chromium",
        "python -m pip install -r requirements.txt",
    ]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert (site / upload["with"]["path"] / "index.html").is_file()
    assert sorted((site / "site" / "meetings").glob("*-pack.pdf")), "the packs are printed"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.ref == 'refs/heads/main'" and deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_the_gitlab_pipeline_checks_builds_and_publishes_public_from_main(site, tmp_path):
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    build, pages = pipeline["build"], pipeline["pages"]
    installs = _run(site, _lines(build["script"]))
    assert installs == ["apt-get update && apt-get install -y chromium", "python -m pip install -r requirements.txt"]
    assert build["artifacts"]["paths"] == ["site"] and (site / "site" / "index.html").is_file()
    _run(site, _lines(pages["script"]))
    assert (site / "public" / "index.html").is_file() and pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": '$CI_COMMIT_BRANCH == "main"'}]
