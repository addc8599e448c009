"""Tagged PDF meeting packs: each pack page printed by headless Chromium, then finished with pikepdf.

Chromium prints the built pack page (served from the built site on 127.0.0.1, so its stylesheets
load as a reader's browser loads them) with tagging and the document outline on: headings,
paragraphs, lists, tables with header cells and figures with their alt text become the PDF's
structure tree, and the headings its bookmarks. pikepdf then sets what a screen reader and a PDF/UA
checker look for and Chromium leaves out: the document title (shown instead of the file name), the
language, and the PDF/UA identification in the metadata. `generator/pdf_check.py` checks the result.

Needs the optional `pdf` extra (Playwright and pikepdf) and a Chromium (Debian's `chromium`).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
"""Headless, and no connection of Chromium's own (updates, sync, QUIC) on a machine with a closed network."""
INSTALL_HINT = (
    "PDF packs need Chromium and the pdf extra: on Debian or Ubuntu `sudo apt-get install chromium`, "
    "then `pip install 'panelsite[pdf]'` (set PANELSITE_CHROMIUM to use another Chromium)"
)


class PdfFailed(RuntimeError):
    """The PDFs could not be made; the message is one line for the user."""


class PdfUnavailable(PdfFailed):
    """No Chromium or no PDF libraries here; the message says how to get them."""


@dataclass(frozen=True)
class PackPdf:
    """One pack to print: its page in the built site, the PDF to write, and the document's title."""

    page: str
    """The pack page's path inside the site, e.g. `meetings/2023-03-28-pack/`."""
    pdf: Path
    title: str
    language: str = "en-GB"


def find_chromium() -> str | None:
    """The Chromium to print with: $PANELSITE_CHROMIUM, else one on the PATH or in /usr/bin."""
    configured = os.environ.get("PANELSITE_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
        if found:
            return found
    return None


def available() -> str | None:
    """None when PDFs can be made here, else why not and how to get them (one sentence)."""
    try:
        import pikepdf  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return INSTALL_HINT
    return None if find_chromium() else INSTALL_HINT


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        pass


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port) while the block runs; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def print_packs(site: Path, packs: list[PackPdf], progress: Callable[[str], None] | None = None) -> None:
    """Print every pack to its PDF and finish it. Raises `PdfUnavailable` when that cannot be done here."""
    why_not = available()
    if why_not:
        raise PdfUnavailable(why_not)
    from playwright.sync_api import Error as PlaywrightError

    try:
        _print_all(site, packs, progress)
    except PlaywrightError as exc:
        first = (exc.message or type(exc).__name__).strip().splitlines()[0]
        raise PdfFailed(f"Chromium could not print the meeting packs: {first}") from None


def _print_all(site: Path, packs: list[PackPdf], progress: Callable[[str], None] | None) -> None:
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            # Nothing but the site itself: a pack never reaches another host while it is printed.
            context.route(
                "**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort()
            )
            page = context.new_page()
            for number, pack in enumerate(packs, start=1):
                page.goto(base + pack.page, wait_until="load")
                page.emulate_media(media="print")
                pack.pdf.parent.mkdir(parents=True, exist_ok=True)
                raw = page.pdf(format="A4", tagged=True, outline=True, print_background=True, prefer_css_page_size=True)
                finish(raw, pack)
                if progress and (number % 5 == 0 or number == len(packs)):
                    progress(f"printed {number} of {len(packs)} meeting packs as PDF")
        finally:
            browser.close()


PATH_START = {"m", "re"}
PATH_END = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}


def mark_decoration_as_artifacts(pdf: Any, page: Any) -> None:
    """Wrap text, paths and images that Chromium left outside any marked content as `/Artifact`.

    Chromium tags everything in the page's own content, but draws the @page margin boxes (the page
    number and the address in the footer) and the page background untagged; PDF/UA wants such
    pagination and decoration marked as artifacts, so a screen reader skips them.
    """
    import pikepdf

    instructions = list(pikepdf.parse_content_stream(page))
    out: list[Any] = []
    depth = 0
    open_artifact = False
    artifact = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    close = pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))
    for instruction in instructions:
        name = str(instruction.operator)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        starts = name == "BT" or name in PATH_START or name in ("Do", "sh", "BI")
        if depth == 0 and not open_artifact and starts:
            out.append(artifact)
            open_artifact = True
        out.append(instruction)
        ends = name == "ET" or name in PATH_END or name in ("Do", "sh", "EI")
        if open_artifact and ends:
            out.append(close)
            open_artifact = False
    if open_artifact:
        out.append(close)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def renumber_element_ids(pdf: Any) -> None:
    """Give structure elements ids in document order (`node00000001`, …), and point the id tree and
    every table cell's `/Headers` at them: Chromium numbers them by a counter that runs on between
    pages, so the same pack would otherwise come out different each time it is printed."""
    import pikepdf

    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    renamed: dict[str, str] = {}
    elements: list[Any] = []

    def walk(node: Any) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                elements.append(kid)
                walk(kid)

    walk(tree)
    for element in elements:
        if "/ID" in element:
            new = f"node{len(renamed) + 1:08d}"
            renamed[bytes(element.ID).decode("latin-1")] = new
            element.ID = pikepdf.String(new)
    for element in elements:
        attributes = element.get("/A")
        for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [
                        pikepdf.String(renamed.get(bytes(h).decode("latin-1"), bytes(h).decode("latin-1")))
                        for h in attribute.Headers
                    ]
                )
    if renamed:
        names: list[Any] = []
        for element in elements:
            if "/ID" in element:
                names += [element.ID, element]
        tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))


def finish(raw: bytes, pack: PackPdf) -> None:
    """Title, language, DisplayDocTitle and the PDF/UA identification; written deterministically."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        for page in pdf.pages:
            mark_decoration_as_artifacts(pdf, page)
        renumber_element_ids(pdf)
        pdf.Root.Lang = pikepdf.String(pack.language)
        preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        preferences.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = preferences
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
            meta["dc:title"] = pack.title
            meta["dc:language"] = [pack.language]
            meta["pdfuaid:part"] = "1"
            meta["pdf:Producer"] = "panelsite"
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        pdf.docinfo["/Title"] = pack.title
        pdf.docinfo["/Producer"] = "panelsite"
        temporary = pack.pdf.with_name(f".{pack.pdf.name}.tmp")
        pdf.save(temporary, deterministic_id=True, compress_streams=True)
        os.replace(temporary, pack.pdf)


def size_text(size: int) -> str:
    """A file size as a reader reads it: '196 KB', '1.2 MB'."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def print_site_packs(site: Path, project: Any, progress: Callable[[str], None] | None = None) -> int:
    """Print every meeting pack of a built site over its placeholder, then write each PDF's size
    beside the links to it. Returns how many packs were printed."""
    from .pages.common import long_date
    from .urls import Urls

    urls = Urls(project.settings.children_council.slug)
    jobs = []
    for meeting in sorted(project.dataset.meetings.values(), key=lambda m: m.date):
        if not meeting.agenda:
            continue
        page = urls.meeting_pack(meeting.date).removesuffix(".md") + "/"
        title = f"{project.settings.panel}: meeting pack, {long_date(meeting.date)}"
        jobs.append(PackPdf(page, site / urls.meeting_pack_pdf(meeting.date), title))
    if not jobs:
        return 0
    print_packs(site, jobs, progress)
    sizes = {job.pdf.relative_to(site).as_posix(): size_text(job.pdf.stat().st_size) for job in jobs}
    for html in jobs[0].pdf.parent.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        changed = text
        for path, size in sizes.items():
            empty = f'<span class="ps-pdf-size" data-pdf="{path}"></span>'
            changed = changed.replace(empty, f'<span class="ps-pdf-size" data-pdf="{path}"> (PDF, {size})</span>')
        if changed != text:
            html.write_text(changed, encoding="utf-8")
    return len(jobs)
