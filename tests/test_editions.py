"""The edition is a type (`Edition`), and still equal to its name wherever a plain string arrives."""

from __future__ import annotations

import json

import pytest
import yaml

from generator.editions import EDITIONS, OTHER, SWITCH_TEXT, Edition
from generator.export import _edition_config
from generator.settings import EDITIONS as CONFIG_CHOICES
from generator.urls import Urls, edition_switch_href, relative_url


def test_an_edition_is_equal_to_its_name_and_made_from_it():
    assert Edition.YOUNG == "young" and Edition.STANDARD == "standard"
    assert Edition("young") is Edition.YOUNG
    assert f"{Edition.YOUNG}" == str(Edition.YOUNG) == "young"
    assert json.dumps({"edition": Edition.YOUNG}) == '{"edition": "young"}'
    assert OTHER["young"] is Edition.STANDARD and SWITCH_TEXT["standard"] == SWITCH_TEXT[Edition.STANDARD]
    assert EDITIONS == (Edition.STANDARD, Edition.YOUNG) and CONFIG_CHOICES == ("standard", "young")
    assert [e.folder for e in EDITIONS] == ["", "young"] and Edition.YOUNG.other is Edition.STANDARD
    with pytest.raises(ValueError, match="'Young' is not a valid Edition"):
        Edition("Young")


def test_a_plain_name_and_the_type_give_the_same_links():
    for name in ("standard", "young"):
        assert edition_switch_href("performance/x.md", name) == edition_switch_href("performance/x.md", Edition(name))
    assert edition_switch_href("performance/x.md", Edition.STANDARD) == "../../young/performance/x/"


def test_the_exported_config_carries_the_name_not_the_type(project):
    """PyYAML cannot write an Enum: whatever is serialised gets the plain name."""
    from generator.settings import load_settings

    settings, _ = load_settings(project / "site_config.yml", project)
    assert settings is not None
    config = _edition_config({"site_name": "x"}, Edition.YOUNG, [], settings, {})
    assert type(config["extra"]["panelsite_edition"]) is str
    assert "panelsite_edition: young" in yaml.safe_dump(config)


def test_a_link_to_a_file_from_a_page_has_no_trailing_slash():
    urls = Urls("lac")
    assert relative_url(urls.kpi("cla"), urls.kpi_chart("cla.svg")) == "../charts/cla.svg"
    assert relative_url(urls.kpi("cla"), urls.kpi("other")) == "../other/"
    assert relative_url(urls.performance(), urls.kpi_csv("cla")) == "data/cla.csv"
