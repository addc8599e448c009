"""`panelsite import`: a performance officer's spreadsheet (EES long layout, CSV or XLSX) into the KPI files."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.importing.ees import ees_time, period_of
from generator.open_data import kpi_csv
from generator.pipeline import load_project
from tests.conftest import copy_demo

HEADER = "time_period,time_identifier,geographic_level,country_code,country_name,new_la_code,la_name,indicator,value\n"
KPI = "care-leavers-in-education-employment-training"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo's configuration and data (all `import` reads and writes)."""
    return copy_demo(tmp_path / "demo")


def _import(root: Path, *args: str) -> int:
    return main(["--config", str(root / "site_config.yml"), "import", *args])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def _own_row(period: str, identifier: str, value: str, kpi: str = KPI) -> str:
    return f"{period},{identifier},Local authority,E92000001,England,,Rotherham,{kpi},{value}\n"


@pytest.mark.parametrize(
    ("time_period", "identifier", "period"),
    [
        ("2023", "January", "2023-01"),
        ("2022", "December", "2022-12"),
        ("202223", "Financial year", "2022/23"),
        ("202223", "Financial year Q3", "2022/23 Q3"),
        ("2023", "Calendar year", "2023"),
        ("2018-12-31", "Day", "2018-12-31"),
    ],
)
def test_ees_times_map_to_periods_and_back(time_period, identifier, period):
    assert period_of(time_period, identifier) == period
    assert ees_time(period) == (time_period, identifier)


@pytest.mark.parametrize(
    ("time_period", "identifier"), [("202224", "Financial year"), ("2023", "Academic year"), ("23", "March")]
)
def test_times_panelsite_has_no_period_for_are_none(time_period, identifier):
    assert period_of(time_period, identifier) is None


def test_the_demos_own_figures_import_with_no_change(demo, capsys):
    project = load_project(demo / "site_config.yml")
    (demo / "all.csv").write_text(kpi_csv(project.dataset.kpis, project.settings), encoding="utf-8")
    figures = sum(len(k.values) + sum(len(b.values) for b in k.benchmarks) for k in project.dataset.kpis.values())
    before = _tree(demo)
    assert _import(demo, str(demo / "all.csv")) == 0
    assert f"0 added, 0 revised, {figures} unchanged" in capsys.readouterr().err
    assert _tree(demo) == before


def test_a_new_month_is_one_added_line_and_the_page_data_shows_it(demo, capsys):
    path = demo / "data" / "kpis" / f"{KPI}.yml"
    before = path.read_text(encoding="utf-8")
    (demo / "new.csv").write_text(HEADER + _own_row("2023", "January", "74.1"), encoding="utf-8")
    assert _import(demo, str(demo / "new.csv"), "--source", "cpp-2023-03-28") == 0
    after = path.read_text(encoding="utf-8")
    changes = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changes == ['+ - {period: "2023-01", value: 74.1}']
    kpi = load_project(demo / "site_config.yml").dataset.kpis[KPI]
    assert (str(kpi.values[-1].period), kpi.values[-1].value) == ("2023-01", 74.1)
    # the same file again changes nothing
    assert _import(demo, str(demo / "new.csv"), "--source", "cpp-2023-03-28") == 0
    assert path.read_text(encoding="utf-8") == after
    assert "0 added, 0 revised, 1 unchanged" in capsys.readouterr().err


def test_new_figures_without_a_source_are_refused_and_nothing_is_written(demo, capsys):
    (demo / "new.csv").write_text(HEADER + _own_row("2023", "January", "74.1"), encoding="utf-8")
    before = _tree(demo)
    assert _import(demo, str(demo / "new.csv")) == 1
    assert "figures new to the site need their source: pass --source" in capsys.readouterr().out
    assert _tree(demo) == before


def test_a_revised_figure_replaces_the_old_one_and_is_marked(demo):
    path = demo / "data" / "kpis" / f"{KPI}.yml"
    before = path.read_text(encoding="utf-8")
    (demo / "revised.csv").write_text(HEADER + _own_row("2022", "December", "73.4"), encoding="utf-8")
    assert _import(demo, str(demo / "revised.csv"), "--source", "cpp-2023-03-28") == 0
    changes = [line for line in difflib.ndiff(before.splitlines(), path.read_text().splitlines()) if line[:1] in "+-"]
    assert changes == ['- - {period: "2022-12", value: 73.0}', '+ - {period: "2022-12", value: 73.4, revised: true}']
    value = load_project(demo / "site_config.yml").dataset.kpis[KPI].values[-1]
    assert value.value == 73.4 and value.revised


def test_benchmarks_for_england_and_a_configured_comparator(demo):
    rows = HEADER + f"202223,Financial year,National,E92000001,England,,,{KPI},56.0\n"
    rows += f"202223,Financial year,statistical neighbours,,,,,{KPI},54.0\n"
    rows += f"202223,Financial year,Local authority,E92000001,England,E08000099,Elsewhere,{KPI},12.0\n"
    (demo / "bench.csv").write_text(rows, encoding="utf-8")
    assert _import(demo, str(demo / "bench.csv"), "--source", "cpp-2023-03-28") == 0
    kpi = load_project(demo / "site_config.yml").dataset.kpis[KPI]
    named = {b.name: {str(v.period): v.value for v in b.values} for b in kpi.benchmarks}
    assert named["england"]["2022/23"] == 56.0 and named["statistical neighbours"]["2022/23"] == 54.0
    assert 12.0 not in {v.value for v in kpi.values}  # another council's row is left out


def test_a_percent_exported_as_a_fraction_is_refused_with_a_hint(demo, capsys):
    (demo / "fraction.csv").write_text(HEADER + _own_row("2023", "January", "0.62"), encoding="utf-8")
    before = _tree(demo)
    assert _import(demo, str(demo / "fraction.csv"), "--source", "cpp-2023-03-28") == 1
    out = capsys.readouterr().out
    assert "fraction.csv:2:9: value: 0.62 is under 1 beside percents over 10; write 62 for 62%" in out
    assert _tree(demo) == before


def test_every_problem_is_located_and_reported_at_once(demo, capsys):
    rows = HEADER
    rows += _own_row("2023", "Academic year", "70")
    rows += _own_row("2023", "February", "lots")
    rows += _own_row("2023", "March", "71", kpi="care-leavers-in-education")
    (demo / "bad.csv").write_text(rows, encoding="utf-8")
    assert _import(demo, str(demo / "bad.csv"), "--source", "cpp-2023-03-28") == 1
    out = capsys.readouterr().out
    assert "bad.csv:2:2: time_identifier: '2023' + 'Academic year' is not a period panelsite knows" in out
    assert "bad.csv:3:9: value: is not a number or a GSS symbol (got 'lots')" in out
    assert "bad.csv:4:8: indicator: no KPI has the id 'care-leavers-in-education'" in out


def test_an_unknown_filter_column_is_refused(demo, capsys):
    (demo / "filter.csv").write_text(
        HEADER.rstrip("\n") + ",characteristic\n" + _own_row("2023", "May", "70").rstrip("\n") + ",Total\n"
    )
    assert _import(demo, str(demo / "filter.csv")) == 1
    assert "filter.csv:1:10: characteristic: is a column panelsite does not know" in capsys.readouterr().out


def test_a_file_about_individual_children_is_refused_in_one_sentence(demo, capsys):
    (demo / "903.csv").write_text("CHILD,UPN,DOB,SEX,LEGAL_STATUS\n1234,A123,2010-01-01,1,C2\n", encoding="utf-8")
    before = _tree(demo)
    assert _import(demo, str(demo / "903.csv")) == 1
    err = capsys.readouterr().err
    assert "records about individual children (it has child, dob, upn columns)" in err
    assert "Nothing was read." in err and _tree(demo) == before


def test_an_xlsx_sheet_imports_like_the_csv_and_names_cells(demo, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Values"
    sheet.append(HEADER.strip().split(","))
    sheet.append(["2023", "January", "Local authority", "E92000001", "England", "", "Rotherham", KPI, 74.1])
    sheet.append(["2023", "February", "Local authority", "E92000001", "England", "", "Rotherham", KPI, "oops"])
    book.save(demo / "kpis.xlsx")
    assert _import(demo, str(demo / "kpis.xlsx"), "--sheet", "Values", "--source", "cpp-2023-03-28") == 1
    assert "kpis.xlsx:Values!I3: value: is not a number or a GSS symbol (got 'oops')" in capsys.readouterr().out
    sheet.delete_rows(3)
    book.save(demo / "kpis.xlsx")
    assert _import(demo, str(demo / "kpis.xlsx"), "--source", "cpp-2023-03-28") == 0
    kpi = load_project(demo / "site_config.yml").dataset.kpis[KPI]
    assert (str(kpi.values[-1].period), kpi.values[-1].value) == ("2023-01", 74.1)


def test_dry_run_prints_the_diff_and_writes_nothing(demo, capsys):
    (demo / "new.csv").write_text(HEADER + _own_row("2023", "January", "74.1"), encoding="utf-8")
    before = _tree(demo)
    assert _import(demo, str(demo / "new.csv"), "--source", "cpp-2023-03-28", "--dry-run") == 0
    captured = capsys.readouterr()
    assert '+- {period: "2023-01", value: 74.1}' in captured.out and "nothing was written" in captured.err
    assert _tree(demo) == before


@pytest.mark.slow
def test_the_published_csv_round_trips_exactly(demo):
    """Import the open-data CSV into a copy holding only each series' first value: all come back."""
    project = load_project(demo / "site_config.yml")
    expected = {k: [(str(v.period), v.value) for v in kpi.values] for k, kpi in project.dataset.kpis.items()}
    benchmarks = {
        k: {b.name: [(str(v.period), v.value) for v in b.values] for b in kpi.benchmarks}
        for k, kpi in project.dataset.kpis.items()
    }
    (demo / "all.csv").write_text(kpi_csv(project.dataset.kpis, project.settings), encoding="utf-8")
    for path in (demo / "data" / "kpis").glob("*.yml"):
        data = path.read_text(encoding="utf-8")
        loaded = yaml.safe_load(data)
        from generator.yaml_edit import YamlText

        text = YamlText(data)
        for index in reversed(range(1, len(loaded["values"]))):
            text.delete(("values", index))
        for b in reversed(range(len(loaded.get("benchmarks") or []))):
            for index in reversed(range(1, len(loaded["benchmarks"][b]["values"]))):
                text.delete(("benchmarks", b, "values", index))
        path.write_text(text.text, encoding="utf-8")
    assert _import(demo, str(demo / "all.csv"), "--source", "cpp-2023-03-28") == 0
    after = load_project(demo / "site_config.yml").dataset.kpis
    assert {k: sorted((str(v.period), v.value) for v in kpi.values) for k, kpi in after.items()} == {
        k: sorted(v) for k, v in expected.items()
    }
    assert {
        k: {b.name: sorted((str(v.period), v.value) for v in b.values) for b in kpi.benchmarks}
        for k, kpi in after.items()
    } == {k: {name: sorted(v) for name, v in series.items()} for k, series in benchmarks.items()}


@pytest.mark.slow
def test_a_suppressed_figure_keeps_its_symbol_and_is_never_zero(demo, capsys):
    from generator.pipeline import generate

    path = demo / "data" / "kpis" / f"{KPI}.yml"
    before = path.read_text(encoding="utf-8")
    (demo / "c.csv").write_text(HEADER + _own_row("2023", "January", "c"), encoding="utf-8")
    assert _import(demo, str(demo / "c.csv"), "--source", "cpp-2023-03-28") == 0
    changes = [line for line in difflib.ndiff(before.splitlines(), path.read_text().splitlines()) if line[:1] in "+-"]
    assert changes == ["+ withheld:", '+ - {period: "2023-01", symbol: c}']  # the KPI's own source: not repeated
    project = load_project(demo / "site_config.yml")
    kpi = project.dataset.kpis[KPI]
    assert [(str(w.period), w.symbol) for w in kpi.withheld] == [("2023-01", "c")]
    assert "2023-01" not in {str(v.period) for v in kpi.values}  # never a value, so never 0 in a chart
    page = generate(project, "standard").pages[f"performance/{KPI}.md"]
    assert "**Not published:** January 2023: confidential: held back so that no one can be identified." in page
    scorecard = generate(project, "standard").pages["performance/index.md"]
    assert "Not published for January 2023: confidential" in scorecard
    # the open data says c, and taking it back in changes nothing
    (demo / "all.csv").write_text(kpi_csv(project.dataset.kpis, project.settings), encoding="utf-8")
    assert f"2023,January,Local authority,E92000001,England,,Rotherham,{KPI},c" in (demo / "all.csv").read_text()
    after = _tree(demo)
    assert _import(demo, str(demo / "all.csv")) == 0 and _tree(demo) == after


def test_a_symbol_for_a_published_figure_is_refused_and_a_later_figure_replaces_a_symbol(demo, capsys):
    (demo / "c.csv").write_text(HEADER + _own_row("2022", "December", "c"), encoding="utf-8")
    assert _import(demo, str(demo / "c.csv"), "--source", "cpp-2023-03-28") == 1
    assert "c.csv:2:9: value: a figure is already published for 2022-12; the file gives 'c' instead" in (
        capsys.readouterr().out
    )
    (demo / "c.csv").write_text(HEADER + _own_row("2023", "January", "c"), encoding="utf-8")
    assert _import(demo, str(demo / "c.csv"), "--source", "cpp-2023-03-28") == 0
    (demo / "n.csv").write_text(HEADER + _own_row("2023", "January", "74.1"), encoding="utf-8")
    assert _import(demo, str(demo / "n.csv"), "--source", "cpp-2023-03-28") == 0
    kpi = load_project(demo / "site_config.yml").dataset.kpis[KPI]
    assert not kpi.withheld and "withheld" not in (demo / "data" / "kpis" / f"{KPI}.yml").read_text()
    assert (str(kpi.values[-1].period), kpi.values[-1].value, kpi.values[-1].revised) == ("2023-01", 74.1, True)


def test_the_template_workbook_of_the_demos_own_figures_imports_with_no_change(demo, capsys):
    import openpyxl

    book_path = demo / "kpis.xlsx"
    assert main(["--config", str(demo / "site_config.yml"), "template", "kpis", str(book_path)]) == 0
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["Instructions", "Values", "Indicators"]
    checks = {tuple(str(r) for r in v.sqref.ranges)[0][:1] for v in book["Values"].data_validations.dataValidation}
    assert checks == {"B", "C", "H"}  # time_identifier, geographic_level and indicator have drop-down lists
    assert "never put records about individual children" in book["Instructions"]["A7"].value.lower()
    before = _tree(demo)
    assert _import(demo, str(book_path)) == 0
    assert ", 0 added, 0 revised," in capsys.readouterr().err.replace("imported kpis.xlsx:", ",")
    assert _tree(demo) == before
    assert (
        main(["--config", str(demo / "site_config.yml"), "template", "kpis", str(book_path)]) == 2
    )  # never overwrites


META = "indicator,label,unit,polarity,target,definition,theme\n"


def test_an_indicator_sheet_starts_a_new_kpi_with_the_spreadsheets_own_units(demo, capsys):
    rows = _own_row("2022", "November", "61", kpi="care-leavers-in-touch") + _own_row(
        "2022", "December", "c", kpi="care-leavers-in-touch"
    )
    rows += "2022,December,National,E92000001,England,,,care-leavers-in-touch,93\n"
    (demo / "new.csv").write_text(HEADER + rows, encoding="utf-8")
    (demo / "new.meta.csv").write_text(
        META + "care-leavers-in-touch,Care leavers the council is in touch with,%,High,90,"
        "The share of care leavers aged 19 to 21 the council is in touch with.,Care leavers\n",
        encoding="utf-8",
    )
    assert _import(demo, str(demo / "new.csv"), "--source", "cpp-2023-03-28") == 0
    kpi = load_project(demo / "site_config.yml").dataset.kpis["care-leavers-in-touch"]
    assert (kpi.title, kpi.unit.value, kpi.polarity.value, kpi.target) == (
        "Care leavers the council is in touch with",
        "percent",
        "higher is better",
        90,
    )
    assert [(str(v.period), v.value) for v in kpi.values] == [("2022-11", 61.0)]
    assert [(str(w.period), w.symbol) for w in kpi.withheld] == [("2022-12", "c")]
    assert [(b.name, b.values[0].value) for b in kpi.benchmarks] == [("england", 93.0)]
    assert kpi.source.doc == "cpp-2023-03-28" and kpi.frequency.value == "monthly"
    assert _import(demo, str(demo / "new.csv"), "--source", "cpp-2023-03-28") == 0  # again: nothing changes
    err = capsys.readouterr().err
    assert "3 added, 0 revised, 0 unchanged" in err and "0 added, 0 revised, 3 unchanged" in err


def test_a_new_kpi_without_a_definition_is_refused_where_the_sheet_says_it(demo, capsys):
    (demo / "new.csv").write_text(HEADER + _own_row("2022", "November", "61", kpi="in-touch"), encoding="utf-8")
    (demo / "new.meta.csv").write_text(META + "in-touch,In touch,rate per 10000,Low,,,\n", encoding="utf-8")
    before = _tree(demo)
    assert _import(demo, str(demo / "new.csv"), "--source", "cpp-2023-03-28") == 1
    out = capsys.readouterr().out
    assert "new.meta.csv:2:1: definition: in-touch: a new KPI needs its definition" in out
    assert _tree(demo) == before and not (demo / "data" / "kpis" / "in-touch.yml").exists()


def test_a_new_indicator_added_to_the_template_workbook_is_started(demo, capsys):
    import openpyxl

    book_path = demo / "kpis.xlsx"
    assert main(["--config", str(demo / "site_config.yml"), "template", "kpis", str(book_path)]) == 0
    book = openpyxl.load_workbook(book_path)
    book["Indicators"].append(
        ["visits-by-advisers", "Visits by personal advisers", "count", "", None, "cpp-2023-03-28",
         "How many times personal advisers visited care leavers in the month.", "Care leavers"]
    )  # fmt: skip
    book["Values"].append(["2023", "January", "Local authority", "", "", "", "Rotherham", "visits-by-advisers", 120])
    book.save(book_path)
    assert _import(demo, str(book_path), "--source", "cpp-2023-03-28") == 0
    kpi = load_project(demo / "site_config.yml").dataset.kpis["visits-by-advisers"]
    assert (kpi.unit.value, kpi.polarity.value, kpi.values[0].value) == ("count", "information only", 120.0)
