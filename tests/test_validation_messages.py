"""The exact problem lines authors see, pinned: file:line:col: field: message (got …) and hints."""

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import write

EVENT = "data/events/2017-05-11-thank-you.yml"
KPI = "data/kpis/care-leavers-in-education-employment-training.yml"


def check(capsys) -> tuple[int, list[str]]:
    code = main(["check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out.splitlines()


def replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_clean_fixture_passes(project, capsys):
    assert check(capsys) == (0, [])


def test_impossible_date(project, capsys):
    replace(project, EVENT, "date: 2017-05-11", "date: 2017-05-32")
    code, lines = check(capsys)
    assert code == 1
    assert lines == [
        f"{EVENT}:2:7: date: Input should be a valid date (got '2017-05-32')",
        "    hint: day value is outside expected range; write dates as YYYY-MM-DD",
    ]


def test_unknown_field_gets_a_did_you_mean_hint(project, capsys):
    replace(project, EVENT, "summary:", "sumary:")
    code, lines = check(capsys)
    assert code == 1
    assert f"{EVENT}:5:1: sumary: Extra inputs are not permitted" in lines
    assert "    hint: did you mean `summary`?" in lines
    assert len(lines) == 2, "the misspelling explains the missing field; it is not reported twice"


def test_wrong_type_in_a_list(project, capsys):
    replace(project, KPI, '{period: "2022-11", value: 73.7}', '{period: "2022-11", value: lots}')
    code, lines = check(capsys)
    assert lines == [
        f"{KPI}:15:32: values[1].value: Input should be a valid number, unable to parse string as a number (got 'lots')"
    ]


def test_bad_period_and_band(project, capsys):
    replace(project, KPI, '"2022-12"', '"2022-13"')
    replace(project, KPI, 'red: "< 58"', 'red: "below 58"')
    code, lines = check(capsys)
    assert lines == [
        f"{KPI}:11:6: rag: Value error, band red should look like '>= 95' or '< 87' (got 'below 58')".replace(
            "Value error, ", ""
        ),
        f"{KPI}:16:14: values[2].period: month should be 01 to 12 (got '2022-13')",
    ]


def test_unknown_enum_value(project, capsys):
    replace(project, KPI, "unit: percent", "unit: percentage")
    _, lines = check(capsys)
    assert lines[0].startswith(f"{KPI}:7:7: unit: Input should be 'count', 'percent',")
    assert lines[0].endswith("(got 'percentage')")


def test_id_must_match_file_name(project, capsys):
    replace(project, KPI, "id: care-leavers-in-education-employment-training", "id: care-leavers-eet")
    _, lines = check(capsys)
    assert (
        lines[0] == f"{KPI}:1:5: id: should match the file name "
        "'care-leavers-in-education-employment-training' (got 'care-leavers-eet')"
    )


def test_unknown_references(project, capsys):
    replace(project, "data/updates/2017-06-lac-council.yml", "meeting: 2017-07-18", "meeting: 2017-07-19")
    replace(
        project,
        "data/pledge.yml",
        "related_kpis: [care-leavers-in-education-employment-training]",
        "related_kpis: [care-leavers-in-education-employment-trainin]",
    )
    replace(project, EVENT, "doc: cpp-2017-07-18", "doc: cpp-2017-07-19")
    _, lines = check(capsys)
    assert (
        f"{EVENT}:10:15: source.doc: unknown source document; add it to data/sources.yml "
        "(got 'cpp-2017-07-19')" in lines
    )
    assert (
        "data/pledge.yml:12:20: promises[0].related_kpis[0]: unknown KPI id "
        "(got 'care-leavers-in-education-employment-trainin')" in lines
    )
    assert "    hint: did you mean `care-leavers-in-education-employment-training`?" in lines
    assert (
        "data/updates/2017-06-lac-council.yml:4:10: meeting: no meeting on that date in data/meetings/ "
        "(got '2017-07-19')" in lines
    )


def test_exempt_item_with_content_is_refused(project, capsys):
    replace(
        project,
        "data/meetings/2017-07-18.yml",
        "exempt: {paragraphs: [2, 3]}",
        "exempt: {paragraphs: [2, 3]}\n    minute: {number: '13', discussion: secret}",
    )
    _, lines = check(capsys)
    assert lines == [
        "data/meetings/2017-07-18.yml:25:5: agenda[2]: an exempt item may carry only number, title "
        "and exempt; remove paper, minute and presenter"
    ]


def test_young_kpi_without_young_text(project, capsys):
    path = project / KPI
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("young:")], encoding="utf-8")
    _, lines = check(capsys)
    assert lines == [
        f"{KPI}:1:1: young: listed in young_kpis in site_config.yml, so it needs a `young:` block "
        "with title and explanation"
    ]


@pytest.mark.parametrize("text", ["title: [a", "", "- just\n- a list\n"])
def test_every_problem_is_one_located_line(project, capsys, text):
    write(project, "data/events/2017-06-01-broken.yml", text)
    code, lines = check(capsys)
    assert code == 1
    assert lines and all(line.startswith("data/events/2017-06-01-broken.yml:") for line in lines)


def test_percent_disagreeing_with_counts_is_a_located_warning(project, capsys):
    replace(
        project,
        KPI,
        '{period: "2022-12", value: 73.0}',
        '{period: "2022-12", value: 73.0, numerator: 50, denominator: 100}',
    )
    code, lines = check(capsys)
    assert code == 0
    assert lines == [
        f"{KPI}:16:32: warning: values[2].value: 73% disagrees with 50 of 100 (50.0%)",
        "    hint: check the numerator, denominator and percent",
    ]
