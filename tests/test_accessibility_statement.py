"""The accessibility statement is worked out from configuration and data, never claimed by hand."""

from __future__ import annotations

import re

from generator.cli import main
from tests.reader_view import read_page

CONFIG = "site_config.yml"
AUDIT = """        manual_audit: {date: 2026-10-01, by: an independent accessibility auditor}
"""


def _statement(project) -> str:
    return " ".join(read_page((project / "site/accessibility/index.html").read_text(encoding="utf-8")).blocks)


def _set(project, old: str, new: str) -> None:
    config = project / CONFIG
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_without_a_manual_audit_the_site_is_partially_compliant(fixture_build) -> None:
    text = _statement(fixture_build.root)
    assert (
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA "
        "standard, because it has not yet had a manual accessibility audit" in text
    )
    assert "fully compliant" not in text
    assert "The panel papers this site links to on the council's website are PDF files" in text


def test_the_required_sections_of_the_model_statement_are_there(fixture_build) -> None:
    headings = re.findall(
        r"<h[23][^>]*>(.*?)</h[23]>", (fixture_build.site / "accessibility/index.html").read_text(encoding="utf-8")
    )
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website&#39;s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Disproportionate burden",
        "Content that&#39;s not within the scope of the accessibility regulations",
        "What we&#39;re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert any(heading.replace("&#39;", "'") == h.replace("&#39;", "'").replace("&#x27;", "'") for h in headings), (
            heading
        )


def test_the_report_route_is_a_real_link_to_a_configured_contact(fixture_build) -> None:
    html = (fixture_build.site / "accessibility/index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.rotherham.gov.uk/children-families">Participation and Engagement team' in html
    young = (fixture_build.site / "young/accessibility/index.html").read_text(encoding="utf-8")
    assert 'href="https://www.rotherham.gov.uk/children-families"' in young


def test_an_audit_with_no_known_issues_makes_it_fully_compliant(project_with_charts) -> None:
    project = project_with_charts
    config = project / CONFIG
    text = config.read_text(encoding="utf-8")
    start = text.index("        known_issues:\n")
    end = text.index("        prepared_on:")
    config.write_text(text[:start] + AUDIT + text[end:], encoding="utf-8")
    assert main(["build"]) == 0
    text = _statement(project)
    assert (
        "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, "
        "because a manual audit by an independent accessibility auditor on 1 October 2026 found no failures" in text
    )


def test_an_audit_with_known_issues_stays_partially_compliant(project_with_charts) -> None:
    project = project_with_charts
    _set(project, "        prepared_on:", AUDIT + "        prepared_on:")
    assert main(["build"]) == 0
    assert (
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, because of "
        "the non-compliances listed below" in _statement(project)
    )


def test_a_report_contact_that_is_not_configured_is_a_located_error(project, capsys) -> None:
    _set(project, "report_contact: Participation and Engagement team", "report_contact: the web team")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert re.search(
        r"site_config.yml:\d+:25: accessibility.report_contact: should name one of the contacts "
        r"\(\"Children's Services front door\", 'Leaving Care Service', ",
        out,
    ), out


def test_compliance_cannot_be_claimed_by_hand(project, capsys) -> None:
    _set(project, "        response_days: 10\n", "        response_days: 10\n        compliance: fully compliant\n")
    assert main(["check"]) == 1
    assert (
        "panelsite.accessibility.compliance: removed in 0.2: the statement's compliance status is worked out "
        "from manual_audit and known_issues; delete this line" in capsys.readouterr().out
    )
