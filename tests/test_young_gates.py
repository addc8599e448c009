"""The young edition's gates: reading level, unexplained acronyms and words young people dislike."""

from pathlib import Path

import pytest

from generator.cli import main
from generator.young_checks import hardest_sentences, main_text, reading_grade


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


UPDATE = "data/updates/2017-06-lac-council.yml"
HARD = (
    "Notwithstanding considerable organisational complexity, the participation infrastructure "
    "facilitated comprehensive intergenerational consultation regarding accommodation sufficiency. "
    "Subsequently, commissioning arrangements were reconfigured, prioritising therapeutic "
    "interventions alongside educational attainment considerations."
)


def set_young_summary(project, text):
    path = project / UPDATE
    old = "summary: We asked young people what they think. We changed two of our promises."
    content = path.read_text()
    assert old in content
    path.write_text(content.replace(old, f'summary: "{text}"'))


def test_main_text_ignores_markup_and_switch_links():
    blocks = main_text(
        '---\ntitle: x\n---\n<p class="ps-edition-switch"><a href="#">Switch</a></p>\n\n'
        "# Title\n\nShort words here.\n\n- One\n- Two\n\n*[LAC]: Looked After Children\n"
    )
    assert blocks == ["Title", "Short words here.", "One", "Two"]


def test_grade_and_hardest_sentences():
    easy = ["We had a party. It was fun. You came too."]
    assert reading_grade(easy) < 3
    assert reading_grade([HARD]) > 12
    assert hardest_sentences([HARD + " We had fun."])[0].startswith("Notwithstanding")


def test_hard_young_page_is_a_warning_that_fails_the_strict_build(project, capsys):
    set_young_summary(project, HARD)
    assert main(["check"]) == 0, "a warning, not an error"
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "lac-council/2017-06-lac-council.md" in x)
    assert line.startswith(f"{UPDATE}:21:12: warning: young.summary: reading grade ")
    assert line.endswith("is above 6 (young edition page lac-council/2017-06-lac-council.md)")
    assert "hardest sentences: 'Notwithstanding considerable" in out
    assert main(["build"]) == 1
    assert not (project / "site").exists()


def test_unknown_acronym_is_an_error(project, capsys):
    set_young_summary(project, "We went to see the CAMHS team. It was good.")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert (
        f"{UPDATE}:21:12: young.summary: acronym CAMHS is not in the glossary (young edition pages "
        "lac-council/2017-06-lac-council.md, lac-council/index.md)"
    ) in out
    assert "hint: write it out, or add it to data/glossary.yml" in out


def test_known_acronym_gets_an_explanation(project, capsys):
    set_young_summary(project, "We looked at your PEP. It was good.")
    assert main(["check"]) == 0
    assert main(["build"]) == 0
    page = (project / "site/young/lac-council/2017-06-lac-council/index.html").read_text()
    assert '<abbr title="Personal Education Plan: A plan for how you do at school.">PEP</abbr>' in page


def test_disliked_word_is_a_warning_with_the_friendlier_word(project, capsys):
    set_young_summary(project, "We talked about your placement. It was good.")
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert (
        f"{UPDATE}:21:12: warning: young.summary: 'placement' is a word young people dislike (young "
        "edition pages lac-council/2017-06-lac-council.md, lac-council/index.md)"
    ) in out
    assert "hint: say 'home' instead" in out


def test_gate_messages_on_a_hand_written_page_name_its_file_and_line(project, capsys):
    page = project / "content/index.young.md"
    page.write_text(page.read_text() + "\nAsk the SENCO team for help.\n")
    assert main(["check"]) == 1
    line = page.read_text().splitlines().index("Ask the SENCO team for help.") + 1
    assert (
        f"content/index.young.md:{line}:1: acronym SENCO is not in the glossary (young edition page index.md)"
        in capsys.readouterr().out
    )
