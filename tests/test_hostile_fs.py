"""Hostile and unlucky file systems: panelsite never deletes what it did not make, and an operating-
system failure (read-only folder, full disk, permission refused) is one line naming the path, exit 1,
with the previous site as it was.

Tests run as root, whom chmod does not stop, so read-only folders and full disks are simulated by
making the operating system's calls fail (an `OSError` with the real errno) at the points where
panelsite writes, renames or deletes; a site path under a regular file is a real failure.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.site_folder import (
    MARKER,
    check_output_folder,
    replace_folder,
)
from tests.conftest import copy_built, write


def listing(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links not followed) with a hash of its bytes."""
    found = {}
    for top, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(top, name)
            found[path.relative_to(folder).as_posix()] = (
                "link" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
            )
    return found


def refused(capsys, argv: list[str], expected_start: str) -> None:
    """The command exits 2 with one line, starting as expected, and no traceback."""
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(expected_start), err[0]
    assert "Traceback" not in err[0] and "internal error" not in err[0]


# --- the site folder: never what panelsite did not make -------------------------------------------


def test_building_into_the_project_folder_is_refused_and_deletes_nothing(project, capsys):
    before = listing(project)
    refused(capsys, ["build", "--site-dir", "."], "panelsite: .: is the project folder")
    assert listing(project) == before


def test_building_into_content_is_refused_and_the_pages_stay(project, capsys):
    before = listing(project / "content")
    refused(capsys, ["build", "--site-dir", "content"], "panelsite: content: is the content folder")
    assert listing(project / "content") == before and before


def test_building_into_a_folder_inside_data_is_refused(project, capsys):
    refused(capsys, ["build", "--site-dir", "data/site"], "panelsite: data/site: is inside the data folder")
    assert not (project / "data/site").exists()


def test_building_into_a_folder_that_holds_the_project_is_refused(project, capsys):
    before = listing(project)
    refused(capsys, ["build", "--site-dir", ".."], "panelsite: ..: contains the project folder")
    assert listing(project) == before


def test_building_over_the_configuration_file_is_refused(project, capsys):
    refused(capsys, ["build", "--site-dir", "site_config.yml"], "panelsite: site_config.yml: is the configuration file")
    assert (project / "site_config.yml").is_file()


def test_a_committed_site_link_is_refused_and_the_folder_it_points_to_is_kept(project, capsys):
    before = listing(project / "content")
    (project / "site").symlink_to("content")
    refused(capsys, ["build"], "panelsite: site: is a symbolic link (to content)")
    assert listing(project / "content") == before
    assert (project / "site").is_symlink()


def test_a_site_link_to_a_folder_outside_the_project_is_refused(project, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere, "notes.txt", "someone's notes\n")
    (project / "site").symlink_to(elsewhere)
    refused(capsys, ["build"], "panelsite: site: is a symbolic link")
    assert (elsewhere / "notes.txt").read_text() == "someone's notes\n"


def test_a_linked_folder_that_leaves_the_project_is_not_a_way_round(project, capsys, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "out").symlink_to(outside)
    refused(
        capsys,
        ["build", "--site-dir", "out/site"],
        "panelsite: out/site: its folder out is a symbolic link that leads out of the project",
    )
    assert list(outside.iterdir()) == []


def test_a_folder_of_someone_elses_files_is_refused(project, capsys, tmp_path):
    theirs = tmp_path / "public_html"
    write(theirs, "index.html", "<p>the council's own page</p>")
    write(theirs, "notes.md", "mine")
    refused(capsys, ["build", "--site-dir", str(theirs)], f"panelsite: {theirs}: is not empty and was not made by")
    assert listing(theirs) == {
        "index.html": hashlib.sha256(b"<p>the council's own page</p>").hexdigest(),
        "notes.md": hashlib.sha256(b"mine").hexdigest(),
    }


def test_a_planted_marker_link_does_not_make_a_folder_panelsites(project, tmp_path):
    theirs = tmp_path / "theirs"
    write(theirs, "notes.txt", "mine")
    (theirs / MARKER).symlink_to(project / "site_config.yml")
    assert "was not made by panelsite" in str(check_output_folder(theirs, project, project / "site_config.yml"))
    (theirs / MARKER).unlink()
    (theirs / MARKER).write_text("panelsite made this folder")
    assert check_output_folder(theirs, project, project / "site_config.yml") is None


def test_an_existing_file_is_not_a_site_folder(project, capsys):
    write(project, "report.txt", "keep me")
    refused(capsys, ["build", "--site-dir", "report.txt"], "panelsite: report.txt: is a file, not a folder")
    assert (project / "report.txt").read_text() == "keep me"


@pytest.mark.parametrize(
    ("site_dir", "why"), [(".", "is the project folder"), ("content", "is the content folder"), ("..", "contains")]
)
def test_site_dir_in_the_configuration_obeys_the_same_rule(project, capsys, site_dir, why):
    config = project / "site_config.yml"
    config.write_text(config.read_text().replace("site_dir: site", f"site_dir: {site_dir}"))
    before = listing(project)
    shown = site_dir if site_dir != ".." else f"{project}/.."  # outside the working folder: the whole path
    refused(capsys, ["build"], f"panelsite: {shown}: {why}")
    assert listing(project) == before


def test_the_theme_folder_and_git_are_protected_too(project):
    (project / "theme").mkdir()
    (project / ".git").mkdir()
    config = project / "site_config.yml"
    assert "is the theme folder" in str(check_output_folder(project / "theme", project, config, [project / "theme"]))
    assert "is the project's .git folder" in str(check_output_folder(project / ".git", project, config))
    assert "is inside the project's .git" in str(check_output_folder(project / ".git/site", project, config))


def test_a_plain_mkdocs_build_with_the_plugin_refuses_the_data_folder(project):
    """MkDocs empties its site_dir itself; the plugin refuses before it does."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    config = load_config(str(project / "site_config.yml"), site_dir=str(project / "data"))
    plugin = config.plugins["panelsite"]
    plugin.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError, match="is the data folder"):
        plugin.on_config(config)


def fake_previous_build(folder: Path) -> Path:
    for name in (
        "index.html",
        "sitemap.xml",
        "sitemap.xml.gz",
        "search/search_index.json",
        "assets/stylesheets/main.css",
        "performance/charts/a.svg",
        "young/index.html",
        "young/sitemap.xml",
        "young/search/search_index.json",
    ):
        write(folder, name, "x")
    return folder


def test_a_site_built_before_the_marker_is_accepted_while_it_holds_only_site_files(project, tmp_path):
    """Councils upgrading keep building into their old site/; anything else in it makes it not a site."""
    old = fake_previous_build(project / "site")
    config = project / "site_config.yml"
    assert check_output_folder(old, project, config) is None
    for stray in ("notes.md", "young/data.yml", "backup"):
        write(old, stray, "mine")
        assert "was not made by panelsite" in str(check_output_folder(old, project, config)), stray
        (old / stray).unlink()
    (old / "search/search_index.json").unlink()
    assert "was not made by panelsite" in str(check_output_folder(old, project, config)), "no MkDocs search: not ours"


def test_an_export_made_before_the_marker_is_accepted_and_nothing_else(project, tmp_path):
    out = tmp_path / "out"
    for edition in ("standard", "young"):
        write(out, f"{edition}/mkdocs.yml", "site_name: x\n")
        write(out, f"{edition}/docs/index.md", "# x\n")
    config = project / "site_config.yml"
    assert check_output_folder(out, project, config, kind="export") is None
    assert "is not empty and was not made by panelsite" in str(check_output_folder(out, project, config))
    write(out, "README.md", "mine")
    assert "was not made by panelsite" in str(check_output_folder(out, project, config, kind="export"))


@pytest.mark.parametrize(("target", "why"), [(".", "is the project folder"), ("content", "is the content folder")])
def test_export_obeys_the_same_rule(project, capsys, target, why):
    before = listing(project)
    refused(capsys, ["export", target], f"panelsite: {target}: {why}")
    assert listing(project) == before


def test_export_into_someone_elses_folder_is_refused(project, capsys, tmp_path):
    write(tmp_path / "docs", "standard/index.md", "mine")
    refused(capsys, ["export", str(tmp_path / "docs")], f"panelsite: {tmp_path / 'docs'}: is not empty")
    assert (tmp_path / "docs/standard/index.md").read_text() == "mine"


# --- swapping the new site in ----------------------------------------------------------------------


def swap_folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    site, staging = tmp_path / "site", tmp_path / ".panelsite-build-x"
    write(site, "index.html", "old")
    write(site, "young/index.html", "old young")
    write(staging, "site/index.html", "new")
    return site, staging / "site", staging


def test_a_read_only_folder_in_the_old_site_is_refused_before_anything_moves(tmp_path, monkeypatch):
    site, new, staging = swap_folders(tmp_path)
    real_access = os.access
    young = str(site / "young")
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == young else real_access(p, mode, **kw))
    with pytest.raises(PermissionError) as caught:
        replace_folder(site, new, staging)
    assert caught.value.filename == young
    assert (site / "index.html").read_text() == "old" and (new / "index.html").read_text() == "new"


def test_when_the_new_site_cannot_be_moved_in_the_previous_one_is_put_back(tmp_path, monkeypatch):
    site, new, staging = swap_folders(tmp_path)
    real_rename = os.rename

    def rename(source, destination):
        if str(source) == str(new):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(source))
        return real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="Read-only"):
        replace_folder(site, new, staging)
    assert (site / "index.html").read_text() == "old" and (site / "young/index.html").read_text() == "old young"
    assert not (staging / "previous").exists()


# --- operating-system failures, end to end ----------------------------------------------------------


@pytest.fixture
def with_site(fixture_build, tmp_path, monkeypatch) -> Path:
    """A copy of a project with a built site (and its chart cache), the working directory set to it:
    the fixture project as conftest's `fixture_build` built it once for the session."""
    root = copy_built(fixture_build, tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def one_failure_line(capsys, argv: list[str]) -> str:
    """Exit 1, no traceback, no 'internal error', no MkDocs error line; the last stderr line."""
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err and "ERROR" not in err, err
    return err.strip().splitlines()[-1]


def assert_no_leftovers(root: Path) -> None:
    assert not [p.name for p in root.iterdir() if p.name.startswith((".panelsite-build-", ".site-old-"))]


def test_the_site_is_marked_as_panelsites(with_site):
    assert (with_site / "site" / MARKER).is_file()
    assert not (with_site / "site/young" / MARKER).exists()


def test_a_full_disk_while_writing_pages_is_one_line_and_the_site_is_kept(with_site, capsys, monkeypatch):
    import mkdocs.utils

    before = listing(with_site / "site")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # a write names no file

    monkeypatch.setattr(mkdocs.utils, "write_file", full)
    line = one_failure_line(capsys, ["build"])
    assert line == "panelsite: site: No space left on device (build stopped; the site was not changed)"
    assert listing(with_site / "site") == before
    assert_no_leftovers(with_site)


def test_a_read_only_site_is_one_line_and_is_neither_replaced_nor_left_half_moved(with_site, capsys, monkeypatch):
    """As a read-only folder behaves for anyone but root: no write access, and renaming it fails."""
    site = with_site / "site"
    before = listing(site)
    real_access, real_rename = os.access, os.rename

    def inside(path) -> bool:
        return Path(os.path.abspath(path)).is_relative_to(site)

    monkeypatch.setattr(
        os, "access", lambda p, m, **kw: False if inside(p) and m & os.W_OK else real_access(p, m, **kw)
    )

    def rename(source, destination):
        if inside(source):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(source))
        return real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename)
    line = one_failure_line(capsys, ["build"])
    assert line == (
        "panelsite: site: read-only, so site cannot be replaced (it could not be deleted) "
        "(build stopped; the site was not changed)"
    )
    assert listing(site) == before
    assert_no_leftovers(with_site)


def test_a_site_path_under_a_regular_file_is_one_line(project, capsys):
    write(project, "notes.txt", "keep me")
    line = one_failure_line(capsys, ["build", "--site-dir", "notes.txt/site"])
    assert line == "panelsite: notes.txt: Not a directory (build stopped; the site was not changed)"
    assert (project / "notes.txt").read_text() == "keep me"


def test_building_in_a_read_only_project_names_the_project_folder(project, capsys, monkeypatch):
    """The new site is built beside the old one: a project folder that refuses new folders stops it."""
    import tempfile

    def read_only(*args, dir=None, **kwargs):  # noqa: A002 - tempfile's own name
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(str(dir), ".panelsite-build-x"))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    line = one_failure_line(capsys, ["build"])
    assert line == f"panelsite: {project}: Read-only file system (build stopped; the site was not changed)"
    assert not (project / "site").exists()


def test_check_in_a_read_only_project_goes_on_without_a_chart_cache(project, capsys, monkeypatch):
    cache = project / ".cache"
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if Path(os.path.abspath(self)).is_relative_to(cache):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    # The chart cache is refused (a cache is never needed to check or build), so check carries on.
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err


def test_new_in_a_read_only_data_folder_is_one_line(project, capsys, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    line = one_failure_line(capsys, ["new", "event", "summer-trip", "--date", "2024-07-01"])
    assert line == "panelsite: data/events/2024-07-01-summer-trip.yml: Permission denied (new stopped)"


def test_new_on_a_full_disk_leaves_the_glossary_as_it_was(project, capsys, monkeypatch):
    glossary = project / "data" / "glossary.yml"
    before = glossary.read_bytes()

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), args[0] if args else "")

    monkeypatch.setattr(os, "replace", full)
    assert main(["new", "term", "zzq-new-term"]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert glossary.read_bytes() == before
    assert not [p for p in glossary.parent.iterdir() if p.name.startswith(".glossary.yml.")]


def test_init_on_a_full_disk_is_one_line_and_keeps_nothing(tmp_path, capsys, monkeypatch):
    real_write = Path.write_text
    written = []

    def write_text(self, *args, **kwargs):
        written.append(self)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    target = tmp_path / "northby"
    line = one_failure_line(capsys, ["init", str(target), "--council", "Northby City Council"])
    assert line == f"panelsite: {target}: No space left on device (init stopped; nothing was kept)"
    assert not target.exists(), "a half-made site would fail its own check; init can simply be run again"


def test_export_on_a_full_disk_keeps_the_previous_export(project_with_charts, capsys, monkeypatch, tmp_path):
    """The chart cache is filled beforehand, as the first export here would have filled it: the
    failure is in writing the export, not the cache."""
    out = tmp_path / "export"
    assert main(["export", str(out)]) == 0
    assert (out / MARKER).is_file()
    before = listing(out)
    capsys.readouterr()
    real_write = Path.write_bytes

    def write_bytes(self, data):
        if self.suffix == ".svg":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    line = one_failure_line(capsys, ["export", str(out)])
    assert line.startswith(f"panelsite: {out}/") and ".svg: No space left on device (export stopped;" in line
    assert listing(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".panelsite-export-")]


def test_serve_that_cannot_make_its_folder_is_one_line(project, capsys, monkeypatch):
    import socket
    import tempfile

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/mkdocs_x")

    monkeypatch.setattr(tempfile, "mkdtemp", no_space)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = one_failure_line(capsys, ["serve", "--dev-addr", f"127.0.0.1:{port}"])
    assert line == "panelsite: /tmp/mkdocs_x: No space left on device (serve stopped)"
