"""Benchmark: load + validate, generate each edition (cold and warm chart cache), and a full build.

Run with `make bench`. Prints seconds per phase (best of N runs) and chart counts. Speed is measured
here, never in the test suite.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.building import build_site  # noqa: E402
from generator.charts import ChartCache  # noqa: E402
from generator.pipeline import generate, load_project  # noqa: E402


def timed(label: str, func, runs: int = 3) -> object:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    print(f"{label:<44} best {min(times):7.3f}s  median {statistics.median(times):7.3f}s  ({runs} runs)")
    return result


def main() -> None:
    config = REPO / "site_config.yml"
    project = timed("load and validate data/", lambda: load_project(config))
    print(f"  records: {len(project.dataset.kpis)} KPIs, {len(project.dataset.updates)} updates, "
          f"{len(project.dataset.events)} events, {len(project.dataset.meetings)} meetings, "
          f"{sum(1 for _ in project.dataset.entitlements())} entitlements")
    for edition in ("standard", "young"):
        cold = timed(f"generate {edition} (empty chart cache)",
                     lambda e=edition: generate(project, e, ChartCache(None)))
        print(f"  pages {len(cold.pages)}, charts rendered {cold.charts_rendered}")
        cache = ChartCache(None)
        generate(project, edition, cache)
        warm = timed(f"generate {edition} (warm chart cache)", lambda e=edition, c=cache: generate(project, e, c))
        print(f"  charts rendered {warm.charts_rendered}, from cache {warm.charts_reused}")
    folder = Path(tempfile.mkdtemp(prefix="panelsite-bench-"))
    try:
        timed("full build, both editions, --strict", lambda: build_site(config, folder / "site"), runs=2)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
