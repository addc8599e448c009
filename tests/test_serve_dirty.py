"""`panelsite serve` rebuilds only the pages whose generated text changed."""

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from tests.conftest import write


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


def modified(files: Files) -> set[str]:
    return {f.src_uri for f in files if f.generated_by and f.is_modified()}


def test_only_changed_pages_are_marked_modified(project):
    config = load_config(str(project / "site_config.yml"))
    plugin = config.plugins["panelsite"]
    plugin.on_startup(command="serve", dirty=True)
    config = plugin.on_config(config)
    first = config.plugins.on_files(Files([]), config=config)
    assert modified(first) == {f.src_uri for f in first if f.generated_by}, "nothing is built yet"
    plugin.on_post_build(config=config)

    config = plugin.on_config(config)
    assert modified(config.plugins.on_files(Files([]), config=config)) == set(), "nothing changed"
    plugin.on_post_build(config=config)

    event = project / "data/events/2017-05-11-thank-you.yml"
    write(
        project,
        "data/events/2017-05-11-thank-you.yml",
        event.read_text(encoding="utf-8").replace("Thank-you event for young people", "Thank-you party"),
    )
    config = plugin.on_config(config)
    changed = modified(config.plugins.on_files(Files([]), config=config))
    assert "events/2017-05-11-thank-you.md" in changed and "events/index.md" in changed
    assert "performance/index.md" not in changed and len(changed) < len(plugin.site.pages) / 2


def test_a_plain_build_rebuilds_everything(project):
    config = load_config(str(project / "site_config.yml"))
    plugin = config.plugins["panelsite"]
    plugin.on_startup(command="build", dirty=False)
    for _ in range(2):
        config = plugin.on_config(config)
        files = config.plugins.on_files(Files([]), config=config)
        assert modified(files) == {f.src_uri for f in files if f.generated_by}
        plugin.on_post_build(config=config)


def test_the_server_looks_for_saves_more_often_than_mkdocs_does():
    from mkdocs.livereload import LiveReloadServer

    from generator.serving import POLL_SECONDS, ServeState, _server_class

    server = _server_class(LiveReloadServer, ServeState(Path("site_config.yml")))(
        builder=lambda: None, host="127.0.0.1", port=0, root="."
    )
    try:
        assert server.observer.timeout == POLL_SECONDS < 0.5
    finally:
        server.server_close()


def test_the_warm_up_imports_what_drawing_a_chart_needs():
    """Run in a fresh interpreter: this one may have imported Matplotlib already."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from generator.serving import warm_up_drawing\n"
        "assert 'matplotlib.figure' not in sys.modules\n"
        "warm_up_drawing()\n"
        "assert {'matplotlib.figure', 'matplotlib.backends.backend_svg'} <= set(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_a_build_waits_for_the_warm_up_to_finish_its_imports():
    import threading
    import time

    from generator.serving import ServeState, _guarded_build

    state = ServeState(Path("site_config.yml"))
    state.builds = 1  # the first build is done; its warm-up is still importing
    imported = threading.Event()
    state.warm_up = threading.Thread(target=lambda: (time.sleep(0.3), imported.set()))
    state.warm_up.start()
    seen: list[bool] = []
    _guarded_build(lambda config, **_: seen.append(imported.is_set()), state)(object())
    assert seen == [True] and state.warm_up is None
