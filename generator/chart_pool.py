"""Draw the charts a cold build needs in parallel, one process per core, before the pages render.

The charts are found by running the ordinary chart code with a recording cache (nothing is
drawn; about 0.1 s CPU for the ten-year archive), then drawn by forked worker processes (after
this process has drawn the first one, so that they inherit Matplotlib loaded) with exactly the
same code, so the bytes are the same as when drawn one after another; the results go into the
real cache, where the pages then
find them. With one core, one chart to draw, other threads running (forking them is unsafe) or
no `fork` on this system, nothing happens here and the charts are drawn as the pages need them;
nor when the cache already holds the first KPI's charts (a warm build, where looking for the
missing ones would cost as much as the build saves).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .charts import ChartCache, ChartTextOutside, render_kpi_charts
from .charts.render import chart_key
from .comparators import DEFAULT_COMPARATORS, Comparator
from .editions import Edition
from .models.kpi import Kpi

_PENDING: list[Callable[[], bytes]] = []  # read by the forked workers, by index
AHEAD = 2
"""Charts drawn in this process before the workers fork (the first chart, wide and narrow)."""


class _Recorder:
    """Stands in for a ChartCache: notes each chart that the real cache does not hold yet."""

    def __init__(self, cache: ChartCache) -> None:
        self.cache = cache
        self.wanted: dict[str, tuple[Any, Any, Callable[[], bytes], tuple[str, str]]] = {}

    def get_or_render(self, spec: Any, style: Any, render: Callable[[], bytes], words: tuple[str, str]) -> bytes:
        key = chart_key(spec, style, words)
        if self.cache.lookup(key, words) is None:  # missing, or failing its checks: drawn again
            self.wanted.setdefault(key, (spec, style, render, words))
        return b""


def workers_available() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _looks_warm(
    cache: ChartCache, first: Kpi, edition: Edition, area_name: str, comparators: Sequence[Comparator]
) -> bool:
    """True when the cache holds every chart of the first KPI (a warm build: nothing to draw ahead).

    The first KPI stands for the rest: a cold build lacks it, a warm one (or one with a KPI edited) has it.
    Counting the files in the folder, as before, took the standard edition's fresh charts for a warm
    cache, so the young edition's were never drawn in parallel."""
    probe = _Recorder(cache)
    render_kpi_charts(first, edition, probe, area_name, comparators)
    return not probe.wanted


def _given(svg: bytes) -> Callable[[], bytes]:
    """A render function that hands back a chart drawn already (by a worker)."""
    return lambda: svg


def _draw(index: int) -> bytes | None:
    try:
        return _PENDING[index]()
    except ChartTextOutside:  # drawn again when its page renders, where it becomes a located problem
        return None


def draw_in_parallel(
    kpis: Iterable[Kpi],
    edition: Edition,
    cache: ChartCache,
    workers: int | None = None,
    area_name: str = "Our area",
    comparators: Sequence[Comparator] = DEFAULT_COMPARATORS,
) -> int:
    """Draw every chart of `kpis` in `edition` that `cache` lacks, in `workers` processes.

    Returns how many were drawn here (0 when it was not worth it or not possible).
    """
    kpis = list(kpis)
    workers = workers or workers_available()
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if not kpis or _looks_warm(cache, kpis[0], edition, area_name, comparators):
        return 0  # finding the missing charts would cost as much as taking them from the cache
    recorder = _Recorder(cache)
    for kpi in kpis:
        render_kpi_charts(kpi, edition, recorder, area_name, comparators)
    workers = min(workers, len(recorder.wanted))
    if workers < 2:
        return 0
    wanted = list(recorder.wanted.values())
    _PENDING[:] = [render for _, _, render, _ in wanted]
    try:
        # The first chart's renderings are drawn here: the workers, forked after, inherit Matplotlib loaded, its
        # fonts open and the text sizes those charts measured, rather than each paying for them again.
        ahead = [_draw(index) for index in range(min(AHEAD, len(wanted) - 1))]
        rest = range(len(ahead), len(wanted))
        gc.freeze()  # objects made so far are never collected in a worker: fewer pages copied on write
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                drawn = ahead + list(pool.map(_draw, rest, chunksize=max(1, len(rest) // (workers * 4))))
        finally:
            gc.unfreeze()
    finally:
        _PENDING.clear()
    stored = 0
    for (spec, style, _, words), svg in zip(wanted, drawn, strict=True):
        if svg is not None:
            cache.get_or_render(spec, style, _given(svg), words)
            stored += 1
    return stored
