"""`panelsite edit` in a real browser (Playwright and Debian's Chromium), in one browser session.

A participation worker's month, done through the editor's forms: change a KPI value, create an
event, see a located error for a bad date, add an entitlement, delete a record. After each, the
file on disk, its diff and the loader (and, at the end, `panelsite check`) are checked. Every
request not to the editor's own address is blocked and counted: there must be none.

Set PANELSITE_EDITOR_SCREENSHOTS to a folder (`make editor-screenshots` does) to save the guide's
screenshots there as the test goes.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Locator, Page, expect, sync_playwright

from generator.cli import main
from generator.editor.server import BUNDLE, INSTALL_COMMAND, EditorServer, bundle_ready
from generator.pipeline import load_project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SHOTS = os.environ.get("PANELSITE_EDITOR_SCREENSHOTS")


def _diff(root: Path, rel: str) -> list[str]:
    """The changed lines of `rel` against the project's first commit."""
    out = subprocess.run(
        ["git", "-C", str(root), "diff", "--no-color", "-U0", "--", rel], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def _loads_cleanly(root: Path) -> None:
    problems = load_project(root / "site_config.yml").problems
    assert not problems.has_errors, problems.format()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Publish now", exact=True).click()


def _item(page: Page, summary: str) -> Locator:
    """The list item (in a list field) whose summary line is `summary`."""
    return page.locator('[class*="SortableListItem"]').filter(has=page.get_by_text(summary, exact=True)).first


def _published(page: Page) -> None:
    """Wait for Decap's notice that the save went through, then close it."""
    notice = page.get_by_text(re.compile(r"^Entry (saved|published)"))
    expect(notice).to_be_visible(timeout=60_000)
    notice.click()


def _list(page: Page, collection: str) -> None:
    """The list of a collection's records (the address's #fragment: a new page load would log out)."""
    page.evaluate(f"location.hash = '#/collections/{collection}'")
    expect(page.locator(f'a[href^="#/collections/{collection}/"]').first).to_be_visible(timeout=60_000)


def _open(page: Page, route: str) -> None:
    """Open a record as a worker would: its collection in the sidebar, then the record in the list."""
    collection = route.split("/")[1]
    _list(page, collection)
    page.locator(f'a[href="#/{route}"]').first.click()
    expect(page.get_by_text("Writing in", exact=False).first).to_be_visible(timeout=60_000)


def _no_axe_violations(page: Page, where: str) -> None:
    """axe-core finds nothing on the page as it is now (Decap's screens with panelsite's fixes)."""
    found = Axe().run(page).response["violations"]
    lines = [f"{v['id']}: {n['html'][:160]} {n['failureSummary']}" for v in found for n in v["nodes"]]
    assert not found, f"{where}: " + "; ".join(lines)


def _start(page: Page, url: str, shot: str = "") -> None:
    page.goto(url)
    if shot:
        expect(page.get_by_role("button", name="Login")).to_be_visible(timeout=60_000)
        _shot(page, shot)
        _no_axe_violations(page, "the login page")
    login = page.get_by_role("button", name="Login")
    ready = page.get_by_text("Performance indicators").first
    expect(login.or_(ready).first).to_be_visible(timeout=60_000)
    if login.is_visible():
        login.click()
    expect(ready).to_be_visible(timeout=60_000)


@pytest.fixture(scope="module")
def editing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, EditorServer, Page, list[str]]]:
    assert bundle_ready(), f"Decap CMS's bundle is not installed in {BUNDLE}; run: {INSTALL_COMMAND}"
    from tests.conftest import copy_fixture

    root = copy_fixture(tmp_path_factory.mktemp("editor") / "project")
    (root / ".gitignore").write_text(".cache/\nsite/\n", encoding="utf-8")
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"],
    ):
        subprocess.run(["git", "-C", str(root), *command], check=True)
    server = EditorServer(root / "site_config.yml", 0)
    server.serve_in_thread()
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def route(request_route) -> None:  # type: ignore[no-untyped-def]
            url = request_route.request.url
            if url.startswith(server.url) or url.startswith(("blob:", "data:")):
                request_route.continue_()
            else:
                outside.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on("dialog", lambda dialog: dialog.accept())  # "leave unsaved changes?", "delete this entry?"
        _start(page, server.url, "01-login")
        yield root, server, page, outside
        browser.close()
    server.shutdown()
    server.server_close()


def test_editor_browser_change_a_kpi_value(editing: tuple[Path, EditorServer, Page, list[str]]) -> None:
    root, _, page, _ = editing
    _shot(page, "02-collections")
    _no_axe_violations(page, "the list of collections")
    _open(page, "collections/kpis/entries/children-looked-after")
    value = page.locator('input[type="number"][value="565"]')
    _item(page, "2022-11").get_by_role("button", name="Show or hide this item's fields").click()
    expect(value).to_be_visible()
    _no_axe_violations(page, "the entry editor")
    value.fill("566")
    _shot(page, "03-kpi-value")
    _publish(page)
    _published(page)
    rel = "data/kpis/children-looked-after.yml"
    assert _diff(root, rel) == ['-  - {period: "2022-11", value: 565}', '+  - {period: "2022-11", value: 566}']
    _loads_cleanly(root)


def _expand(page: Page, label: str, within: Locator | None = None) -> None:
    """Open the group of fields (an object field) labelled `label`."""
    group = (
        (within or page)
        .locator('[aria-label="object field"]')
        .filter(has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")))
    )
    group.first.get_by_test_id("expand-button").first.click()


def _choose(page: Page, label: str, option: str, nth: int = 0) -> None:
    """Pick `option` in the drop-down list labelled `label`."""
    page.get_by_label(label, exact=True).nth(nth).click()
    page.get_by_role("option", name=option, exact=True).click()


def _add_photo(page: Page, photo: Path) -> None:
    page.get_by_role("button", name="Add images").click()
    page.get_by_role("button", name="Choose an image").click()
    page.locator('input[type="file"]').set_input_files(str(photo))  # what "Upload" opens
    expect(page.get_by_text(photo.name, exact=True)).to_be_visible(timeout=60_000)
    _shot(page, "04a-photo")
    _no_axe_violations(page, "the media library")
    page.get_by_role("button", name="Choose selected").click()
    item = page.locator('[class*="SortableListItem"]').last
    item.get_by_label("Alt text", exact=True).fill("A blanket on the grass with plates of food.")
    _expand(page, "Consent", item)
    item.get_by_label("Given by", exact=True).fill("the young people shown and their carers")
    item.get_by_label("Until", exact=True).fill("2099-12-31")


def _photo_with_location(folder: Path) -> Path:
    """A phone photo as it comes: with the camera's make and where it was taken."""
    picture = Image.new("RGB", (64, 48), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (53.0, 25.0, 49.0)}
    path = folder / "picnic.jpg"
    picture.save(path, exif=exif)
    return path


def test_editor_browser_create_an_event(editing: tuple[Path, EditorServer, Page, list[str]], tmp_path: Path) -> None:
    root, _, page, _ = editing
    photo = _photo_with_location(tmp_path)
    _list(page, "events")
    page.locator('a[href="#/collections/events/new"]').click()
    title = page.get_by_label("Title", exact=True)
    expect(title.first).to_be_visible(timeout=60_000)
    title.first.fill("Summer picnic")
    page.get_by_label("Date", exact=True).fill("2017-06-10")
    _choose(page, "Kind", "community")
    page.get_by_label("Summary", exact=True).first.fill("Young people and carers had a picnic in the park.")
    page.get_by_label("What happened", exact=True).first.fill("We shared food, played games and planned the summer.")
    _expand(page, "Source")
    _choose(page, "Source document", "cpp-2017-07-18")
    title.last.fill("A picnic in the park")
    page.get_by_label("Summary", exact=True).last.fill("We had a picnic in the park.")
    _add_photo(page, photo)
    _shot(page, "04-new-event")
    _publish(page)
    _published(page)
    rel = "data/events/2017-06-10-summer-picnic.yml"
    text = (root / rel).read_text(encoding="utf-8")
    assert text.startswith('title: Summer picnic\ndate: "2017-06-10"\nkind: community\n')
    assert "place" not in text and "young:\n  title: A picnic in the park\n" in text
    assert "  - src: images/picnic.jpg\n" in text
    stored = (root / "content/images/picnic.jpg").read_bytes()
    assert b"PhoneMaker" not in stored and not Image.open(io.BytesIO(stored)).getexif()
    _loads_cleanly(root)


def test_editor_browser_bad_date_gets_a_located_message(editing: tuple[Path, EditorServer, Page, list[str]]) -> None:
    root, server, page, _ = editing
    rel = "data/events/2017-06-10-summer-picnic.yml"
    before = (root / rel).read_bytes()
    _open(page, "collections/events/entries/2017-06-10-summer-picnic")
    date = page.get_by_label("Date", exact=True)
    date.fill("2017-06-31")
    _publish(page)
    message = page.get_by_text(f"{rel}:2:7: date: Input should be a valid date (got '2017-06-31')", exact=False)
    expect(message).to_be_visible(timeout=60_000)
    expect(message).to_be_in_viewport()
    page.wait_for_timeout(800)  # the notice slides in from the right
    _shot(page, "05-located-error")
    _no_axe_violations(page, "the entry editor showing a refused save")
    assert (root / rel).read_bytes() == before
    _start(page, server.url)  # leave the unsaved change behind: a fresh start, as a worker would reload


def test_editor_browser_add_an_entitlement(editing: tuple[Path, EditorServer, Page, list[str]]) -> None:
    root, _, page, _ = editing
    _open(page, "collections/areas/entries/money")
    page.get_by_role("button", name="Add entitlements").click()
    item = page.locator('[class*="SortableListItem"]').last
    item.get_by_label("Id", exact=True).fill("bus-pass")
    item.get_by_label("Title", exact=True).first.fill("Free bus pass")
    item.get_by_label("Description", exact=True).first.fill("A pass for buses in the borough while you study.")
    # `basis` is deprecated (worked out from `legal_basis`): a council's own offer needs neither.
    _expand(page, "Qualifies", item)
    item.get_by_label("Min age", exact=True).fill("16")
    item.get_by_label(re.compile("^Max age")).fill("21")
    item.get_by_label("Care status", exact=True).click()
    page.get_by_role("option", name="former relevant", exact=True).click()
    item.get_by_label("How to get", exact=True).first.fill("Ask your personal adviser for the form.")
    item.get_by_label("Contact", exact=True).fill("Your personal adviser")
    item.get_by_label("Last reviewed", exact=True).fill("2023-03-28")
    _expand(page, "Source", item)
    item.get_by_label("Source document", exact=True).click()
    page.get_by_role("option", name="cpp-2023-03-28", exact=True).click()
    item.get_by_label("Title", exact=True).last.fill("Free bus travel")
    item.get_by_label("Description", exact=True).last.fill("You can get on the bus for free.")
    item.get_by_label("How to get", exact=True).last.fill("Ask your adviser.")
    _shot(page, "06-new-entitlement")
    _publish(page)
    _published(page)
    rel = "data/entitlements/money.yml"
    diff = _diff(root, rel)
    assert diff[0] == "+  - id: bus-pass" and all(line.startswith("+") for line in diff), diff
    assert "+      title: Free bus travel" in diff
    _loads_cleanly(root)


def test_editor_browser_delete_a_record(editing: tuple[Path, EditorServer, Page, list[str]]) -> None:
    root, _, page, _ = editing
    rel = "data/meetings/2017-08-29.yml"
    _open(page, "collections/meetings/entries/2017-08-29")
    page.get_by_role("button", name="Delete entry").click()
    expect(page.locator('a[href="#/collections/meetings/entries/2017-08-29"]')).to_have_count(0, timeout=60_000)
    _shot(page, "07-after-delete")
    for _ in range(600):  # Decap updates its list before the server has answered
        if not (root / rel).exists():
            break
        page.wait_for_timeout(100)
    assert not (root / rel).exists()
    _loads_cleanly(root)


def test_editor_browser_check_passes_and_nothing_left_the_machine(
    editing: tuple[Path, EditorServer, Page, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _, _, outside = editing
    monkeypatch.chdir(root)
    assert main(["check"]) == 0
    assert outside == []
