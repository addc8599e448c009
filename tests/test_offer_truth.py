"""The Local Offer tells the law as it stands (issue 21).

Each test names the wrong or unsupported fact it would have caught, and checks the built page text of
both editions (or the model) rather than the data alone: a care leaver acts on what the page says.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator import offer
from generator.cli import main
from generator.models.entitlement import Entitlement, LawKind, Status
from generator.pipeline import generate, load_project

REPO = Path(__file__).resolve().parent.parent
EDITIONS = ("standard", "young")
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def demo():
    """The demo project and both editions' pages, generated once."""
    project = load_project(REPO / "site_config.yml")
    assert not project.problems.errors
    return project, {e: generate(project, e).pages for e in EDITIONS}


def entry(page: str, entitlement_id: str) -> str:
    """One entitlement's section of an area page, from its heading to the next heading."""
    return page.split(f"{{ #{entitlement_id} }}")[1].split("\n## ")[0]


def line(page: str, entitlement_id: str) -> str:
    """The list line that links to one entitlement on an index or finder page."""
    return next(row for row in page.splitlines() if f"#{entitlement_id})" in row)


def entitlement(project, entitlement_id: str) -> Entitlement:
    return next(e for _, e in project.dataset.entitlements() if e.id == entitlement_id)


def record(**changes) -> Entitlement:
    """A valid entitlement in the new form, with some fields changed."""
    data = {
        "id": "grant",
        "title": "Grant",
        "description": "A grant.",
        "qualifies": {"min_age": 18, "max_age": 21, "care_status": ["former relevant"]},
        "how_to_get": "Ask.",
        "contact": "Your personal adviser",
        "last_reviewed": "2026-12-01",
        "source": {"doc": "children-act-1989"},
        "young": {"title": "Grant", "description": "Money.", "how_to_get": "Ask."},
    } | changes
    return Entitlement.model_validate(data)


# --- the model: "set by law" is worked out, and where an entry stands ------------------------------


def test_set_by_law_is_worked_out_from_the_kind_of_legal_basis():
    act = {"kind": "act", "cite": "Children Act 1989, section 24D"}
    policy = {"kind": "national policy", "cite": "Department for Education, Care to Learn"}
    assert record(legal_basis=[act]).statutory and record(legal_basis=[act]).only_law
    assert not record(legal_basis=[policy]).statutory, "DfE policy is not law"
    assert not record(legal_basis=[{"kind": "statutory guidance", "cite": "IRO Handbook"}]).statutory
    mixed = record(legal_basis=[act, policy])
    assert mixed.statutory and not mixed.only_law
    assert not record().statutory, "no legal basis: the council's own offer"
    assert offer.set_by(record(legal_basis=[policy]), "Northby") == "Set by national policy, not by law."
    assert offer.set_by(record(legal_basis=[act]), "Northby") == "Set by law."
    assert offer.set_by(mixed, "Northby") == "Set by law and national policy."
    assert offer.set_by(record(), "Northby") == "Set by Northby, not by law."
    waiting = record(status="not commenced", legal_basis=[act])
    assert offer.set_by(waiting, "Northby") == "Set by law, but not in force yet."
    assert "statutory" not in Entitlement.model_fields["basis"].description.split("Deprecated")[0]


def test_the_old_typed_flag_is_still_read_and_a_contradiction_is_found():
    old = record(basis="statutory", legal_basis="Children Act 1989, section 23B")
    assert old.statutory and old.basis_contradiction() is None, "old council files keep working"
    dfe = record(basis="statutory", legal_basis="National policy of the Department for Education (Care to Learn)")
    assert dfe.basis_contradiction() == "basis says statutory, but legal_basis names no Act or regulations"
    typed = record(basis="statutory", legal_basis=[{"kind": "national policy", "cite": "Care to Learn"}])
    assert "no item of legal_basis is an act or regulations" in (typed.basis_contradiction() or "")
    local = record(basis="local", legal_basis=[{"kind": "act", "cite": "Children Act 1989, section 23C"}])
    assert "basis says local" in (local.basis_contradiction() or "")
    with pytest.raises(ValueError, match="say what kind of legal basis"):
        record(legal_basis="Children Act 1989")  # words without a kind, and no old flag to give one


def test_a_contradicting_flag_in_a_council_file_is_a_located_error(project, capsys):
    money = project / "data/entitlements/money.yml"
    text = money.read_text()
    assert "    basis: local\n" in text, "the fixture is an old-format council file"
    money.write_text(
        text.replace("    basis: local\n", "    basis: statutory\n    legal_basis: National policy of the DfE\n")
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    number = next(i for i, row in enumerate(money.read_text().splitlines(), 1) if "basis: statutory" in row)
    assert f"data/entitlements/money.yml:{number}:12: entitlements[0].basis: basis says statutory" in out
    assert "delete the basis line" in out


def test_an_entry_defaults_to_in_force_and_each_status_needs_its_dates():
    assert record().status is Status.IN_FORCE and record().in_force(TODAY)
    with pytest.raises(ValueError, match="proposed_on"):
        record(status="proposed")
    with pytest.raises(ValueError, match="agreed_on"):
        record(status="agreed")
    with pytest.raises(ValueError, match="only a duty in an Act or regulations"):
        record(status="not commenced", legal_basis=[{"kind": "council policy", "cite": "Our policy"}])
    later = record(in_force_from="2027-04-01")
    assert not later.in_force(TODAY) and later.in_force(dt.date(2027, 4, 1))


def test_where_an_entry_stands_is_said_in_both_editions():
    proposed = record(
        status="proposed", proposed_on="2017-04-25", amount={"percent": 100, "of": "the bill", "per": "year"}
    )
    assert offer.status_note(proposed, TODAY) == "Proposed in April 2017. This has not been agreed yet."
    assert offer.status_note(proposed, TODAY, young=True) == "This was a plan in 2017. It has not been agreed yet."
    assert offer.amount_lead(proposed, TODAY) == "If it is agreed: "
    act = [{"kind": "act", "cite": "Children Act 1989, section 23CZAA"}]
    waiting = record(status="not commenced", legal_basis=act)
    assert "has not been brought into force (commenced)" in offer.status_note(waiting, TODAY)
    assert "has not started yet" in offer.status_note(waiting, TODAY, young=True)
    agreed = record(status="agreed", agreed_on="2026-11-03", in_force_from="2027-04-01")
    assert offer.status_note(agreed, TODAY) == "Agreed on 3 November 2026; it starts on 1 April 2027."
    assert (
        offer.status_note(record(in_force_from="2027-04-01"), TODAY) == "Not in force yet: it starts on 1 April 2027."
    )
    assert offer.status_note(record(in_force_from="2023-04-01"), TODAY) == "", "in force: nothing to add"
    assert offer.amount_lead(record(), TODAY) == ""


def test_a_page_is_last_reviewed_when_its_oldest_entry_was_checked():
    old, new = record(last_reviewed="2016-12-06"), record(last_reviewed="2026-12-01")
    assert offer.last_reviewed([new, old]) == dt.date(2016, 12, 6)
    assert offer.last_reviewed([]) is None


# --- the demo's facts, as the pages say them ------------------------------------------------------


def test_staying_close_is_for_every_former_relevant_child_under_25(demo):
    project, pages = demo
    staying = entitlement(project, "staying-close")
    assert staying.qualifies.max_age == 24 and staying.qualifies.ages == "ages 18 to 24"
    assert [b.cite for b in staying.bases] == [
        "Children Act 1989, section 23CZAA, inserted by the Children's Wellbeing and Schools Act 2026, section 7"
    ]
    for edition, site in pages.items():
        text = entry(site["local-offer/accommodation.md"], "staying-close")
        assert "18 to 25" not in text and re.search(r"[Aa]ges 18 to 24", text), edition
        assert "under 25" in text, edition
        assert "that is not foster" not in text and "If you lived in a children's home" not in text, edition
    assert "whatever kind of care they left" in entry(
        pages["standard"]["local-offer/accommodation.md"], "staying-close"
    )
    assert "It does not matter where you lived in care" in pages["young"]["local-offer/accommodation.md"]


def test_the_1200_bursary_is_for_16_to_18_only(demo):
    project, pages = demo
    bursary = entitlement(project, "bursary-16-to-19")
    assert bursary.qualifies.max_age == 18 and "older" not in (bursary.qualifies.conditions or "")
    standard = entry(pages["standard"]["local-offer/education-and-training.md"], "bursary-16-to-19")
    assert "A student aged 19 or over cannot get it" in standard and "discretionary bursary" in standard
    assert "or older and carrying on" not in standard
    young = entry(pages["young"]["local-offer/education-and-training.md"], "bursary-16-to-19")
    assert "If you are 19 or older, you cannot get this." in young


@pytest.mark.parametrize("entitlement_id", ["bursary-16-to-19", "care-to-learn", "apprenticeship-bursary"])
def test_department_for_education_schemes_are_not_set_by_law(demo, entitlement_id):
    project, pages = demo
    scheme = entitlement(project, entitlement_id)
    assert not scheme.statutory and [b.kind for b in scheme.bases] == [LawKind.NATIONAL_POLICY]
    index = line(pages["standard"]["local-offer/index.md"], entitlement_id)
    assert "Set by national policy, not by law." in index and "Set by law." not in index
    area = next(p for path, p in pages["standard"].items() if f"{{ #{entitlement_id} }}" in p and "/for/" not in path)
    assert "Set by national policy, not by law. Department for Education" in entry(area, entitlement_id)
    assert "The law (statutory)" not in area


def test_no_guidance_or_policy_is_typed_as_law(demo):
    """A basis that names guidance, a policy or a department is never an act or regulations."""
    project, _ = demo
    for _, e in project.dataset.entitlements():
        for basis in e.bases:
            if re.search(r"guidance|[Pp]olicy|Department for|NICE|NHS England|Handbook", basis.cite):
                assert not basis.is_law, (e.id, basis.cite)
    assert not entitlement(project, "dental-checks").statutory, "statutory guidance alone is not law"


def test_the_apprenticeship_bursary_includes_16_and_17_year_olds_in_care(demo):
    project, pages = demo
    bursary = entitlement(project, "apprenticeship-bursary")
    assert {"looked after", "eligible"} <= {s.value for s in bursary.qualifies.care_status}
    assert bursary.qualifies.max_age == 24 and "under 25" in (bursary.qualifies.conditions or "")
    for edition, site in pages.items():
        assert "#apprenticeship-bursary)" in site["local-offer/for/16-17-in-care.md"], edition
    assert "You can get it if you are still in care too." in pages["young"]["local-offer/employment.md"]


def test_setting_up_home_gives_the_national_3000_as_guidance_not_law(demo):
    project, pages = demo
    home = entitlement(project, "setting-up-home")
    assert {b.kind for b in home.bases} == {LawKind.ACT, LawKind.STATUTORY_GUIDANCE, LawKind.NATIONAL_GUIDANCE}
    standard = entry(pages["standard"]["local-offer/money.md"], "setting-up-home")
    assert "it is not set in law, and the papers" not in standard, "the old sentence left out the £3,000"
    assert "since 1 April 2023 the Department for Education has expected councils to give at least £3,000" in standard
    assert "up from £2,000" in standard and "national guidance, not law" in standard
    young = entry(pages["young"]["local-offer/money.md"], "setting-up-home")
    assert "at least £3,000" in young and "This is not a law." in young


def test_care_leavers_complain_under_section_24d(demo):
    project, pages = demo
    cites = " ".join(b.cite for b in entitlement(project, "complaints-and-advocacy").bases)
    assert "section 24D" in cites and "section 26A" in cites
    assert "section 24D" in " ".join(b.cite for b in entitlement(project, "advocacy").bases)
    speak_up = pages["standard"]["local-offer/speak-up.md"]
    assert "care leavers (relevant and former relevant" in speak_up and "under section 24D" in speak_up
    assert "a complaint under section 24D or section 26" in speak_up
    young = pages["young"]["local-offer/speak-up.md"]
    assert "You can complain if you have left care too." in young
    area = entry(pages["standard"]["local-offer/participation-in-society.md"], "complaints-and-advocacy")
    assert "care leavers complain under section 24D" in area


def test_a_personal_adviser_from_21_to_25_is_section_23czb(demo):
    project, pages = demo
    for entitlement_id in ("personal-adviser", "mental-health-after-18", "care-leavers-who-are-parents"):
        cites = " ".join(b.cite for b in entitlement(project, entitlement_id).bases)
        assert "23CZB" in cites, entitlement_id
    adviser = entry(pages["standard"]["local-offer/relationships.md"], "personal-adviser")
    assert (
        "section 23CZB (a personal adviser from 21 to 25 if you ask), inserted by the Children and Social Work Act 2017"
        in adviser
    )
    for _, site in pages.items():
        assert "section 23C (a personal adviser's help to 25)" not in "".join(site.values())


def test_the_council_tax_discount_reads_as_a_proposal_everywhere(demo):
    project, pages = demo
    for entitlement_id in ("council-tax-discount", "council-tax-discount-higher-education"):
        proposal = entitlement(project, entitlement_id)
        assert proposal.status is Status.PROPOSED and proposal.proposed_on == dt.date(2017, 4, 25)
        assert not proposal.in_force(project.today)
    for edition, site in pages.items():
        text = "".join(site.values())
        assert "No council tax to pay" not in text, edition
        finders = [p for path, p in site.items() if "/for/" in path or "/age-" in path]
        shown = [line(p, "council-tax-discount") for p in finders if "#council-tax-discount)" in p]
        assert shown, edition
        for row in shown:
            assert "has not been agreed yet" in row and "If it is agreed: 100%" in row, (edition, row)
    standard = entry(pages["standard"]["local-offer/money.md"], "council-tax-discount")
    assert "**Proposed in April 2017. This has not been agreed yet.**" in standard
    assert "If it is agreed: 100% of your council tax bill a year" in standard
    young = entry(pages["young"]["local-offer/money.md"], "council-tax-discount")
    assert young.splitlines()[2] == "**This was a plan in 2017. It has not been agreed yet.**"


@pytest.mark.parametrize("entitlement_id", ["staying-close", "homelessness-help", "transition-to-adulthood"])
def test_duties_of_the_2026_act_say_they_are_not_in_force(demo, entitlement_id):
    project, pages = demo
    duty = entitlement(project, entitlement_id)
    assert duty.status is Status.NOT_COMMENCED
    for edition, site in pages.items():
        area = next(p for path, p in site.items() if f"{{ #{entitlement_id} }}" in p and "/for/" not in path)
        words = "has not been brought into force (commenced)" if edition == "standard" else "has not started yet"
        assert words in entry(area, entitlement_id), edition
        for path, page in site.items():
            if ("/for/" in path or "/age-" in path) and f"#{entitlement_id})" in page:
                assert words in line(page, entitlement_id), (edition, path)
    assert "Not in force yet" in line(pages["standard"]["local-offer/index.md"], entitlement_id)


def test_no_line_says_a_2026_duty_is_in_force(demo):
    """Wherever the 2026 Act is named in an entry, the entry says the part it names is not in force."""
    project, pages = demo
    for area in project.dataset.areas.values():
        page = pages["standard"][f"local-offer/{area.area.value}.md"]
        for e in area.entitlements:
            text = entry(page, e.id)
            if "Children's Wellbeing and Schools Act 2026" in text:
                assert "not in force" in text.lower() or "not been brought into force" in text, e.id


def test_last_reviewed_is_the_oldest_check_and_each_entry_shows_its_own(demo):
    project, pages = demo
    every = [e for _, e in project.dataset.entitlements()]
    oldest = min(e.last_reviewed for e in every)
    assert oldest < dt.date(2017, 1, 1)
    oldest_words = f"{oldest.day} {oldest.strftime('%B %Y')}"
    newest = max(e.last_reviewed for e in every)
    newest_words = f"{newest.day} {newest.strftime('%B %Y')}"
    index = pages["standard"]["local-offer/index.md"]
    assert f"This page was last reviewed on {oldest_words}" in index
    assert f"last reviewed on {newest_words}" not in index and f"checked on {newest_words}" not in index
    assert f"Some of this page was last checked on {oldest_words}" in pages["young"]["local-offer/index.md"]
    for area in project.dataset.areas.values():
        mine = min(e.last_reviewed for e in area.entitlements)
        words = f"{mine.day} {mine.strftime('%B %Y')}"
        assert f"last reviewed on {words}" in pages["standard"][f"local-offer/{area.area.value}.md"], area.area
        assert f"last checked on {words}" in pages["young"][f"local-offer/{area.area.value}.md"], area.area
        young_page = pages["young"][f"local-offer/{area.area.value}.md"]
        assert young_page.count("- **We last checked this:** ") == len(area.entitlements)
    for edition, site in pages.items():
        finder = site["local-offer/for/18-20.md"]
        rows = [r for r in finder.splitlines() if r.startswith("- **[")]
        assert rows and all(re.search(r"(Last checked|We checked this in) [A-Z][a-z]+ \d{4}\.$", r) for r in rows), (
            edition
        )


def test_only_what_is_in_force_is_said_as_something_you_get(demo):
    """Every entry not in force on the day of the build carries its status words on every page it is on."""
    project, pages = demo
    waiting = [e for _, e in project.dataset.entitlements() if not e.in_force(project.today)]
    assert len(waiting) >= 5
    assert "Some things here have not started yet." in pages["young"]["local-offer/for/18-20.md"]
    assert "duties not yet in force: you cannot get them yet." in pages["standard"]["local-offer/for/18-20.md"]
    assert "you cannot get them yet" not in pages["standard"]["local-offer/for/over-25.md"], "only where it is so"
    for edition, site in pages.items():
        for e in waiting:
            note = offer.status_note(e, project.today, edition == "young")
            assert note
            for path, page in site.items():
                if f"#{e.id})" in page:
                    assert note in line(page, e.id), (edition, path, e.id)
