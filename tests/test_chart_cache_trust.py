"""The chart cache is never trusted: its key covers everything written into a chart, and every entry read
back is checked (its seal, its shape, its words) and drawn again when wrong (issues 20 and 21)."""

import os
import stat

import pytest

from generator import charts
from generator.charts import kpi_charts
from generator.charts.render import ChartCache, check_svg
from generator.models import Kpi
from generator.private_cache import read_manifest, seal

pytestmark = pytest.mark.slow  # most tests build the fixture to see what the cache hands to the site

KPI = Kpi.model_validate(
    {
        "id": "cla",
        "title": "Children looked after",
        "definition": "d",
        "theme": "t",
        "unit": "count",
        "polarity": "information only",
        "frequency": "monthly",
        "source": {"doc": "s"},
        "values": [
            {"period": "2022-10", "value": 540},
            {"period": "2022-11", "value": 545},
            {"period": "2022-12", "value": 551},
        ],
        "breakdowns": [
            {
                "title": "By type of home",
                "period": "2022-12-31",
                "unit": "count",
                "source": {"doc": "s"},
                "items": [{"label": "Foster care", "value": 400}, {"label": "Residential", "value": 50}],
            }
        ],
    }
)


def _files(cache, edition="standard") -> dict[str, bytes]:
    return {
        name: svg for chart in charts.render_kpi_charts(KPI, edition, cache, "Northby") for name, svg in chart.files
    }


def _entries(folder) -> list:
    """The chart entries in the cache's `charts` folder (files named by their key)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _saved(cache) -> ChartCache:
    cache.save()
    return cache


@pytest.fixture
def warm(tmp_path):
    """A cache folder holding every rendering of KPI's charts, listed in its manifest, and the bytes first drawn."""
    folder = tmp_path / "project" / ".cache" / "panelsite" / "charts"
    cache = ChartCache(folder)
    fresh = _files(cache)
    cache.save()
    assert len(_entries(folder)) == len(fresh) == 4
    assert len(read_manifest(folder.parent)["charts"]) == 4
    return folder, fresh


# --- The key covers the words in the file ----------------------------------------------------------


def test_a_changed_description_is_written_into_the_chart(warm, monkeypatch):
    folder, first = warm
    assert b"Children looked after: 551 in December 2022" in first["cla.svg"]
    original = kpi_charts.alt_text
    monkeypatch.setattr(kpi_charts, "alt_text", lambda *a, **k: original(*a, **k) + " Reworded.")
    again = ChartCache(folder)
    files = _files(again)
    assert again.rendered == 2 and again.reused == 2, "the line chart is drawn again, the bar chart reused"
    assert b"Reworded.</desc>" in files["cla.svg"]
    assert b"Reworded.</desc>" in files["cla-narrow.svg"]


def test_a_changed_title_is_written_into_the_chart(warm):
    folder, _ = warm
    renamed = Kpi.model_validate(KPI.model_dump() | {"headline": "Children in our care"})
    svg = charts.render_kpi_charts(renamed, "standard", ChartCache(folder))[0].svg
    assert b'<title id="chart-title">Children in our care</title>' in svg


def test_a_warm_cache_is_used(warm):
    folder, first = warm
    again = ChartCache(folder)
    assert _files(again) == first
    assert (again.rendered, again.reused, again.rejected) == (0, 4, 0)


# --- Tampered entries are drawn again -----------------------------------------------------------


TAMPERINGS = {
    "script": lambda svg: svg.replace(b"</svg>", b"<script>alert(1)</script></svg>"),
    "onload": lambda svg: svg.replace(b'role="img"', b'role="img" onload="alert(1)"', 1),
    "truncated": lambda svg: svg[: len(svg) // 2],
    "wrong shape": lambda svg: b'{"not": "an svg"}',
    "empty": lambda svg: b"",
    "changed drawing": lambda svg: svg.replace(b'<path d="M ', b'<path d="M 1', 1),
    "external image": lambda svg: svg.replace(b"</svg>", b'<use xlink:href="https://evil.example/x.svg#a"/></svg>'),
}


@pytest.mark.parametrize("how", list(TAMPERINGS))
def test_a_tampered_entry_is_drawn_again_and_replaced(warm, how):
    folder, first = warm
    for entry in _entries(folder):
        entry.write_bytes(TAMPERINGS[how](entry.read_bytes()))
    again = ChartCache(folder)
    assert _files(again) == first, "the published charts are the freshly drawn ones"
    assert (again.rendered, again.rejected) == (4, 4)
    again.save()
    third = ChartCache(folder)
    assert _files(third) == first and third.reused == 4, "the redrawn entries replaced the tampered ones"


def test_a_tampered_entry_with_its_seal_copied_from_another_entry_is_drawn_again(warm):
    folder, first = warm
    entries = _entries(folder)
    victim, donor = entries[0], entries[1]
    victim.write_bytes(donor.read_bytes())  # another chart, sealed as itself
    again = ChartCache(folder)
    assert _files(again) == first
    assert again.rejected == 1


def test_an_entry_that_is_a_link_is_not_followed(warm, tmp_path):
    folder, first = warm
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    entry = _entries(folder)[0]
    entry.unlink()
    entry.symlink_to(secret)
    files = _files(ChartCache(folder))
    assert files == first
    assert b"password" not in b"".join(files.values())
    assert secret.read_text() == "password", "the link's target is untouched"


def test_a_cache_folder_from_somewhere_else_is_not_trusted(warm, tmp_path):
    """A cache committed to the council's repository, or copied from another machine: whoever made it sealed
    its entries under their own key, and this user's key is never inside a project, so every entry is drawn
    again."""
    folder, first = warm
    theirs = b"k" * 32  # an attacker's key: they can seal what they plant, and list it in the manifest
    for entry in _entries(folder):
        header, _, svg = entry.read_bytes().partition(b"\n")
        made_from = header.split(b" ")[2].decode()
        planted = TAMPERINGS["script"](svg)
        entry.write_bytes(f"panelsite-cache 2 {made_from} {seal(theirs, made_from, planted)}\n".encode() + planted)
    again = ChartCache(folder)
    assert _files(again) == first
    assert (again.rendered, again.rejected) == (4, 4)
    project = folder.parents[2]
    assert not [p for p in project.rglob("*") if "seal" in p.name or "key" in p.name], "no key in the project"


# --- The check itself ---------------------------------------------------------------------------------


def test_every_fresh_chart_passes_the_check():
    for edition in ("standard", "young"):
        for chart in charts.render_kpi_charts(KPI, edition, ChartCache(None), "Northby"):
            for _, svg in chart.files:
                assert check_svg(svg, chart.title, chart.alt) is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: s.replace(b"</svg>", b"<script>alert(1)</script></svg>"), "unexpected element"),
        (
            lambda s: s.replace(b"</svg>", b"<svg:script xmlns:svg='http://www.w3.org/2000/svg'>x</svg:script></svg>"),
            "unexpected element",
        ),
        (lambda s: s.replace(b"</svg>", b"<foreignObject/></svg>"), "unexpected element"),
        (lambda s: s.replace(b'role="img"', b'role="img" onload="alert(1)"', 1), "unexpected attribute"),
        (lambda s: s.replace(b'<g id="', b'<g style="fill: url(https://evil.example/f)" id="', 1), "reference out"),
        (
            lambda s: s.replace(b'<g id="', b'<g style="fill: URL( \'https://evil.example/f\')" id="', 1),
            "reference out",
        ),
        (lambda s: s.replace(b'<g id="', b'<g style="fill: &#117;rl(//evil.example/f)" id="', 1), "reference out"),
        (
            lambda s: s.replace(b"<svg ", b'<?xml-stylesheet href="https://evil.example/s.css"?><svg ', 1),
            "not the start",
        ),
        (lambda s: s.replace(b"</svg>", b"<?xml-stylesheet href='https://evil.example/s.css'?></svg>"), "processing"),
        (lambda s: s.replace(b"</svg>", b"<!-- a comment --></svg>"), "a declaration"),
        (lambda s: s.replace(b'svg11.dtd">', b'svg11.dtd" [<!ENTITY a "aaaa">]>', 1), "not the start"),
        (
            lambda s: s.replace(b"<style", b"<style>@import url(https://evil.example/x.css);</style><style", 1),
            "stylesheet",
        ),
        (lambda s: s.replace(b"Children looked after:", b"Children looked after (old wording):", 1), "description"),
        # The colour stylesheet (issue 26) is checked rule by rule: it must be exactly the one panelsite writes.
        (lambda s: s.replace(b".f-bg{fill:#ffffff}", b".f-bg{fill:#fffffe}", 1), "stylesheet"),
        (lambda s: s.replace(b".f-text{fill:#ececec}", b".f-text{fill:#1e2129}", 1), "stylesheet"),
        (lambda s: s.replace(b"@media (prefers-color-scheme: dark){", b"@media print{", 1), "stylesheet"),
        (lambda s: s.replace(b"</style>", b"svg{background:url(https://evil.example/t.png)}</style>", 1), "stylesheet"),
        (lambda s: s.replace(b"</style>", b"text{display:none}</style>", 1), "stylesheet"),
        (lambda s: s.replace(b"</style>", b"</style><style>.f-bg{fill:red}</style>", 1), "stylesheet"),
        (lambda s: s.replace(b'class="f-bg"', b'class="f-bg hidden"', 1), "unexpected class"),
    ],
)
def test_the_check_finds_what_a_chart_never_holds(change, reason):
    chart = charts.render_kpi_charts(KPI, "standard", ChartCache(None), "Northby")[0]
    assert check_svg(chart.svg, chart.title, chart.alt) is None
    found = check_svg(change(chart.svg), chart.title, chart.alt)
    assert found is not None and reason in found, found


# --- The folder -------------------------------------------------------------------------------------------


def test_the_cache_folder_is_the_users_alone(tmp_path):
    folder = tmp_path / "p" / ".cache" / "panelsite" / "charts"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    _files(ChartCache(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    made = tmp_path / "q" / ".cache" / "charts"
    _files(ChartCache(made))
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700, "the folders it makes on the way too"


def test_a_planted_link_on_the_cache_path_is_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / ".cache").symlink_to(elsewhere)
    cache = ChartCache(project / ".cache" / "panelsite" / "charts")
    files = _files(cache)
    assert len(files) == 4 and cache.rendered == 4, "the charts are still drawn"
    assert list(elsewhere.iterdir()) == [], "nothing was written through the link"
    assert cache.refused and "link" in cache.refused


def test_a_cache_folder_that_is_a_file_is_refused(tmp_path):
    folder = tmp_path / "charts"
    folder.write_text("not a folder")
    cache = ChartCache(folder)
    assert len(_files(cache)) == 4
    assert cache.refused


@pytest.mark.parametrize("kept", [False, True], ids=["empty", "kept"])
def test_a_read_only_cache_folder_still_builds(tmp_path, monkeypatch, kept):
    """A read-only file system (simulated: root may write through any mode bits) gives no error: charts kept
    before are read and used, new ones simply not kept."""
    import errno

    folder = tmp_path / "charts"
    made = ChartCache(folder)
    first = _files(made)
    made.save()
    if not kept:
        for entry in _entries(folder):
            entry.unlink()
    before = sorted(p.name for p in folder.iterdir())
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    cache = ChartCache(folder)
    assert _files(cache) == first
    assert (cache.rendered, cache.reused) == ((0, 4) if kept else (4, 0))
    cache.save()
    assert sorted(p.name for p in folder.iterdir()) == before


# --- Through the pipeline ---------------------------------------------------------------------------------


def test_a_tampered_cache_never_reaches_the_published_site(tmp_path):
    from generator.pipeline import generate, load_project
    from tests.conftest import copy_fixture

    root = copy_fixture(tmp_path / "project")
    project = load_project(root / "site_config.yml")
    folder = root / ".cache" / "panelsite" / "charts"
    first = generate(project, "young", ChartCache(folder))
    svgs = {name: data for name, data in first.assets.items() if name.endswith(".svg")}
    assert svgs and _entries(folder)
    assert generate(project, "young", ChartCache(folder)).charts_rendered == 0, "listed by the build, then used"
    for entry in _entries(folder):
        entry.write_bytes(TAMPERINGS["script"](entry.read_bytes()))
    again = generate(project, "young", ChartCache(folder))
    assert {name: data for name, data in again.assets.items() if name.endswith(".svg")} == svgs
    assert again.charts_rendered == len(_entries(folder))


def test_reworded_summary_reaches_the_published_chart(tmp_path):
    """Issue 21: the summary's wording changed (a comparator's label, which the summary uses and the chart's
    own lines do not), and the chart kept its old description while the page's alt had the new."""
    from generator.pipeline import generate, load_project
    from tests.conftest import copy_fixture

    root = copy_fixture(tmp_path / "project")
    folder = root / ".cache" / "panelsite" / "charts"
    name = "performance/charts/care-leavers-in-education-employment-training.svg"
    first = generate(load_project(root / "site_config.yml"), "standard", ChartCache(folder))
    assert b"above statistical neighbours (53.7%)" in first.assets[name]
    config = root / "site_config.yml"
    old = "{name: statistical neighbours, label: statistical neighbours, in_summary: true}"
    new = (
        "{name: statistical neighbours, label: similar councils, short_label: Statistical neighbours, in_summary: true}"
    )
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new))
    again = generate(load_project(config), "standard", ChartCache(folder))
    svg = again.assets[name]
    assert b"above similar councils (53.7%)" in svg and b"above statistical neighbours" not in svg
    page = next(text for path, text in again.pages.items() if "care-leavers-in-education" in path)
    assert "above similar councils (53.7%)" in page, "the page's alt and the chart say the same"


def test_the_key_itself_covers_title_and_description():
    from generator.charts.kpi_charts import line_spec
    from generator.charts.render import chart_key
    from generator.charts.style import STYLES

    spec, style = line_spec(KPI, "standard"), STYLES["standard"]
    keys = {chart_key(spec, style, words) for words in (("T", "D"), ("T", "D."), ("T.", "D"))}
    assert len(keys) == 3
