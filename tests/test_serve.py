"""Live preview: editing a data file rebuilds once and the page changes; no rebuild loop."""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import copy_fixture

pytestmark = pytest.mark.slow  # panelsite serve in a subprocess, edits and waits for reloads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(
    root: Path, log_path: Path, *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, IO[str]]]:
    """`panelsite serve` in a subprocess on a free port, stopped on leaving; yields its address and its
    log (what it printed, read with `log.seek(0)`)."""
    port = free_port()
    with open(log_path, "w+") as log:
        command = [sys.executable, "-m", "generator", "serve", *options, "--dev-addr", f"127.0.0.1:{port}"]
        server = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            yield f"http://127.0.0.1:{port}", log
        finally:
            server.terminate()
            server.wait(timeout=20)


def fetch(url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_editing_data_reloads_without_loops(tmp_path):
    root = copy_fixture(tmp_path / "project")
    with serving(root, tmp_path / "serve.log") as (base, log):
        url = f"{base}/events/2017-05-11-thank-you/"
        assert "Thank-you event for young people" in fetch(url)
        event = root / "data/events/2017-05-11-thank-you.yml"
        event.write_text(event.read_text().replace("Thank-you event for young people", "Thank-you party, renamed"))
        deadline = time.monotonic() + 60
        while "Thank-you party, renamed" not in fetch(url):
            assert time.monotonic() < deadline, "the page never picked up the edit"
            time.sleep(0.5)
        time.sleep(4)  # long enough for a loop to show itself
        log.seek(0)
        output = log.read()
        assert output.count("Building documentation") == 2, output


def test_serve_young_builds_the_young_edition_on_every_rebuild_without_an_environment_variable(tmp_path):
    """The edition reaches the plugin as an in-process override, so each rebuild keeps it."""
    import os

    root = copy_fixture(tmp_path / "project")
    environment = {k: v for k, v in os.environ.items() if k != "PANELSITE_EDITION"}
    with serving(root, tmp_path / "serve.log", "--edition", "young", env=environment) as (base, log):
        url = f"{base}/events/"
        assert "ps-edition-switch" in fetch(url) and "young.css" in fetch(url)
        event = root / "data/events/2017-05-11-thank-you.yml"
        event.write_text(event.read_text().replace("summary: ", "summary: Renamed. ", 1))
        deadline = time.monotonic() + 60
        log.seek(0)
        while log.read().count("Building documentation") < 2:
            assert time.monotonic() < deadline, "the edit never triggered a rebuild"
            time.sleep(0.5)
            log.seek(0)
        time.sleep(2)
        assert "young.css" in fetch(url), "the rebuild went back to the standard edition"
