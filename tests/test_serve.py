"""Live preview: editing a data file rebuilds once and the page changes; no rebuild loop."""

import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import copy_fixture


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    port = free_port()
    with open(tmp_path / "serve.log", "w+") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/events/2017-05-11-thank-you/"
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
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_serve_young_builds_the_young_edition_on_every_rebuild_without_an_environment_variable(tmp_path):
    """The edition reaches the plugin as an in-process override, so each rebuild keeps it."""
    import os

    root = copy_fixture(tmp_path / "project")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "PANELSITE_EDITION"}
    with open(tmp_path / "serve.log", "w+") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--edition", "young", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
        )
        try:
            url = f"http://127.0.0.1:{port}/events/"
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
        finally:
            server.terminate()
            server.wait(timeout=20)
