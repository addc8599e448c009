"""Benchmark the whole build on a synthetic archive of ten years of papers (`make bench`).

Writes the archive with `benchmarks/synthetic.py` at `--scale` (1 = ten years) into a temporary
folder and times, each as a whole `panelsite` process (CPU seconds, user + system, which is what
a shared machine charges; wall seconds beside them):

- cold build (no chart cache, no site), warm build (nothing changed), build after editing one event;
- the floor: a plain `mkdocs build` of each edition of the `panelsite export` output, and the
  warm/floor and cold/floor ratios (each build paired with a floor run just after it, the median
  of the pairs' ratios, every pair listed);
- `panelsite serve`: seconds from saving one event, and from saving one KPI value, to the new HTML
  of its page being served;
- peak memory (largest resident set of any build process), checked against `MEMORY_LIMIT_MB`:
  `make bench` fails when a build of an archive up to ten years (scale 1 or less) uses more;
- growth: cold builds at 1, 2 and 4 × scale, back to back in each of `--runs` rounds, then warm
  builds the same way (the data and pages alone, without drawing charts). Two
  figures, each the median of the rounds': the cost at 4 × against 4 × the cost at scale (1.00 is
  proportional; below it, a fixed cost is being spread), and linearity, the extra cost of each
  further unit of size from 2 to 4 × against that from 1 to 2 × (1.00 is linear; above it the
  cost per record grows with the archive, below it it falls). Below about scale 0.5 the demo's
  own KPIs and terms, which every archive keeps, outnumber the scaled ones and the figures say
  little;
- drawing time per chart: each KPI's charts (every rendering, no cache) in each edition, with
  `generator.charts.chart_timings`; the median, the slowest and the total, in CPU seconds (drawn
  one after another in this process).

    python benchmarks/bench.py [--scale 1] [--runs 2] [--no-growth] [--serve-only]

`--serve-only` builds the archive once (untimed, so that the chart cache is warm as in a whole run)
and measures `serve` alone, with `--runs` edits of each kind (at least two).

Medians are printed; speed is measured here, never in the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_archive  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PANELSITE = [sys.executable, "-m", "generator"]
MKDOCS = [sys.executable, "-m", "mkdocs"]
EDITED = "Edited by the benchmark"
MEMORY_LIMIT_MB = 300
"""Most memory (peak resident set of the largest process, in MB) a build of the ten-year archive
may use; the documentation's Performance page states it. `--max-peak-mb` sets another limit."""


@dataclass
class Run:
    cpu: float
    wall: float
    peak_mb: float


def run(command: list[str], cwd: Path) -> Run:
    """Run a command to the end; its CPU seconds (with its children), wall seconds and peak memory."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"bench: {' '.join(command)} failed in {cwd}:\n{stderr.decode(errors='replace')[-3000:]}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs), max(r.peak_mb for r in runs)
    )


def cold(root: Path) -> Run:
    for name in ("site", ".cache"):
        shutil.rmtree(root / name, ignore_errors=True)
    return run([*PANELSITE, "build"], root)


def edit_one_event(root: Path, number: int) -> Path:
    event = sorted((root / "data" / "events").glob("*.yml"))[0]
    lines = event.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("title:"):
            lines[i] = f"title: {EDITED} {number}"
    event.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return event


def floor(root: Path) -> Run:
    """The plain MkDocs build of both exported editions (the cost of the engine alone)."""
    export = root / "export"
    run([*PANELSITE, "export", str(export)], root)
    runs = [
        run([*MKDOCS, "build", "-q", "-f", str(export / edition / "mkdocs.yml")], root)
        for edition in ("standard", "young")
    ]
    return Run(sum(r.cpu for r in runs), sum(r.wall for r in runs), max(r.peak_mb for r in runs))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


KPI = "admissions-to-care"
"""The KPI whose latest value the benchmark edits: one of the demo's own, kept in an archive of any size (a
count, so the value shows as a plain number)."""


def edit_one_kpi(root: Path, number: int) -> str:
    """Set the KPI's latest value to a figure of its own; returns that figure as its page's table shows it."""
    path = root / "data" / "kpis" / f"{KPI}.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("- period:"))
    value = 100 + number  # near enough to the series' figures to raise no warning
    lines[last + 1] = f"  value: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f">{value:,}</td>"  # the figure in the page's table of values


def event_edit(root: Path) -> tuple[str, Callable[[int], str]]:
    """The first event's page, and an edit of its title returning the new title."""
    event = sorted((root / "data" / "events").glob("*.yml"))[0]

    def edit(number: int) -> str:
        edit_one_event(root, number)
        return f"{EDITED} {number}"

    return f"events/{event.stem}/", edit


def kpi_edit(root: Path) -> tuple[str, Callable[[int], str]]:
    """The KPI's page, and an edit of its latest value returning the figure its page then shows."""
    return f"performance/{KPI}/", lambda number: edit_one_kpi(root, number)


def serve_latency(
    root: Path, edits: int, what: Callable[[Path], tuple[str, Callable[[int], str]]], timeout: float = 300
) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds of the server) from saving one record (`what`: the page to watch and
    the edit) to `panelsite serve` serving the page with the edit in it. The CPU figure holds on a busy
    machine, where the wall figure stretches."""
    port = _free_port()
    page, edit = what(root)
    url = f"http://127.0.0.1:{port}/{page}"
    server = subprocess.Popen(
        [*PANELSITE, "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    latencies = []
    try:
        deadline = time.monotonic() + timeout
        while "<html" not in _get(url):
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("bench: panelsite serve did not start")
            time.sleep(0.2)
        for number in range(edits):
            time.sleep(1.5)  # let the watcher settle after the previous build
            start, cpu = time.monotonic(), _cpu_seconds(server.pid)
            expected = edit(100 + number)
            while expected not in _get(url):
                if time.monotonic() - start > timeout:
                    sys.exit(f"bench: the served page {page} never picked up the edit")
                time.sleep(0.05)
            latencies.append((time.monotonic() - start, _cpu_seconds(server.pid) - cpu))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return latencies


def serve_all(root: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """`serve`'s latency for an event's title and for a KPI's latest value, `runs` edits each (at least 2)."""
    return {
        "event": serve_latency(root, max(2, runs), event_edit),
        "KPI value": serve_latency(root, max(2, runs), kpi_edit),
    }


def print_serve(served: dict[str, list[tuple[float, float]]]) -> None:
    """One line for each kind of edit: the median CPU and wall seconds, and every wall figure."""
    load = os.getloadavg()[0]
    for what, latencies in served.items():
        wall, cpu = statistics.median(s[0] for s in latencies), statistics.median(s[1] for s in latencies)
        print(
            f"{'serve: save ' + what + ' to new HTML':<34} {cpu:8.2f} s CPU {wall:8.2f} s wall (median of "
            f"{len(latencies)}: {', '.join(f'{s[0]:.2f}' for s in latencies)} s wall; load {load:.1f})",
            flush=True,
        )


def chart_times(root: Path) -> list[str]:
    """Lines on the CPU time to draw each KPI's charts, per edition (the KPIs each edition shows)."""
    sys.path.insert(0, str(REPO))
    from generator.charts import chart_timings
    from generator.pipeline import Project, load_project

    project = load_project(root / "site_config.yml")
    if not isinstance(project, Project):
        sys.exit(f"bench: the archive does not load:\n{project.format()}")
    kpis = project.dataset.kpis
    lines = []
    for edition, shown in (
        ("standard", list(kpis.values())),
        ("young", [kpis[k] for k in project.settings.young_kpis if k in kpis]),
    ):
        if not shown:
            continue
        timings = chart_timings(shown, edition, project.settings.area_name)
        seconds = [s for _, s in timings]
        slowest = max(timings, key=lambda pair: pair[1])
        lines.append(
            f"{'charts, ' + edition + ' (per KPI)':<34} {statistics.median(seconds):8.3f} s median "
            f"{slowest[1]:8.3f} s max ({slowest[0]}); {len(timings)} KPIs, {sum(seconds):.2f} s CPU in all"
        )
    return lines


def growth(folder: Path, root: Path, scale: float, rounds: int) -> None:
    """Cold builds at 1, 2 and 4 times the size, back to back in each round (so that each round's
    figures come from the same moment of a machine whose speed drifts): the medians of each
    round's proportionality and linearity (see the module's notes)."""
    archives = {1: root}
    for times in (2, 4):
        archives[times] = folder / f"archive-{times}x"
        write_archive(archives[times], scale * times)
    for kind, build in (("cold", cold), ("warm", lambda archive: run([*PANELSITE, "build"], archive))):
        measured: dict[int, list[Run]] = {1: [], 2: [], 4: []}
        for _ in range(rounds):  # the warm builds find the charts the cold ones drew
            for times, archive in archives.items():
                measured[times].append(build(archive))
        for times in (1, 2, 4):
            print(line(f"{kind} build at scale {scale * times:g}", median(measured[times])), flush=True)
        for what in ("cpu", "wall"):
            proportional, linear = [], []
            for one, two, four in zip(*(measured[t] for t in (1, 2, 4)), strict=True):
                a, b, c = (getattr(r, what) for r in (one, two, four))
                proportional.append(c / (4 * a))
                linear.append((c - b) / 2 / (b - a))
            print(
                f"{'growth, ' + kind + ', ' + what:<34} {statistics.median(proportional):8.2f} 4 x size / (4 x "
                f"1 x) (1.00 is proportional)   {statistics.median(linear):.2f} linearity: cost per further unit "
                f"of size, 2-4 x against 1-2 x (1.00 is linear; rounds: {', '.join(f'{x:.2f}' for x in linear)})",
                flush=True,
            )


def pages(root: Path) -> tuple[int, int]:
    site = root / "site"
    young = sum(1 for _ in (site / "young").rglob("index.html"))
    return sum(1 for _ in site.rglob("index.html")) - young, young


def line(label: str, result: Run) -> str:
    return f"{label:<34} {result.cpu:8.2f} s CPU {result.wall:8.2f} s wall {result.peak_mb:8.0f} MB peak"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark panelsite on a synthetic archive.")
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("SCALE") or 1),
        help="archive size; 1 = ten years (default: $SCALE or 1)",
    )
    parser.add_argument("--runs", type=int, default=2, help="runs of each build, median shown (default 2)")
    parser.add_argument("--no-growth", action="store_true", help="skip the cold build at 4 x scale")
    parser.add_argument(
        "--serve-only", action="store_true", help="measure only serve's latency after one untimed build"
    )
    parser.add_argument("--keep", type=Path, help="write the archive here and keep it")
    parser.add_argument(
        "--max-peak-mb",
        type=float,
        default=None,
        help=f"fail when a build's peak memory is above this (default {MEMORY_LIMIT_MB} MB up to scale 1)",
    )
    args = parser.parse_args()
    limit = args.max_peak_mb if args.max_peak_mb is not None else (MEMORY_LIMIT_MB if args.scale <= 1 else None)
    over_limit = False
    folder = Path(tempfile.mkdtemp(prefix="panelsite-bench-"))
    root = args.keep or folder / "archive"
    try:
        made = write_archive(root, args.scale)
        print(f"archive at scale {args.scale:g}: " + ", ".join(f"{n} {k}" for k, n in made.items()), flush=True)
        if args.serve_only:
            run([*PANELSITE, "build"], root)  # the chart cache, as the builds before serve leave it
            print_serve(serve_all(root, args.runs))
            return
        cold_runs, cold_floors = [], []
        for _ in range(args.runs):  # each cold build paired with a floor run just after it
            cold_runs.append(cold(root))
            cold_floors.append(floor(root))
        standard, young = pages(root)
        print(f"pages built: {standard} standard, {young} young", flush=True)
        # Warm builds and floors in turn, so that each ratio compares runs made at the same moment
        # of a shared machine whose speed drifts; the median ratio is reported.
        warm_runs, floor_runs = [], []
        for _ in range(max(5, args.runs)):
            warm_runs.append(run([*PANELSITE, "build"], root))
            floor_runs.append(floor(root))
        warm, the_floor = median(warm_runs), median(floor_runs)
        ratios = sorted(w.cpu / f.cpu for w, f in zip(warm_runs, floor_runs, strict=True))
        cold_ratios = sorted(c.cpu / f.cpu for c, f in zip(cold_runs, cold_floors, strict=True))
        # Beside it, in wall seconds: what a person waits, where a cold build's charts use every core.
        cold_wall_ratios = sorted(c.wall / f.wall for c, f in zip(cold_runs, cold_floors, strict=True))
        edits = []
        for number in range(args.runs):
            edit_one_event(root, number)
            edits.append(run([*PANELSITE, "build"], root))
        served = serve_all(root, args.runs)
        results = {
            "cold build": median(cold_runs),
            "warm build (nothing changed)": warm,
            "build after editing one event": median(edits),
            "floor (plain mkdocs build)": the_floor,
        }
        for label, result in results.items():
            print(line(label, result), flush=True)
        print(
            f"{'warm / floor (CPU, paired runs)':<34} {statistics.median(ratios):8.2f} x median of "
            f"{len(ratios)} ({', '.join(f'{r:.2f}' for r in ratios)})",
            flush=True,
        )
        print(
            f"{'cold / floor (CPU, paired runs)':<34} {statistics.median(cold_ratios):8.2f} x median of "
            f"{len(cold_ratios)} ({', '.join(f'{r:.2f}' for r in cold_ratios)})",
            flush=True,
        )
        print(
            f"{'cold / floor (wall, paired runs)':<34} {statistics.median(cold_wall_ratios):8.2f} x median of "
            f"{len(cold_wall_ratios)} ({', '.join(f'{r:.2f}' for r in cold_wall_ratios)})",
            flush=True,
        )
        print_serve(served)
        peak = max(r.peak_mb for r in [*cold_runs, *warm_runs, *edits])
        stated = f", limit {limit:.0f} MB" if limit is not None else ""
        print(f"{'peak memory':<34} {peak:8.0f} MB (largest process{stated})", flush=True)
        over_limit = limit is not None and peak > limit
        for text in chart_times(root):
            print(text, flush=True)
        if not args.no_growth:
            growth(folder, root, args.scale, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if over_limit:
        sys.exit(f"bench: peak memory {peak:.0f} MB is above the limit of {limit:.0f} MB (docs/performance.md)")


if __name__ == "__main__":
    main()
