"""The section registry is the one place a section's facts live; everything about sections is derived from it.

A section left out of the navigation, a record missing a field, a kind named two ways or a kind
module nobody registered must fail loudly (at import or here), never drop out silently.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from pathlib import Path

import pytest

from generator import pages, registry
from generator.icons import SECTION_ICONS, section_icons_css
from generator.link_check import SECTION_SOURCES, check_links
from generator.pages import KINDS
from generator.pipeline import SECTION_NAV_ORDER, _build, _nav, load_project
from generator.registry import CONFIGURED, ROOT, SECTIONS, RegistryError, Section, check, section
from generator.settings import read_config
from generator.urls import Urls

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site" / "site_config.yml"
GOOD = {  # a record no real section will ever clash with
    "key": "sample_section",
    "folder": "sample-section",
    "nav_order": 999,
    "icon": "material/phone",
    "source": "data/samples/",
    "kind": "samples:KIND",
    "index": "sample_section",
}


def test_every_table_about_sections_is_derived_from_the_registry():
    keys = [record.key for record in SECTIONS]
    assert [kind.name for kind in KINDS] == keys
    assert list(SECTION_NAV_ORDER) == keys
    assert {r.key: r.nav_order for r in SECTIONS} == SECTION_NAV_ORDER
    assert {r.key: r.icon for r in SECTIONS if r.icon} == SECTION_ICONS
    assert {r.folder: r.source for r in SECTIONS if r.folder} == SECTION_SOURCES
    urls = Urls("our-council")
    assert list(urls.sections()) == keys
    for record in SECTIONS:
        index = urls.sections()[record.key]
        assert index == getattr(urls, record.index)()
        folder = urls.folder(record)
        assert index == (f"{folder}/index.md" if folder else index), record.key
    assert urls.folder(section("children_council")) == "our-council"
    assert urls.folder(section("local_offer")) == "local-offer"


def test_keys_are_identifiers_and_the_url_folder_is_a_field():
    for record in SECTIONS:
        assert record.key.isidentifier(), record.key
    assert section("local_offer").folder == "local-offer"
    assert section("children_council").folder is CONFIGURED
    assert section("accessibility").folder == ROOT
    with pytest.raises(KeyError, match="no section 'local-offer'; the sections are performance, children_council"):
        section("local-offer")


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_a_record_missing_a_field_fails_when_it_is_written(missing):
    with pytest.raises(TypeError, match=f"missing 1 required keyword-only argument: '{missing}'"):
        Section(**{k: v for k, v in GOOD.items() if k != missing})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("key", "local-offer", "key 'local-offer' is not a lower_case identifier"),
        ("folder", "Local Offer", "folder 'Local Offer' is not a URL folder"),
        ("nav_order", None, "nav_order None is not a positive whole number"),
        ("nav_order", True, "nav_order True is not a positive whole number"),
        ("icon", "gift", "icon 'gift' is not an icon name like material/gift"),
        ("source", " ", "source ' ' is empty"),
        ("kind", "contacts", "kind 'contacts' is not module:NAME"),
        ("index", "local-offer", "index 'local-offer' is not a method name"),
    ],
)
def test_a_malformed_record_fails_naming_it(field, value, message):
    with pytest.raises(RegistryError, match=f"section '[a-z_-]+': {message}"):
        Section(**{**GOOD, field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("key", "performance"), ("folder", "performance"), ("nav_order", 10)],
)
def test_two_records_may_not_share_a_key_folder_or_place(field, value):
    clash = Section(**{**GOOD, field: value})
    with pytest.raises(RegistryError, match=f"the same {field} {value!r}"):
        check((*SECTIONS, clash))
    assert check((*SECTIONS, Section(**GOOD)))[-1].key == "sample_section"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "nowhere:KIND"}, "no page kind module generator/pages/nowhere.py"),
        ({"kind": "offer:OTHER"}, "generator/pages/offer.py has no page kind OTHER"),
        ({"kind": "offer:KIND"}, "its kind offer:KIND is named 'local_offer'"),
        ({"key": "local_offer", "kind": "offer:KIND"}, "Urls has no method 'sample_section'"),
    ],
)
def test_a_record_whose_kind_or_url_method_is_wrong_stops_the_import(changes, message):
    with pytest.raises(RegistryError, match=message):
        pages._kind(Section(**{**GOOD, **changes}))


def test_every_page_kind_module_is_registered():
    """A kind module written but left out of the registry would plan no page and be in no navigation."""
    found = set()
    for path in sorted((REPO / "generator" / "pages").glob("[!_]*.py")):
        module = importlib.import_module(f"generator.pages.{path.stem}")
        for name, value in vars(module).items():
            if not inspect.isclass(value) and callable(getattr(value, "plan", None)) and hasattr(value, "templates"):
                found.add(f"{path.stem}:{name}")
    assert found == {record.kind for record in SECTIONS}


@pytest.fixture(scope="module")
def planned():
    project = load_project(FIXTURE)
    assert not project.problems.has_errors
    config = read_config(FIXTURE)
    return {
        edition: (build := _build(project, edition, config, None), [p for kind in KINDS for p in kind.plan(build)])
        for edition in ("standard", "young")
    }


def test_every_section_the_edition_has_is_in_its_navigation_at_its_place(planned):
    for edition, (build, planned_pages) in planned.items():
        nav = [path for entry in _nav(planned_pages, [], build.urls) for path in entry.values()]
        indexes = build.urls.sections()
        present = [key for key, path in indexes.items() if path in {p.path for p in planned_pages}]
        assert present, edition
        assert nav == [indexes[key] for key in sorted(present, key=SECTION_NAV_ORDER.__getitem__)]
        in_nav = {p.path for p in planned_pages if p.in_nav}
        assert in_nav == {indexes[key] for key in present}, f"{edition}: a kind's index page is not in_nav"


def test_a_section_missing_from_the_navigation_would_fail(planned, monkeypatch):
    build, planned_pages = planned["standard"]
    monkeypatch.delitem(SECTION_NAV_ORDER, "pledge")
    nav = [path for entry in _nav(planned_pages, [], build.urls) for path in entry.values()]
    assert build.urls.pledge() not in nav  # what the test above catches: it compares with every section


def test_the_young_icons_and_link_hints_follow_the_configured_folder(planned):
    build, planned_pages = planned["young"]
    css = section_icons_css({p.path for p in planned_pages}, build.urls)
    assert f'[href$="{build.urls.folder(section("children_council"))}/"]' in css
    assert '[href$="accessibility/"]' in css
    problems = check_links({"index.md": "[x](local-offer/index.md) [y](lac/index.md)"}, [], "young", "lac")
    hints = [p.hint for p in problems.items]
    assert hints == [
        "this page is made from data/entitlements/; add it, or remove the link",
        "this page is made from data/updates/; add it, or remove the link",
    ]


def test_the_registry_imports_nothing_from_panelsite():
    """Every module may read the registry, so it must not read any of them."""
    import ast

    tree = ast.parse((REPO / "generator" / "registry.py").read_text(encoding="utf-8"))
    imported = [
        n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.level or "generator" in (n.module or ""))
    ]
    assert imported == []
    assert tuple(f.name for f in dataclasses.fields(Section)) == registry.FIELDS
