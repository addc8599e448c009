"""`panelsite serve`: MkDocs' live-reload server, showing the project's problems in the browser.

MkDocs' own server leaves the browser waiting while a rebuild fails: a page request waits for a
build that never finishes, and the failure is a traceback in the terminal. Here, for as long as
the project has an error (in the data, a page, or `site_config.yml`, including a tag MkDocs must
not read), every page the server is asked for is one plain page listing the located problems,
with the live-reload script, and the terminal shows the same lines `check` prints. When the
problems are fixed, the next build brings the pages back and the browser reloads by itself.

It works by wrapping three names `mkdocs.commands.serve` uses, for the length of one `serve`:
`load_config` (panelsite reads the config and hands it to MkDocs, `building.load_mkdocs_config`:
MkDocs never parses the file), `build` (a failed build is recorded, not raised, so MkDocs' build
loop moves on and browsers are told to reload) and `LiveReloadServer` (which answers page requests
with the problem page while there are problems).
"""

from __future__ import annotations

import html
import logging
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .building import PROBLEM, ConfigRefused, load_mkdocs_config, mkdocs_logging
from .editions import Edition
from .errors import display_path
from .site_folder import os_failure


class ServeFailed(Exception):
    """`serve` could not start; the message says why, in one line (or the located problems)."""


class ServeState:
    """What the preview shows: nothing wrong (`lines` is None) or the problem lines to fix."""

    def __init__(self, config_path: Path, edition: Edition | None = None):
        self.config_path = config_path
        self.edition = edition  # the edition served, written into each configuration loaded
        self.lines: list[str] | None = None
        self.config: Any = None  # the last configuration MkDocs loaded without a problem
        self.config_broken = False
        self.builds = 0
        self.warm_up: threading.Thread | None = None  # importing Matplotlib after the first build

    def fail(self, lines: list[str]) -> None:
        self.lines = lines or [f"{display_path(self.config_path)}: the build failed"]
        print("\n".join(self.lines), flush=True)
        print(
            "panelsite: the preview shows these problems in the browser until they are fixed",
            file=sys.stderr,
            flush=True,
        )

    def succeed(self) -> None:
        if self.lines is not None:
            print("panelsite: the problems are fixed; the preview reloads", file=sys.stderr, flush=True)
        self.lines = None


def serve_edition(config_path: Path, edition: Edition, dev_addr: str) -> None:
    """Serve one edition with live reload until interrupted.

    The edition is written into each configuration loaded (`building.load_mkdocs_config`), so that
    it holds for every rebuild: not through an environment variable, and not as state of the plugin
    object, which MkDocs hands to every later configuration in the process.
    """
    from mkdocs.commands import serve as serve_module

    state = ServeState(config_path, edition)
    # The plugin tells MkDocs exactly which pages changed, so its warning about dirty builds does not apply.
    build_log = logging.getLogger("mkdocs.commands.build")
    quiet = _NotDirtyWarning()
    build_log.addFilter(quiet)
    try:
        with mkdocs_logging(verbose=True), _serving_with(serve_module, state):
            # A dirty build: only the pages whose generated text changed are rebuilt (see the plugin).
            serve_module.serve(config_file=str(config_path), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except (Abort, PluginError) as exc:
        raise ServeFailed(str(exc)) from None
    except OSError as exc:
        raise ServeFailed(f"panelsite: {os_failure(exc)} (serve stopped)") from None
    finally:
        build_log.removeFilter(quiet)


@contextmanager
def _serving_with(module: Any, state: ServeState) -> Iterator[None]:
    original = module.load_config, module.build, module.LiveReloadServer
    module.load_config = _guarded_load_config(state)
    module.build = _guarded_build(original[1], state)
    module.LiveReloadServer = _server_class(original[2], state)
    try:
        yield
    finally:
        module.load_config, module.build, module.LiveReloadServer = original


def _guarded_load_config(state: ServeState) -> Any:
    """MkDocs' `load_config` for `serve`: the project's config, read by panelsite, for the served edition."""

    def load(config_file: str | None = None, **kwargs: Any) -> Any:
        errors = _ErrorLines()
        logging.getLogger("mkdocs").addHandler(errors)
        try:
            config = load_mkdocs_config(state.config_path, state.edition, **kwargs)
        except ConfigRefused as exc:
            return _config_failed(state, exc.problems.format().splitlines())
        except (ConfigurationError, Abort) as exc:
            # Warnings in a strict build: MkDocs logs each, then aborts with a summary; they are what to fix.
            said = errors.lines or str(exc).strip().splitlines()
            shown = display_path(state.config_path)
            return _config_failed(state, [f"{shown}: {line}" for line in said[:20]])
        finally:
            logging.getLogger("mkdocs").removeHandler(errors)
        state.config, state.config_broken = config, False
        return config

    return load


def _config_failed(state: ServeState, lines: list[str]) -> Any:
    """Before the first build, stop `serve`; later, keep serving the problem page."""
    if state.config is None:
        raise ServeFailed("\n".join(lines))
    state.config_broken = True
    state.fail(lines)
    return state.config  # not built: `_guarded_build` sees config_broken


def _guarded_build(build: Any, state: ServeState) -> Any:
    def guarded(config: Any, **kwargs: Any) -> None:
        if state.config_broken:
            return
        first = state.builds == 0
        state.builds += 1
        if state.warm_up is not None:  # never two threads importing Matplotlib's modules at once
            state.warm_up.join()
            state.warm_up = None
        errors = _ErrorLines()
        logging.getLogger("mkdocs").addHandler(errors)
        try:
            build(config, **kwargs)
        except (Abort, PluginError):
            plugin = config.plugins.get("panelsite")
            problems = getattr(plugin, "problems", None)
            state.fail(problems.format().splitlines() if problems is not None else errors.lines)
        except OSError as exc:
            if first:
                raise
            site_dir = getattr(config, "site_dir", None)  # MkDocs' temporary folder: where it was writing
            state.fail([os_failure(exc, Path(site_dir) if site_dir else None)])
        except Exception as exc:  # noqa: BLE001 - a bug: one line in the page, never a stuck browser
            if first:
                raise
            from .errors import internal_error

            state.fail([internal_error("serve", exc)])
        else:
            state.succeed()
            if first:
                state.warm_up = threading.Thread(target=warm_up_drawing, name="panelsite-warm-up", daemon=True)
                state.warm_up.start()
        finally:
            logging.getLogger("mkdocs").removeHandler(errors)

    return guarded


def warm_up_drawing() -> None:
    """Import Matplotlib's drawing modules while the preview waits for the first save.

    The first build takes every chart from the cache, so the first save that changes a KPI drew
    its charts with Matplotlib not yet imported: about a third of a CPU second more on that save.
    The next build waits for these imports to end before it starts (two threads importing modules
    that import each other can each see the other's half-made module); nothing is drawn here."""
    try:
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.backends.backend_svg  # noqa: F401
        import matplotlib.figure  # noqa: F401
        import matplotlib.ticker  # noqa: F401
    except Exception:  # noqa: BLE001 - not needed for serving: the first chart drawn imports them again
        return


class _ErrorLines(logging.Handler):
    """MkDocs' error messages during one build (what failed, when it was not panelsite's data)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not getattr(record, PROBLEM, False):
            self.lines.extend(record.getMessage().splitlines())


POLL_SECONDS = 0.2
"""How often the server looks for saved files. MkDocs polls every 0.5 s, so a save waited 0.25 s on
average before the rebuild began; a look at the ten-year archive's data costs about 3 ms of CPU, so
polling at 0.2 s costs about 1.5 % of one core while serving and saves 0.15 s on every save. (Polling,
as MkDocs does, rather than the system's file events, which some shared and mounted folders never send.)"""


def _server_class(server: type, state: ServeState) -> type:
    class ProblemServer(server):  # MkDocs' LiveReloadServer
        """Answers every page request with the problem page while the project has problems."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("polling_interval", POLL_SECONDS)
            super().__init__(*args, **kwargs)

        def _serve_request(self, environ: dict, start_response: Any) -> Iterable[bytes] | None:
            path = environ.get("PATH_INFO", "")
            if _is_page(path):
                with self._epoch_cond:  # as MkDocs does: never answer from a half-finished build
                    self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                    epoch = self._visible_epoch
                lines = state.lines
                if lines:
                    body = self._inject_js_into_html(problem_page(lines), epoch)
                    headers = [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                        ("Cache-Control", "no-store"),
                    ]
                    start_response("200 OK", headers)
                    return [body]
            return super()._serve_request(environ, start_response)

    return ProblemServer


def _is_page(path: str) -> bool:
    if path.startswith("/livereload/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


class _NotDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build")


_LOCATED = re.compile(r"^(\S.*?:\d+:\d+): (.*)$")

PAGE_STYLE = """
:root { color-scheme: light dark; }
body { font: 1.125rem/1.5 system-ui, sans-serif; margin: 0; padding: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.25; }
main { max-width: 48rem; margin: 0 auto; }
li { margin: 0 0 1rem; overflow-wrap: anywhere; }
code { font-family: ui-monospace, monospace; font-size: 1rem; font-weight: bold; }
.hint { margin: 0.25rem 0 0; }
"""


def problem_page(lines: list[str]) -> bytes:
    """A plain, accessible page listing the problems (indented lines are the hint of the one above)."""
    items: list[list[str]] = []
    for line in lines:
        if line.startswith("    ") and items:
            items[-1].append(line.strip())
        else:
            items.append([line])
    count = f"{len(items)} problem{'s' * (len(items) != 1)}"
    listed = "\n".join(f"<li>{_item(item)}</li>" for item in items)
    title = f"Preview paused: {count} to fix"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>panelsite cannot build the site while these problems are there. Each starts with the file, line
and column to look at; the terminal running <code>panelsite serve</code> lists them too.</p>
<p><strong>This page reloads when you fix them.</strong></p>
<ol>
{listed}
</ol>
</main>
</body>
</html>
""".encode()


def _item(item: list[str]) -> str:
    first, hints = item[0], item[1:]
    match = _LOCATED.match(first)
    text = f"<code>{html.escape(match.group(1))}</code>: {html.escape(match.group(2))}" if match else html.escape(first)
    return text + "".join(f'<p class="hint">{html.escape(hint)}</p>' for hint in hints)
