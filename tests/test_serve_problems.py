"""`panelsite serve` shows the project's problems in the browser, and the pages come back when fixed.

A real `serve` in a subprocess, asked over HTTP: no request waits for a build that will not come,
every page shows the located problems with the live-reload script while they are there, and no
traceback reaches the terminal (a `!!python` tag added to the configuration included).
"""

import re
import time
import urllib.request
from pathlib import Path

import pytest

from generator.serving import problem_page
from tests.conftest import copy_fixture
from tests.test_serve import serving

EVENT = "data/events/2017-05-11-thank-you.yml"


def get(url: str) -> str:
    """One request, answered within 30 seconds (MkDocs' own server waited until the file was fixed)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def wait_for(url: str, text: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            page = get(url)
        except OSError:
            page = ""
        if text in page:
            return page
        assert time.monotonic() < deadline, f"{url} never showed {text!r}"
        time.sleep(0.5)


@pytest.mark.slow
def test_serve_shows_problems_in_the_browser_and_reloads_when_they_are_fixed(tmp_path: Path):
    root = copy_fixture(tmp_path / "project")
    event, config = root / EVENT, root / "site_config.yml"
    good_event, good_config = event.read_text(), config.read_text()
    event.write_text(good_event.replace("date: 2017-05-11", "date: 2017-05-32"))  # broken before serve starts
    log_path = tmp_path / "serve.log"
    with serving(root, log_path) as (base, _):
        page = wait_for(f"{base}/events/", "Preview paused")
        assert "<h1>Preview paused: 1 problem to fix</h1>" in page
        assert "<code>data/events/2017-05-11-thank-you.yml:2:7</code>: date: Input should be a valid date" in page
        assert "This page reloads when you fix them." in page
        epoch, request = re.search(r"livereload\((\d+), (\d+)\);", page).groups()
        assert "Preview paused" in get(f"{base}/no/such/page/"), "every page shows the problems"

        event.write_text(good_event)
        assert int(get(f"{base}/livereload/{epoch}/{request}")) > int(epoch), "the open page is told to reload"
        wait_for(f"{base}/events/2017-05-11-thank-you/", "Thank-you event for young people")

        event.write_text(good_event.replace("title:", "titel:"))  # broken while serving
        page = wait_for(f"{base}/events/2017-05-11-thank-you/", "Preview paused")
        assert "data/events/2017-05-11-thank-you.yml:" in page and "titel" in page
        event.write_text(good_event)
        wait_for(f"{base}/events/2017-05-11-thank-you/", "Thank-you event for young people")

        marker = tmp_path / "PWNED"
        config.write_text(good_config + f"extra:\n  x: !!python/object/apply:os.system ['touch {marker}']\n")
        page = wait_for(f"{base}/", "Preview paused")
        assert "the YAML tag !!python/object/apply:os.system is not allowed" in page
        config.write_text(good_config)
        wait_for(f"{base}/events/", "Thank-you event for young people")
        assert not marker.exists()

        config.write_text(good_config.replace("  name: material", "  name: no-such-theme", 1))  # refused
        page = wait_for(f"{base}/events/", "Preview paused")
        assert "theme.name: panelsite&#x27;s site uses the Material theme (got &#x27;no-such-theme&#x27;)" in page
        config.write_text(good_config)
        wait_for(f"{base}/events/", "Thank-you event for young people")
    output = log_path.read_text()  # everything it printed, once it has stopped
    assert "Traceback" not in output, output
    assert "data/events/2017-05-11-thank-you.yml:2:7: date: Input should be a valid date" in output
    assert re.search(r"^site_config.yml:\d+:\d+: the YAML tag !!python/object/apply:os.system", output, re.M)


def test_the_problem_page_is_plain_escaped_text():
    page = problem_page(
        [
            "data/events/x.yml:3:8: title: <script>alert(1)</script> & more",
            "    hint: did you mean `title`?",
            "a problem MkDocs found, with no place",
        ]
    ).decode()
    assert '<html lang="en">' in page and "<main>" in page and "<h1>Preview paused: 2 problems to fix</h1>" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<code>data/events/x.yml:3:8</code>: title: " in page
    assert '<p class="hint">hint: did you mean `title`?</p>' in page
    assert "<li>a problem MkDocs found, with no place</li>" in page


def test_a_failure_while_serving_is_shown_not_raised(tmp_path, capsys):
    """MkDocs' build loop would print a traceback and leave every page request waiting."""
    import errno
    import os

    from mkdocs.exceptions import Abort

    from generator.errors import Problem, Problems
    from generator.serving import ServeState, _guarded_build

    class Plugin:
        problems = Problems([Problem("data/kpis/x.yml", 4, 3, "value", "Input should be a valid number")])

    class Config:
        plugins = {"panelsite": Plugin()}
        site_dir = str(tmp_path / "mkdocs_x")

    failures = iter([None, Abort("Aborted with a BuildError!"), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))])

    def build(config, **kwargs):
        failure = next(failures)
        if failure is not None:
            raise failure

    state = ServeState(tmp_path / "site_config.yml")
    guarded = _guarded_build(build, state)
    guarded(Config())
    assert state.lines is None
    guarded(Config())
    assert state.lines == ["data/kpis/x.yml:4:3: value: Input should be a valid number"]
    guarded(Config())
    assert state.lines == [f"{tmp_path / 'mkdocs_x'}: No space left on device"]
    assert "data/kpis/x.yml:4:3: value: Input should be a valid number" in capsys.readouterr().out
