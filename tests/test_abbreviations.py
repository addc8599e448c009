"""Acronym markup in one pass gives exactly what one regular expression per term gave."""

import random
import re

from generator.abbreviations import build_index, with_abbreviations
from generator.models.glossary import Glossary
from tests.conftest import REPO

GLOSSARY = Glossary.model_validate(
    {
        "terms": [
            {
                "term": "LAC",
                "expansion": "Looked After Children",
                "meaning": "Children in care.",
                "young_meaning": "Children the council looks after.",
            },
            {
                "term": "LACC",
                "expansion": "LAC Council",
                "meaning": "The council of children in care.",
                "young_meaning": "A group of young people in care.",
            },
            {
                "term": "PEP",
                "expansion": "Personal Education\nPlan",
                "meaning": "A school plan.",
                "young_meaning": "A plan for school.",
            },
            {
                "term": "A&E",
                "expansion": "Accident and Emergency",
                "meaning": "The hospital's emergency department.",
                "young_meaning": "Where you go in hospital in an emergency.",
            },
            {"term": "placement", "meaning": "Where a child lives.", "young_meaning": "Your home."},
            {
                "term": "IRO",
                "meaning": "Independent reviewing officer (no expansion given).",
                "young_meaning": "A person who checks your plan.",
            },
        ]
    }
)


def one_regex_per_term(text: str, glossary: Glossary, edition: str) -> str:
    """The previous implementation, kept as the specification."""
    lines = []
    for term in glossary.terms:
        if term.is_acronym and term.expansion and re.search(rf"\b{re.escape(term.term)}\b", text):
            meaning = term.expansion if edition == "standard" else f"{term.expansion}: {term.young_meaning}"
            lines.append(f"*[{term.term}]: {meaning.replace(chr(10), ' ')}")
    return text + ("\n" + "\n".join(sorted(lines)) + "\n" if lines else "")


def test_whole_words_only():
    text = "The LAC met. LACs and PLAC and LAC_1 and LAC2 are other words; PEP, A&E."
    out = with_abbreviations(text, GLOSSARY, "standard")
    assert out.endswith(
        "\n*[A&E]: Accident and Emergency\n*[LAC]: Looked After Children\n*[PEP]: Personal Education Plan\n"
    )
    assert "*[LACC]" not in out and "*[IRO]" not in out and "placement" not in out.split("\n\n")[-1]


def test_young_edition_adds_plain_meaning():
    out = with_abbreviations("Ask about your PEP.", GLOSSARY, "young")
    assert out == "Ask about your PEP.\n*[PEP]: Personal Education Plan: A plan for school.\n"


def test_no_acronym_no_change():
    assert with_abbreviations("Nothing to mark.", GLOSSARY, "standard") == "Nothing to mark."
    assert with_abbreviations("LAC", None, "standard") == "LAC"


def test_same_output_as_one_regex_per_term_on_random_pages():
    words = [
        "LAC",
        "LACC",
        "PEP",
        "A&E",
        "A&",
        "&E",
        "lac",
        "IRO",
        "placement",
        "LAC's",
        "(LAC)",
        "ALAC",
        "LAC-led",
        "PEP2",
        "_PEP",
        "é",
        "LACé",
        "\n",
        " ",
        "*[LAC]: x",
        "A&E&F",
    ]
    rng = random.Random(13)
    for _ in range(500):
        text = "".join(rng.choice(words) + rng.choice(["", " ", ".", "\n"]) for _ in range(rng.randint(0, 12)))
        for edition in ("standard", "young"):
            assert with_abbreviations(text, GLOSSARY, edition) == one_regex_per_term(text, GLOSSARY, edition), text


def test_demo_glossary_same_output_on_the_demo_pages():
    from generator.pipeline import generate, load_project

    project = load_project(REPO / "site_config.yml")
    for edition in ("standard", "young"):
        index = build_index(project.dataset.glossary, edition)
        assert index.words, "the fixture's acronyms should be indexed"
        site = generate(project, edition)
        for path, page in site.pages.items():
            body = page.split("\n*[")[0]
            assert with_abbreviations(body, project.dataset.glossary, edition) == one_regex_per_term(
                body, project.dataset.glossary, edition
            ), path
