"""Compiled templates are kept between builds, never at the cost of a stale page."""

from generator.rendering import _TemplateBytecode, make_environment, render


def test_an_edited_template_renders_its_new_text_after_being_cached(tmp_path):
    (tmp_path / "page.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A*B"}) == "# A&#42;B\n"
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A*B"}) == "# A&#42;B\n"
    (tmp_path / "page.md.j2").write_text("## {{ title }} again\n", encoding="utf-8")
    assert render(make_environment(tmp_path, "young"), "page.md.j2", {"title": "A*B"}) == "## A&#42;B again\n"


def test_the_cache_key_holds_the_environment_options_fingerprint():
    cache = _TemplateBytecode(directory="/nonexistent", pattern="%s")
    plain = cache.get_cache_key("page.md.j2", "/t/page.md.j2")
    assert plain != super(_TemplateBytecode, cache).get_cache_key("page.md.j2", "/t/page.md.j2")
    _TemplateBytecode.FINGERPRINT, saved = "other", _TemplateBytecode.FINGERPRINT
    try:
        assert cache.get_cache_key("page.md.j2", "/t/page.md.j2") != plain
    finally:
        _TemplateBytecode.FINGERPRINT = saved
