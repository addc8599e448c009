"""Benchmark `panelsite import` on a national download: 152 authorities x 20 indicators x 10 years.

30,400 rows in the EES long layout, once as CSV and once as an XLSX sheet, imported (with
`--dry-run`, so every run does the same work: read, place, check on a copy, diff) into a copy of
the demo. One of the 152 authorities is the demo council, so 200 of its figures are placed; the
other rows are read and left out, as a performance officer's download of every council would be.

    python benchmarks/import_bench.py [--runs 3]

Each figure is the median of `--runs` whole `panelsite` processes (wall and CPU seconds).
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.settings import load_settings  # noqa: E402

AUTHORITIES, INDICATORS, YEARS = 152, 20, 10
HEADER = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name"]
HEADER += ["new_la_code", "la_name", "indicator", "value"]


def rows(indicators: list[str], own_name: str) -> list[list[object]]:
    """The download: every authority's figure for every indicator and year (3% suppressed as c)."""
    table: list[list[object]] = []
    for la in range(AUTHORITIES):
        name = own_name if la == 0 else f"Authority {la:03d}"
        code = f"E0{8000000 + la:08d}"[-9:]
        for number, indicator in enumerate(indicators):
            for year in range(2013, 2013 + YEARS):
                cell: object = "c" if (la * 7 + number * 3 + year) % 33 == 0 else round(40 + (la % 50) + number, 1)
                period = f"{year}{(year + 1) % 100:02d}"
                place = ["Local authority", "E92000001", "England", code, name]
                table.append([period, "Financial year", *place, indicator, cell])
    return table


def write_files(folder: Path, table: list[list[object]]) -> tuple[Path, Path]:
    from openpyxl import Workbook

    csv_path = folder / "national.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(table)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Values")
    sheet.append(HEADER)
    for row in table:
        sheet.append(row)
    xlsx_path = folder / "national.xlsx"
    book.save(xlsx_path)
    return csv_path, xlsx_path


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="panelsite-import-bench-") as temporary:
        root = Path(temporary) / "demo"
        root.mkdir()
        for name in ("data", "content"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy2(REPO / "site_config.yml", root / "site_config.yml")
        indicators = sorted(p.stem for p in (root / "data" / "kpis").glob("*.yml"))[:INDICATORS]
        settings, _ = load_settings(root / "site_config.yml", root)
        table = rows(indicators, settings.area_name if settings else "Our area")
        csv_path, xlsx_path = write_files(Path(temporary), table)
        print(f"{len(table):,} rows ({AUTHORITIES} authorities x {len(indicators)} indicators x {YEARS} years)")
        for label, path in (("CSV", csv_path), ("XLSX", xlsx_path)):
            source = "cpp-2023-03-28"
            command = [sys.executable, "-m", "generator", "import", str(path), "--dry-run", "--source", source]
            runs = [timed(command, root) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(f"import {label:<4}: {wall:.2f} s wall, {cpu:.2f} s CPU (median of {args.runs})")


if __name__ == "__main__":
    main()
