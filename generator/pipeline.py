"""The core: validated data in, the Markdown pages, charts and CSV files of one edition out."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import metrics
from .charts import ChartCache, ChartTextOutside, csv_text, render_kpi_charts, table_rows
from .charts.kpi_charts import UNIT_LABELS
from .content import ContentPage, load_content
from .dataset import Dataset, load_dataset
from .editions import OTHER, SWITCH_TEXT, check_young_requirements
from .errors import Problem, Problems, display_path
from .models.entitlement import who_for
from .pages import PageSpec, edition_switch_href, plan_pages, relative_href
from .pages.plan import long_date
from .privacy import check_free_text
from .rendering import make_environment, render
from .settings import Settings, load_settings, project_paths
from .young_checks import check_young_pages

Progress = Callable[[str], None]

SECTION_ORDER = ["performance/index.md", "lac-council/index.md", "pledge/index.md", "local-offer/index.md",
                 "events/index.md", "meetings/index.md", "glossary/index.md"]


@dataclass
class Project:
    """Everything loaded and validated once; each edition is then generated from it."""

    root: Path
    config_path: Path
    settings: Settings
    dataset: Dataset
    problems: Problems


@dataclass
class GeneratedSite:
    edition: str
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    nav: list[dict[str, str]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    charts_rendered: int = 0
    charts_reused: int = 0


def load_project(config_path: Path, progress: Progress | None = None) -> Project | None | Problems:
    """Load settings and data, returning the project (possibly with problems) or only problems."""
    root = config_path.parent
    settings, problems = load_settings(config_path, root)
    if settings is None:
        return problems
    paths = project_paths(config_path, settings)
    dataset, found = load_dataset(paths["data_dir"], root, progress)
    problems.extend(found)
    problems.extend(check_young_requirements(dataset, settings))
    problems.extend(check_free_text(dataset, settings))
    return Project(root, config_path, settings, dataset, problems)


def generate(project: Project, edition: str, cache: ChartCache | None = None,
             progress: Progress | None = None) -> GeneratedSite:
    """Render every page, chart and CSV file of one edition. Problems are returned, never raised."""
    site = GeneratedSite(edition, problems=Problems(list(project.problems.items)))
    if site.problems.has_errors:
        return site
    paths = project_paths(project.config_path, project.settings)
    cache = cache or ChartCache(paths["cache_dir"] / "charts")
    cache.reset_counts()
    env = make_environment(paths["templates_dir"], edition)
    specs = plan_pages(project.dataset, project.settings, edition)
    content, found = load_content(paths["content_dir"], edition, project.root)
    site.problems.extend(found)
    other_paths = _page_paths(project, OTHER[edition], paths["content_dir"])
    if progress:
        progress(f"{edition} edition: rendering {len(specs) + len(content)} pages")
    for spec in specs:
        try:
            text = _render_spec(env, project, edition, spec, cache, site)
        except jinja2.TemplateError as exc:
            site.problems.add(_template_problem(paths["templates_dir"], spec.template, exc, project.root))
            continue
        site.pages[spec.path] = _finish(text, spec.path, edition, other_paths, project.dataset)
    for page in content:
        try:
            template = env.from_string(page.body)
            text = render_template(template, _context(project, edition, page.path))
        except jinja2.TemplateError as exc:
            site.problems.add(Problem(page.display, _template_line(exc), 1, "", f"template error: {exc}"))
            continue
        site.pages[page.path] = _finish(_front_matter(page) + text, page.path, edition, other_paths,
                                        project.dataset)
    site.nav = _nav(specs, content)
    if edition == "young":
        site.problems.extend(check_young_pages(site.pages, project.dataset, project.settings))
    site.charts_rendered, site.charts_reused = cache.rendered, cache.reused
    if progress:
        progress(f"{edition} edition: {len(site.pages)} pages, charts rendered {cache.rendered}, "
                 f"from cache {cache.reused}")
    return site


def render_template(template: jinja2.Template, context: dict) -> str:
    return template.render(**context).strip() + "\n"


def _render_spec(env: jinja2.Environment, project: Project, edition: str, spec: PageSpec,
                 cache: ChartCache, site: GeneratedSite) -> str:
    context = _context(project, edition, spec.path) | spec.context | {"page_title": spec.title}
    if spec.template == "kpi.md.j2":
        kpi = spec.context["kpi"]
        area = project.settings.area_name
        try:
            charts = render_kpi_charts(kpi, edition, cache, area)
        except ChartTextOutside as exc:
            doc = project.dataset.documents[project.dataset.origin("kpis", kpi.id)]
            line, column = doc.where(("title",))
            site.problems.add(Problem(doc.display, line, column, "title", str(exc),
                                      hint="shorten the title or labels"))
            charts = []
        rows = table_rows(kpi, project.dataset.source_title, area)
        for chart in charts:
            for filename, svg in chart.files:
                site.assets[f"performance/charts/{filename}"] = svg
        site.assets[f"performance/data/{kpi.id}.csv"] = csv_text(rows).encode("utf-8")
        context |= {"charts": charts, "rows": rows, "csv_href": f"data/{kpi.id}.csv",
                    "unit_label": UNIT_LABELS[kpi.unit]}
    return render(env, spec.template, context)


def _context(project: Project, edition: str, path: str) -> dict:
    dataset = project.dataset

    def link(target: str) -> str:
        return relative_href(path, target)

    return {
        "site": project.settings,
        "data": dataset,
        "edition": edition,
        "young": edition == "young",
        "metrics": metrics,
        "link": link,
        "long_date": long_date,
        "cite": lambda citation: _cite(dataset, citation),
        "Markup": Markup,
        "who_for": who_for,
    }


def _cite(dataset: Dataset, citation) -> str:
    return dataset.source_title(citation.doc) + (f", {citation.where}" if citation.where else "")


def _page_paths(project: Project, edition: str, content_dir: Path) -> set[str]:
    specs = plan_pages(project.dataset, project.settings, edition)
    content, _ = load_content(content_dir, edition, project.root)
    return {s.path for s in specs} | {c.path for c in content}


def _finish(text: str, path: str, edition: str, other_paths: set[str], dataset: Dataset) -> str:
    return _with_abbreviations(_with_switch(text, path, edition, other_paths), dataset, edition)


def _with_abbreviations(text: str, dataset: Dataset, edition: str) -> str:
    """Append Markdown abbreviation definitions for the glossary acronyms the page uses (`<abbr>`)."""
    if not dataset.glossary:
        return text
    lines = []
    for term in dataset.glossary.terms:
        if term.is_acronym and term.expansion and re.search(rf"\b{re.escape(term.term)}\b", text):
            meaning = term.expansion if edition == "standard" else f"{term.expansion}: {term.young_meaning}"
            lines.append(f"*[{term.term}]: {meaning.replace(chr(10), ' ')}")
    return text + ("\n" + "\n".join(sorted(lines)) + "\n" if lines else "")


def _with_switch(text: str, path: str, edition: str, other_paths: set[str]) -> str:
    """Insert a link to the same page in the other edition, after any front matter."""
    if path not in other_paths:
        return text
    href = edition_switch_href(path, edition)
    switch = (f'<p class="ps-edition-switch"><a href="{href}">{SWITCH_TEXT[edition]}</a></p>\n\n')
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + 5
        return text[:end] + "\n" + switch + text[end:]
    return switch + text


def _front_matter(page: ContentPage) -> str:
    title = page.meta.get("title")
    return f"---\ntitle: {title!r}\n---\n\n" if title else ""


def _nav(specs: list[PageSpec], content: list[ContentPage]) -> list[dict[str, str]]:
    """Home first, then the generated sections in a fixed order, then hand-written pages by nav_order."""
    nav: list[dict[str, str]] = []
    home = next((c for c in content if c.path == "index.md"), None)
    if home:
        nav.append({"Home": "index.md"})
    sections = {s.path: s.title for s in specs if s.in_nav}
    nav += [{sections[p]: p} for p in SECTION_ORDER if p in sections]
    extra = [c for c in content if c.path != "index.md" and c.meta.get("nav", True)]
    extra.sort(key=lambda c: (c.nav_order if c.nav_order is not None else 999, c.path))
    nav += [{c.title: c.path} for c in extra]
    return nav


def _template_problem(templates_dir: Path, template: str, exc: jinja2.TemplateError, root: Path) -> Problem:
    return Problem(display_path(templates_dir / template, root), _template_line(exc), 1, "",
                   f"template error: {exc}")


def _template_line(exc: jinja2.TemplateError) -> int:
    """The template line an error happened on (syntax errors carry it; runtime errors are in the traceback)."""
    if getattr(exc, "lineno", None):
        return exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", "<template>"))]
    return frames[-1].lineno if frames else 1
