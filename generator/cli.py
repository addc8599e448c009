"""The `panelsite` command: check, build, serve, export, schema, new, edit and the rest.

Exit codes: 0 ok, 1 invalid data, a failed build or an operating-system failure (a read-only
folder, a full disk, a permission refused: one line naming the path and the reason), 2 wrong
usage (including a busy `serve` port, or a site or export folder panelsite may not replace),
3 an unexpected failure inside panelsite (a bug: one line says what failed and how to report it;
`--debug` shows the traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from . import __version__
from .editions import EDITIONS, Edition
from .errors import Problems, internal_error
from .formats import CURRENT_FORMAT

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def progress(message: str) -> None:
    """Progress goes to stderr, so that problem lines on stdout can be piped."""
    print(f"panelsite: {message}", file=sys.stderr, flush=True)


def report(problems: Problems) -> None:
    if len(problems):
        print(problems.format(), flush=True)
    _count(problems)


def _count(problems: Problems) -> None:
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"panelsite: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)


def _config(args: argparse.Namespace) -> Path | None:
    path = Path(args.config)
    if not path.is_file():
        print(f"panelsite: no site config at {path} (run from the project folder or pass --config)", file=sys.stderr)
        return None
    return path.resolve()


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import ProjectNotLoaded, generate, load_project

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    try:
        project = load_project(config, progress)
    except ProjectNotLoaded as exc:
        report(exc.problems)
        return EXIT_INVALID
    problems = Problems(list(project.problems.items))
    if not problems.has_errors:
        from .building import engine_problems

        problems.extend(engine_problems(config))  # what MkDocs would refuse when building
    if not problems.has_errors:
        progress("rendering both editions (templates, hand-written pages, reading level and jargon)")
        for edition in EDITIONS:
            site = generate(project, edition, progress=progress)
            problems.extend([p for p in site.problems if p not in project.problems.items])
    report(problems)
    return EXIT_INVALID if problems.has_errors else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .building import fewer_collections

    with fewer_collections():  # loading the data makes as many lasting objects as building the pages
        return _build(args)


def _build(args: argparse.Namespace) -> int:
    from .building import BuildFailed, build_site
    from .pipeline import ProjectNotLoaded, load_project
    from .site_folder import OutputRefused, refuse_unsafe_output

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    if args.pdf:
        from .pdf_packs import available

        missing = available()
        if missing:
            print(f"panelsite: --pdf: {missing}", file=sys.stderr)
            return EXIT_USAGE
    site_dir = Path(args.site_dir) if args.site_dir else _configured_site_dir(config)
    try:
        refuse_unsafe_output(site_dir, config)
        project = load_project(config, progress)
    except OutputRefused as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ProjectNotLoaded as exc:
        return _stopped(exc.problems)
    if project.problems.has_errors:
        return _stopped(project.problems)
    try:
        build_site(
            config,
            site_dir,
            strict=not args.no_strict,
            progress=progress,
            verbose=args.verbose,
            project=project,
            pdf=args.pdf,
        )
    except OutputRefused as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BuildFailed as exc:
        if exc.one_line:
            print(f"panelsite: {exc} (build stopped; the site was not changed)", file=sys.stderr)
            return EXIT_INVALID
        if exc.problems is not None:
            report(exc.problems)
        else:
            _summary(exc.reported)
            strict = (
                " (warnings fail a strict build: fix them, or use --no-strict)" if "strict mode" in str(exc) else ""
            )
            print(f"panelsite: {exc}{strict}", file=sys.stderr)
        progress("build failed; the site was not changed")
        return EXIT_INVALID
    progress(f"built both editions into {site_dir}/ (young edition in {site_dir.name}/young/)")
    return EXIT_OK


def _configured_site_dir(config: Path) -> Path:
    """site_config.yml's `site_dir` (MkDocs' key; `site` by default), beside the configuration."""
    from .settings import read_config

    try:
        value = read_config(config).get("site_dir")
    except (OSError, ValueError):  # the load reports what is wrong with the file, located
        value = None
    return config.parent / (value if isinstance(value, str) and value.strip() else "site")


def _summary(problems: Problems) -> None:
    """The count line `check` ends with, when the build printed warnings."""
    if len(problems):
        _count(problems)


def _stopped(problems: Problems) -> int:
    report(problems)
    progress("build stopped; the site was not changed")
    return EXIT_INVALID


def cmd_serve(args: argparse.Namespace) -> int:
    config = _config(args)
    if config is None:
        return EXIT_USAGE
    address = _free_address(args.dev_addr)
    if isinstance(address, str):
        print(f"panelsite: {address}", file=sys.stderr)
        return EXIT_USAGE
    from .settings import refuse_unsafe_config

    problems = refuse_unsafe_config(config)
    if problems.has_errors:
        report(problems)
        return EXIT_INVALID
    from .serving import ServeFailed, serve_edition

    progress(f"serving the {args.edition} edition on http://{args.dev_addr}/ (Ctrl+C to stop)")
    try:
        serve_edition(config, args.edition, args.dev_addr)
    except ServeFailed as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _free_address(dev_addr: str) -> tuple[str, int] | str:
    """(host, port) when the address can be served on; otherwise why not."""
    import socket

    host, _, port_text = dev_addr.rpartition(":")
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return f"--dev-addr should look like 127.0.0.1:8000 (got {dev_addr!r})"
    port = int(port_text)
    try:
        family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.bind((host.strip("[]"), port))
    except OSError as exc:
        if exc.errno in (48, 98, 10048):  # EADDRINUSE on macOS, Linux, Windows
            return (
                f"{dev_addr} is already in use by another program; stop it, or choose another port "
                f"with --dev-addr {host}:{port + 1}"
            )
        return f"cannot serve on {dev_addr}: {exc.strerror or exc}"
    return host, port


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportFailed, export_site
    from .site_folder import OutputRefused, os_failure

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    try:
        problems = export_site(config, Path(args.directory), progress)
    except OutputRefused as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ExportFailed as exc:
        print(f"panelsite: {os_failure(exc)} (export stopped; {args.directory} was not changed)", file=sys.stderr)
        return EXIT_INVALID
    if problems.has_errors:
        report(problems)
        return EXIT_INVALID
    for warning in problems.warnings:
        print(warning.format())
    progress(
        f"exported both editions to {args.directory}/ (build each with: mkdocs build -f "
        f"{args.directory}/standard/mkdocs.yml)"
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schemas import write_schemas

    out = Path(args.output) if args.output else Path(args.config).resolve().parent / "schemas"
    try:
        written = write_schemas(out)
    except OSError as exc:
        from .site_folder import os_failure

        print(f"panelsite: {os_failure(exc, out)} (schema stopped)", file=sys.stderr)
        return EXIT_INVALID
    for path in written:
        progress(f"wrote {path}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, scaffold
    from .settings import load_settings

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    settings, _ = load_settings(config, config.parent)
    try:
        data_dir = config.parent / (settings.data_dir if settings else "data")
        path = scaffold(data_dir, args.kind, args.slug, args.date, settings, args.area, config.parent)
    except ScaffoldError as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress(f"wrote {path.relative_to(config.parent)}; fill it in, then run `panelsite check`")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from .new_site import InitError, init_site

    target = Path(args.directory)
    existed = os.path.lexists(target)
    was_empty = existed and target.is_dir() and not target.is_symlink() and not any(target.iterdir())
    try:
        init_site(target, args.council, args.area, panel=args.panel)
    except InitError as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        from .site_folder import os_failure, remove_tree

        # What init wrote is removed (and nothing else was there), so that `init` can simply be run again.
        if not existed:
            remove_tree(target)
        elif was_empty:
            for child in list(target.iterdir()):
                if child.is_dir() and not child.is_symlink():
                    remove_tree(child)
                else:
                    child.unlink()
        print(f"panelsite: {os_failure(exc, target)} (init stopped; nothing was kept)", file=sys.stderr)
        return EXIT_INVALID
    folder = shlex.quote(str(target))  # the hint is pasted into a shell: a space or `;` must not split it
    progress(f"started a site in {folder}; next: cd {folder} && panelsite check && panelsite build")
    return EXIT_OK


def cmd_upgrade(args: argparse.Namespace) -> int:
    from .upgrade import UpgradeFailed, run

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    try:
        notes = run(config, args.dry_run, progress, lambda text: print(text, flush=True))
    except UpgradeFailed as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if len(notes):
        print(notes.format(), flush=True)
        count = len(notes)
        progress(f"{count} thing{'s' * (count != 1)} to do by hand (above); then run `panelsite check`")
        return EXIT_INVALID
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .importing.run import ImportRefused, run

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    file = Path(args.file)
    if not file.is_file():
        print(f"panelsite: no file at {file}", file=sys.stderr)
        return EXIT_USAGE
    try:
        problems = run(config, file, args.sheet, args.source, args.dry_run, progress, lambda t: print(t, flush=True))
    except ImportRefused as exc:
        print(f"panelsite: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        from .site_folder import os_failure

        print(f"panelsite: {os_failure(exc, file)}", file=sys.stderr)
        return EXIT_INVALID
    if problems.has_errors:
        report(problems)
        progress("nothing was imported")
        return EXIT_INVALID
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from .importing.template import write_template
    from .pipeline import ProjectNotLoaded, load_project

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    target = Path(args.file)
    if target.suffix.lower() != ".xlsx":
        print(f"panelsite: {target.name}: the template is an .xlsx workbook; name it ….xlsx", file=sys.stderr)
        return EXIT_USAGE
    if target.exists():
        print(f"panelsite: {target} already exists; choose a new name (nothing was written)", file=sys.stderr)
        return EXIT_USAGE
    try:
        project = load_project(config)
    except ProjectNotLoaded as exc:
        return _stopped(exc.problems)
    try:
        count = write_template(target, project.dataset.kpis, project.settings)
    except OSError as exc:
        from .site_folder import os_failure

        print(f"panelsite: {os_failure(exc, target)}", file=sys.stderr)
        return EXIT_INVALID
    progress(
        f"wrote {target} with {len(project.dataset.kpis)} indicators and {count} figures; add rows on its "
        f"Values sheet, then run `panelsite import {target.name} --source <id>`"
    )
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    from .editor.server import INSTALL_COMMAND, EditorServer, bundle_ready
    from .pipeline import ProjectNotLoaded

    config = _config(args)
    if config is None:
        return EXIT_USAGE
    if args.print_config:
        return _print_editor_config(config, args.print_config, args.branch)
    address = _free_address(f"127.0.0.1:{args.port}")
    if isinstance(address, str):
        print(f"panelsite: {address.replace('--dev-addr 127.0.0.1:', '--port ')}", file=sys.stderr)
        return EXIT_USAGE
    if not bundle_ready():
        print(f"panelsite: the editor's Decap CMS bundle is not installed; run: {INSTALL_COMMAND}", file=sys.stderr)
        return EXIT_USAGE
    try:
        server = EditorServer(config, args.port, progress)
    except ProjectNotLoaded as exc:
        report(exc.problems)
        return EXIT_INVALID
    progress(f"editing {config.parent} at {server.url} (only this computer can reach it; Ctrl+C to stop)")
    if not args.no_open:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return EXIT_OK


def _print_editor_config(config: Path, host: str, branch: str) -> int:
    """The editor's Decap configuration for a git host (`github:owner/repo`), as YAML on stdout."""
    import yaml

    from .editor.api import Backend
    from .editor.config import backend, decap_config
    from .pipeline import ProjectNotLoaded

    kind, _, repo = host.partition(":")
    if kind not in ("github", "gitlab", "gitea") or "/" not in repo:
        print(
            "panelsite: --print-config takes github:OWNER/REPO, gitlab:OWNER/REPO or gitea:OWNER/REPO", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        editor = Backend(config)
    except ProjectNotLoaded as exc:
        report(exc.problems)
        return EXIT_INVALID
    generated = decap_config(editor.settings, backend(kind, repo=repo, branch=branch), *editor.choices())
    print(yaml.safe_dump(generated, sort_keys=False, allow_unicode=True, width=100), end="")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="panelsite", description="Build the Corporate Parenting Panel site.")
    parser.add_argument("--config", default="site_config.yml", help="the site config (default: site_config.yml)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected failure")
    parser.add_argument(
        "--version",
        action="version",
        version=f"panelsite {__version__} (format {CURRENT_FORMAT})",
        help=f"print the release and the folder format it reads: 'panelsite {__version__} (format {CURRENT_FORMAT})'",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser(
        "check",
        help="validate data/ and content/, listing every problem",
        description=(
            "Loads and validates everything in data/ and content/, and the young edition's reading-level and "
            "jargon gates. Prints every problem at once, one line each, file:line:col first."
        ),
    ).set_defaults(func=cmd_check)

    build = commands.add_parser(
        "build",
        help="build both editions into site/ (all or nothing)",
        description=(
            "Builds the standard edition into site/ (or the configuration's site_dir, or --site-dir) and the "
            "young edition into site/young/, with MkDocs' strict mode. It builds in a temporary folder beside it "
            "and swaps it in only when both editions succeeded: a failed build leaves the previous site exactly "
            "as it was. Problems print exactly as `check` prints them. The site folder is replaced whole, so it "
            "must be one panelsite may replace: new, empty, or made by panelsite."
        ),
    )
    build.add_argument("--site-dir", help="where to build (default: the config's site_dir, or site/ beside it)")
    build.add_argument("--no-strict", action="store_true", help="do not fail on warnings")
    build.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")
    build.add_argument(
        "--pdf", action="store_true", help="also print each meeting pack as a tagged PDF (needs Chromium)"
    )
    build.set_defaults(func=cmd_build)

    serve = commands.add_parser(
        "serve",
        help="live preview of one edition",
        description=(
            "Live preview of one edition, reloading when a data file, page or template is saved. While the "
            "project has a problem (in data/, content/ or site_config.yml), every page of the preview lists the "
            "located problems, and the terminal prints the same lines."
        ),
    )
    serve.add_argument("--edition", choices=EDITIONS, type=Edition, default=Edition.STANDARD)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(func=cmd_serve)

    export = commands.add_parser(
        "export",
        help="write plain Markdown, charts and mkdocs.yml per edition",
        description=(
            "Writes DIRECTORY/standard/ and DIRECTORY/young/, each with the generated Markdown, charts, CSV "
            "files, theme overrides and an mkdocs.yml that builds with plain `mkdocs build` (no plugin of "
            "panelsite's). DIRECTORY is replaced whole, by the same rule as the site folder."
        ),
    )
    export.add_argument("directory", help="folder to write into (new, empty, or an earlier export: it is replaced)")
    export.set_defaults(func=cmd_export)

    schema = commands.add_parser(
        "schema",
        help="write JSON Schema for each collection and for site_config.yml",
        description=(
            "Writes a JSON Schema per collection, and site_config.panelsite.schema.json for panelsite's section "
            "of site_config.yml, into schemas/ beside the configuration (or --output), for an editor's "
            "autocompletion."
        ),
    )
    schema.add_argument("--output", help="folder to write into (default: schemas/ beside the config)")
    schema.set_defaults(func=cmd_schema)

    new = commands.add_parser(
        "new",
        help="start a new record of any collection from a template",
        description=(
            "Starts a record from a commented template: kpi, update, event, meeting and entitlement (with --area,"
            " added to that area's file or starting it) get their own file; term, source and promise are added to"
            " the end of glossary.yml, sources.yml or pledge.yml, keeping their comments. It never overwrites, "
            "cites the first document in data/sources.yml, and refuses to write through a symbolic link that "
            "leads out of the project."
        ),
    )
    new.add_argument("kind", choices=("kpi", "update", "event", "meeting", "entitlement", "term", "source", "promise"))
    new.add_argument("slug", nargs="?", default="", help="short name, e.g. summer-residential")
    new.add_argument("--date", help="YYYY-MM-DD (default: today)")
    new.add_argument("--area", help="for an entitlement: the Local Offer area, e.g. money")
    new.set_defaults(func=cmd_new)

    init = commands.add_parser(
        "init",
        help="start a new council's site in a new folder",
        description=(
            "Starts a new council's site in a new folder: configuration, CI workflows, one example record per "
            "collection and the hand-written pages. It passes `check` and a strict build as it is, whatever the "
            "names hold: they are written into site_config.yml as YAML strings and shown escaped. A name or "
            "folder name with a control character, or a name over 120 characters, is refused."
        ),
    )
    init.add_argument("directory", help="the folder to create")
    init.add_argument("--council", required=True, help='the council\'s name, e.g. "Northby City Council"')
    init.add_argument("--area", help="the place it serves (default: the name without 'City Council' etc.)")
    init.add_argument("--panel", help="the panel's name (default: Corporate Parenting Panel), or a Board or Committee")
    init.set_defaults(func=cmd_init)

    upgrade = commands.add_parser(
        "upgrade",
        help="move this folder's files to the current format, printing the diff",
        description=(
            "Moves this folder's files from any earlier format to the current one, one small step per change, "
            "editing them in place (comments, key order and layout kept) and printing the diff of each file it "
            "changes. Running it again changes nothing."
        ),
    )
    upgrade.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    upgrade.set_defaults(func=cmd_upgrade)

    importing = commands.add_parser(
        "import",
        help="add KPI figures from a spreadsheet (EES long layout, CSV or XLSX)",
        description=(
            "Adds KPI figures from a spreadsheet in the EES long layout, as CSV or XLSX: new periods are added, "
            "changed figures replaced and marked `revised`, equal ones left alone, so importing the same file "
            "twice changes nothing. Every problem is listed at once with its line and column (values.csv:14:9) or"
            " sheet and cell (kpis.xlsx:Values!I14), and nothing is written while any remains."
        ),
    )
    importing.add_argument("file", help="a .csv file, or an .xlsx workbook")
    importing.add_argument("--sheet", help="the workbook sheet to read (default: the first)")
    importing.add_argument("--source", help="the id in data/sources.yml of the document the new figures come from")
    importing.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    importing.set_defaults(func=cmd_import)

    edit = commands.add_parser(
        "edit",
        help="edit the site's records in a browser, on this computer only",
        description=(
            "Opens a form-based editor for data/ in your browser, served on 127.0.0.1 only. Every save is checked"
            " as `check` checks it (a problem is shown in the editor, located, and nothing is written) and "
            "changes only the lines of the fields you changed; photos are re-encoded without their location."
        ),
    )
    edit.add_argument("--port", type=int, default=8090, help="the port on 127.0.0.1 (default: 8090)")
    edit.add_argument("--no-open", action="store_true", help="do not open the browser")
    edit.add_argument(
        "--print-config", metavar="HOST:OWNER/REPO", help="print the Decap configuration for github:, gitlab: or gitea:"
    )
    edit.add_argument("--branch", default="main", help="with --print-config: the branch to edit (default: main)")
    edit.set_defaults(func=cmd_edit)

    template = commands.add_parser(
        "template",
        help="write a spreadsheet of the KPIs, ready to fill in and import",
        description=(
            "Writes a workbook to fill in: the council's KPIs in the layout `import` reads, with drop-down lists,"
            " an Indicators sheet and a sheet of instructions. Importing it unchanged changes nothing."
        ),
    )
    template.add_argument("kind", choices=("kpis",), help="what the spreadsheet is for (kpis)")
    template.add_argument("file", help="the workbook to write, e.g. kpis.xlsx (never overwritten)")
    template.set_defaults(func=cmd_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if args.debug:
            raise
        from .site_folder import os_failure

        print(f"panelsite: {os_failure(exc)} ({args.command} stopped)", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into one line
        if args.debug:
            raise
        print(internal_error(args.command, exc), file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
