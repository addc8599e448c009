"""The Local Offer: amounts as data, the age-and-status finder, contacts as links, dating words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.cli import main
from generator.dating import check_dating_words
from generator.models.entitlement import Amount
from generator.offer import applies, band_areas, finder_bands
from generator.pipeline import generate, load_project
from generator.settings import Settings, phone_href

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo():
    """The demo project (both editions), generated once for these tests."""
    project = load_project(REPO / "site_config.yml")
    assert not project.problems.errors
    return project, {e: generate(project, e) for e in ("standard", "young")}


def test_amount_reads_the_same_way_everywhere():
    assert Amount(gbp=2000, per="once", up_to=True).text == "up to £2,000, once"
    assert Amount(gbp=57.5, per="week").text == "£57.50 a week"
    assert Amount(gbp=3000, per="once", effective_from="2023-08-01").text == "£3,000, once (from 1 August 2023)"
    assert Amount(percent=100, of="your council tax bill", per="year").text == "100% of your council tax bill a year"
    assert Amount(varies="Ask your personal adviser.").text == "Ask your personal adviser."
    for bad in ({"gbp": 10}, {"gbp": 10, "varies": "x", "per": "once"}, {"varies": "x", "up_to": True}, {}):
        with pytest.raises(ValueError):
            Amount(**bad)


def test_both_editions_state_the_national_amounts(demo):
    _, sites = demo
    for edition, site in sites.items():
        education = site.pages["local-offer/education-and-training.md"]
        employment = site.pages["local-offer/employment.md"]
        assert "£2,000, once" in education, edition
        assert "£3,000, once (from 1 August 2023)" in employment, edition


def test_finder_pages_differ_and_list_only_what_applies(demo):
    project, sites = demo
    areas = list(project.dataset.areas.values())
    bands = finder_bands(project.settings)
    listed = {}
    for band in bands:
        found = band_areas(areas, band)
        ids = {e.id for _, es in found for e in es}
        listed[band.slug] = ids
        for area in areas:
            for e in area.entitlements:
                page = sites["standard"].pages[band.path]
                assert (f"#{e.id})" in page) == (e.id in ids), (band.slug, e.id)
                if e.id in ids:
                    assert applies(e, band)
    assert len(set(map(frozenset, listed.values()))) == len(bands), "every band's page is different"
    assert "staying-put" in listed["18-20"] and "staying-put" not in listed["21-25"]
    assert "personal-education-plan" in listed["16-17-in-care"] and "personal-education-plan" not in listed["18-20"]
    assert listed["over-25"] == {"care-records"}


def test_finder_bands_follow_the_upper_age():
    default = finder_bands(Settings())
    assert [b.slug for b in default] == ["16-17-in-care", "16-17-left-care", "18-20", "21-25", "over-25"], (
        "the demo's URLs stay as they were"
    )
    assert [b.label for b in default][2:] == [
        "18, 19 or 20, left care",
        "21 to 25, left care",
        "over 25, care-experienced",
    ]
    later = finder_bands(Settings(upper_age=27, age_bands=[{"min_age": 16, "max_age": 27}]))
    assert [(b.slug, b.low, b.high) for b in later][2:] == [("18-20", 18, 20), ("21-27", 21, 27), ("over-27", 28, None)]
    assert later[3].question == "What can I get at 21 to 27 if I have left care?"
    assert later[4].question == "What can I get over 27 if I was in care?"
    early = finder_bands(Settings(upper_age=19, age_bands=[{"min_age": 16, "max_age": 19}]))
    assert [(b.slug, b.low, b.high) for b in early][2:] == [("18-19", 18, 19), ("over-19", 20, None)]
    assert early[2].label == "18 or 19, left care"
    assert [b.slug for b in finder_bands(Settings(upper_age=18, age_bands=[{"min_age": 16, "max_age": 18}]))][2:] == [
        "18",
        "over-18",
    ]


def test_the_19_year_old_care_leaver_question_has_a_page(demo):
    _, sites = demo
    for site in sites.values():
        page = site.pages["local-offer/for/18-20.md"]
        assert "# What can I get at 18, 19 or 20 if I have left care?" in page
        assert "Former relevant:" in page and "Eligible:" not in page
        assert "£2,000, once" in page
        assert "Ages 2 to 2" not in page and "age 2." not in page.lower()


# The entitlements added for the rest of issue 15, with the finder pages each must be on (and no other).
NEW_ON = {
    "mental-health-after-18": {"16-17-in-care", "16-17-left-care", "18-20", "21-25"},
    "id-documents": {"16-17-in-care", "16-17-left-care", "18-20", "21-25"},
    "setting-up-home": {"16-17-left-care", "18-20", "21-25"},
    "help-with-travel": {"16-17-in-care", "16-17-left-care", "18-20", "21-25"},
    "bursary-16-to-19": {"16-17-in-care", "16-17-left-care", "18-20"},
    "care-to-learn": {"16-17-in-care", "16-17-left-care", "18-20"},
    "care-leavers-who-are-parents": {"16-17-in-care", "16-17-left-care", "18-20", "21-25"},
}


def test_new_entitlements_are_on_the_right_finder_pages_only(demo):
    project, sites = demo
    slugs = [b.slug for b in finder_bands(project.settings)]
    for edition, site in sites.items():
        for entitlement, expected in NEW_ON.items():
            shown = {slug for slug in slugs if f"#{entitlement})" in site.pages[f"local-offer/for/{slug}.md"]}
            assert shown == expected, (edition, entitlement)
    young = sites["young"].pages
    assert "#bursary-16-to-19)" in young["local-offer/age-18-20.md"]
    assert "#bursary-16-to-19)" not in young["local-offer/age-21-25.md"]
    assert "#setting-up-home)" not in young["local-offer/for/16-17-in-care.md"]


def test_new_entitlements_state_amounts_and_cite_their_sources(demo):
    project, sites = demo
    council = project.settings.council
    for edition, site in sites.items():
        education = site.pages["local-offer/education-and-training.md"]
        assert "up to £1,200 a year" in education, edition
        assert "**: up to £1,200 a year. Ages 16 to 18." in site.pages["local-offer/for/18-20.md"], edition
        money = site.pages["local-offer/money.md"]
        assert "The papers do not say what the council pays towards ID. Ask your personal adviser." in money
    assert "You can get up to £1,200 a year." in sites["young"].pages["local-offer/education-and-training.md"]
    standard = sites["standard"].pages
    education = standard["local-offer/education-and-training.md"]
    bursary = education.split("{ #bursary-16-to-19 }")[1].split("\n## ")[0]
    assert "Set by national policy, not by law. Department for Education, the 16 to 19 Bursary Fund" in bursary
    assert "source: 16 to 19 Bursary Fund" in bursary
    health = standard["local-offer/health-and-wellbeing.md"].split("{ #mental-health-after-18 }")[1]
    assert "source: Transition from children's to adults' services" in health.split("\n## ")[0]
    assert "[call Samaritans on 116 123](tel:116123)" in health
    ids = standard["local-offer/money.md"].split("{ #id-documents }")[1].split("\n## ")[0]
    assert f"Set by law and {council}. Children Act 1989, section 23C(4)(c)" in ids
    assert "source: Children Act 1989, Section 23C(4)" in ids
    homes = standard["local-offer/accommodation.md"].split("{ #homelessness-help }")[1].split("\n## ")[0]
    assert "[Shelter web page](https://england.shelter.org.uk/)" in homes


def test_young_area_pages_give_each_fact_its_own_line(demo):
    project, sites = demo
    for area in project.dataset.areas.values():
        page = sites["young"].pages[f"local-offer/{area.area.value}.md"]
        joined = page.replace("\n- **How to get it:**", "")
        assert page.count("\n- **How to get it:**") == len(area.entitlements) and "**How to get it:**" not in joined
        assert page.count("\n- **How much:** ") == len(area.entitlements)
    money = sites["young"].pages["local-offer/money.md"]
    assert "a year. That would be 100%, the whole bill" in money, "a full stop before the young note"


def test_contacts_are_tap_to_call_links(demo):
    project, sites = demo
    for site in sites.values():
        contact = site.pages["contact.md"]
        assert "(tel:+448001111)" in contact and "Call Childline on 0800 1111" in contact
        assert "(tel:+443001231231)" in contact and "mailto:enquiries@ofsted.gov.uk" in contact
        assert "<https://" not in contact, "no bare addresses as link text"
        assert "\n- [Call Ofsted on 0300 123 1231](tel:+443001231231)\n- [" in contact, "one route per line"
        for number, href in (
            ("0800 528 0731", "tel:+448005280731"),
            ("0808 800 5792", "tel:+448088005792"),
            ("116 123", "tel:116123"),
            ("0808 800 5000", "tel:+448088005000"),
        ):
            assert f" on {number}]({href})" in contact, number
        assert "[Call Coram Voice on 0808 800 5792](tel:+448088005792) (Monday to Friday, 9.30am to 6pm)" in contact
        mailbox = next(c.email for c in project.settings.contacts if c.id == "performance")
        assert f"](mailto:{mailbox})" in contact
    assert phone_href("0800 1111") == "tel:+448001111"
    assert phone_href("+44 1632 960123") == "tel:+441632960123"


def test_entitlement_naming_an_unknown_contact_is_an_error(project, capsys):
    money = project / "data/entitlements/money.yml"
    money.write_text(money.read_text().replace("contacts: [leaving-care]", "contacts: [leaving-kare]"))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "data/entitlements/money.yml:" in out and "no contact with this id" in out and "'leaving-kare'" in out


def test_young_text_that_drops_the_amount_is_a_warning(project, capsys):
    money = project / "data/entitlements/money.yml"
    ask = "      how_to_get: Ask your personal adviser."
    money.write_text(money.read_text().replace(ask, "      amount: Some money.\n" + ask))
    main(["check"])
    out = capsys.readouterr().out
    assert "young.amount" in out and "leaves out the amount £2,000" in out and "warning" in out


def test_dating_words_in_old_records_are_warned_with_file_and_line(project):
    event = project / "data/events/2017-05-11-thank-you.yml"
    text = event.read_text()
    assert "young:" in text
    event.write_text(
        text.replace("young:\n", "young:\n  what_happened: This winter we had a party.\n", 1)
        if "what_happened" not in text.split("young:")[1]
        else text.replace("young:\n", "young:\n  outcomes: [This winter we had a party.]\n", 1)
    )
    project_ = load_project(project / "site_config.yml")
    late = check_dating_words(project_.dataset, dt.date(2026, 12, 1))
    messages = [p.format() for p in late.items]
    assert any(m.startswith("data/events/2017-05-11-thank-you.yml:") and "'This winter' dates" in m for m in messages)
    line = int(next(m for m in messages if "This winter" in m).split(":")[1])
    assert "This winter" in event.read_text().splitlines()[line - 1]
    soon = check_dating_words(project_.dataset, dt.date(2017, 6, 1))
    assert not [p for p in soon.items if "This winter" in p.message], "a recent record may say 'this winter'"


def test_icons_are_inline_and_hidden_from_screen_readers(demo):
    _, sites = demo
    for site in sites.values():
        for page in ("local-offer/index.md", "pledge/index.md", "local-offer/money.md"):
            text = site.pages[page]
            assert '<svg aria-hidden="true" focusable="false" class="ps-icon"' in text, page
            assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_young_speak_up_page_names_every_route(demo):
    _, sites = demo
    page = sites["young"].pages["local-offer/speak-up.md"]
    for words in (
        "How to complain",
        "Someone to speak up for you",
        "Independent Reviewing Officer",
        "Help at Hand",
        "Ofsted",
        "(tel:+448001111)",
    ):
        assert words in page
    assert not [p for p in sites["young"].problems.items if "speak-up" in p.file]
    assert "\n- " in page.split("## ")[-1] and ")- " not in page, "each route is its own list item"


def test_the_offer_index_reads_as_sentences(demo):
    """Each entry: ages, amount and who sets it as full sentences, never '.;' or '; No charge'."""
    import re

    _, sites = demo
    page = sites["standard"].pages["local-offer/index.md"]
    entries = [line for line in page.splitlines() if line.startswith("- [") and "#" in line.split(")")[0]]
    assert entries and all(line.rstrip().endswith((".", ".)")) for line in entries)
    assert ".;" not in page
    assert not re.search(r"; [A-Z]", "\n".join(entries)), "a capital letter after a semicolon"


def test_young_amount_in_its_own_words_is_not_said_twice(demo):
    _, sites = demo
    page = sites["young"].pages["local-offer/money.md"]
    for line in page.splitlines():
        if line.startswith("- **How much:**"):
            sentences = [s.strip() for s in line.removeprefix("- **How much:**").split(".") if s.strip()]
            assert len(sentences) == len(set(sentences)), line


def test_young_kpi_says_what_it_is_compared_with(demo):
    _, sites = demo
    page = sites["young"].pages["performance/care-leavers-suitable-accommodation.md"]
    assert "than a year earlier." in page or "as a year earlier." in page
    assert "the time before" not in page
