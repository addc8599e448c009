"""Template injection: payloads in content pages are refused with a located error or shown as text;
payloads in data text and in the configuration are never evaluated, only shown exactly as written."""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.sandbox import compile_page, render_page
from tests.conftest import write


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ cycler.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ namespace.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
    "{{ site.__class__.__init__.__globals__ }}",
    "{{ data.__class__ }}",
    "{{ long_date.__globals__['os'].system('touch PWNED') }}",
    "{{ range.__self__.__import__('os').system('touch PWNED') }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context.cycler }}",
    "{{ request.application.__globals__ }}",
    "{{ config.__class__.__init__.__globals__['os'] }}",
    "{{ metrics.sys.modules['os'].system('touch PWNED') }}",
    "{{ Markup.__init__.__globals__ }}",
    "{{ site|attr('__class__') }}",
    "{{ ('__cla' ~ 'ss__') }}{{ site[('__cla' ~ 'ss__')] }}",
    "{{ site.get('__class__').mro() }}",
    "{{ '{0.__class__.__mro__}'.format(site) }}",
    "{{ site.council.__class__.__mro__[1].__subclasses__() }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% from 'os' import system %}",
    "{% extends '/etc/passwd' %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% set x = namespace(a=1) %}{{ x }}",
    "{% filter upper %}x{% endfilter %}",
    "{{ 'x' * 10 ** 9 }}",
    "{{ 10 ** 10 ** 100 }}",
    "{{ (2 ** 60) ** 60 }}",
    "{% for i in range(10 ** 9) %}{% endfor %}",
]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Every payload in its own content page of one project, checked once."""
    from tests.conftest import copy_fixture

    root = copy_fixture(tmp_path_factory.mktemp("inject") / "project")
    for index, payload in enumerate(PAYLOADS):
        write(root, f"content/p{index:02d}.md", f"---\ntitle: Page {index}\n---\n\n# Page {index}\n\n{payload}\n")
    return root


def test_every_content_page_payload_is_a_located_error(checked, capsys, monkeypatch):
    monkeypatch.chdir(checked)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    for index in range(len(PAYLOADS)):
        assert f"content/p{index:02d}.md:7:1: template error: " in out, PAYLOADS[index]
    assert "root:" not in out, "/etc/passwd was not read"
    assert not list(checked.rglob("PWNED")) and not Path("PWNED").exists(), "no command ran"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_refused_in_the_sandbox(payload):
    from jinja2 import TemplateError

    started = time.monotonic()
    with pytest.raises((TemplateError, TypeError)):
        render_page(compile_page(payload), {"site": {"council": "A council"}, "data": {}})
    assert time.monotonic() - started < 2, "a refusal must not hang"


@pytest.mark.parametrize(
    "source",
    [
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}x"
        "{% endfor %}{% endfor %}{% endfor %}",
        "{% for x in [1, 2] recursive %}{{ loop([1, 2]) }}{{ loop([1, 2]) }}{% endfor %}",
        "{{ 'x' * 1000000000 }}",
        "{{ [1] * 1000000000 }}",
        "{{ 9 ** 999999999 }}",
        "{% set a = 2 ** 64 %}{% set a = a * a %}{% set a = a * a %}{% set a = a * a %}{% set a = a * a %}"
        "{% set a = a * a %}{% set a = a * a %}{{ a }}",
        "{{ '%999999999d' % 1 }}",
        "{{ 'x'.center(1000000000) }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'|indent(1000000000) }}",
        "{{ range(100)|batch(1000000000)|list }}",
    ],
)
def test_pathological_pages_are_refused_in_under_two_seconds(source):
    """Correctness, not speed: without the limits these never finish or exhaust memory."""
    from jinja2 import TemplateError

    started = time.monotonic()
    with pytest.raises(TemplateError):
        render_page(compile_page(source), {"site": {}, "data": {}})
    assert time.monotonic() - started < 2


def test_the_documented_context_still_works():
    page = (
        "{{ site.council }} {% for c in site.contacts %}[{{ c.name }}]{% endfor %} {{ long_date('2023-03-28') }} "
        "{% if young %}young{% endif %}{{ data.updates.values()|sort(attribute='period_end')|map(attribute='id')"
        "|list|length }} {% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %}"
    )
    context = {
        "site": {"council": "A council", "contacts": [{"name": "Team"}]},
        "young": False,
        "data": {"updates": {"u": {"id": "u", "period_end": "2023-01-31"}}},
    }
    assert render_page(compile_page(page), context) == "A council [Team] 28 March 2023 1 aba"


DATA_PAYLOADS = ["{{ 7 * 7 }}", "{% print 7 * 7 %}", "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"]


def test_payloads_in_data_and_configuration_are_shown_as_written(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    text = event.read_text()
    for i, payload in enumerate(DATA_PAYLOADS):
        text = text.replace(
            "  - Three new members joined the council.",
            f'  - Three new members joined the council.\n  - "Outcome {i}: {payload}"',
        )
    event.write_text(text)
    config = project / "site_config.yml"
    config.write_text(
        config.read_text().replace(
            "      council: Rotherham Metropolitan Borough Council", '      council: "Rotherham {{ 7 * 7 }} Council"'
        )
    )
    write(project, "content/about.md", "# About\n\nRun by {{ site.council }}.\n")
    assert main(["build"]) == 0, capsys.readouterr().out
    page = html.unescape((project / "site/events/2017-05-11-thank-you/index.html").read_text())
    for payload in DATA_PAYLOADS:
        assert payload in page, payload
    assert "Outcome 0: 49" not in page
    pages = "".join(html.unescape(p.read_text()) for p in (project / "site").rglob("*.html"))
    assert "Rotherham {{ 7 * 7 }} Council" in pages and "Rotherham 49 Council" not in pages
    assert not list(project.rglob("PWNED"))


class _Records:
    """Stands in for the dataset behind a page's `data`."""

    updates = {"u": {"id": "u", "period_end": "2023-01-31"}}
    secret = "not a collection"


@pytest.mark.parametrize(
    "payload",
    [
        "{{ data._source }}",
        "{{ data._made }}",
        "{{ data['_source'] }}",
        "{{ data|attr('_source') }}",
        "{{ data.secret }}",
        "{{ data.__class__ }}",
        "{{ data.items.__self__._source }}",
        "{{ data.__getitem__('secret') }}",
    ],
)
def test_a_pages_data_reaches_only_its_collections(payload):
    from jinja2 import TemplateError

    from generator.sandbox import PlainCollections

    with pytest.raises((TemplateError, TypeError)):  # TypeError: `attr` is panelsite's escaping filter
        render_page(compile_page(payload), {"data": PlainCollections(_Records(), ["updates"])})


def test_a_pages_data_is_made_as_it_is_read_and_reads_like_a_dict():
    from generator.sandbox import PlainCollections

    data = PlainCollections(_Records(), ["updates"])
    page = (
        "{{ data.updates.values()|map(attribute='id')|list|length }} {{ data['updates'].u.period_end }} "
        "{% for name, records in data.items() %}{{ name }}={{ records|length }}{% endfor %} {{ data|length }}"
        " {{ data.get('updates').u.id }} {{ 'updates' in data }}"
    )
    assert render_page(compile_page(page), {"data": data}) == "1 2023-01-31 updates=1 1 u True"
    assert not PlainCollections(_Records(), ["updates"])._made, "nothing is made before a page reads it"
