"""The steps `panelsite upgrade` takes, one small function per change, grouped by format.

Each step reads and edits a council's folder through `Folder` (the one YAML writer, which keeps
everything it does not touch byte for byte) and is safe to run on a folder it has already
converted: it changes only what is still in the old form. What cannot be converted without
guessing (an amount written as a sentence, a photo with no consent recorded) is left as it is,
with a note saying exactly what to write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .content import ASSET_SUFFIXES as CONTENT_ASSETS
from .errors import Problem, Problems, Severity
from .yaml_edit import EditError, Flow, YamlText

PANELSITE_OWN_CSS = {"assets/stylesheets/panelsite.css", "assets/stylesheets/young.css"}
GENERATED_PAGES = ("accessibility.md", "accessibility.young.md")
"""Hand-written pages that panelsite now makes itself (the accessibility statement, from 0.2)."""

OLD_CHILDREN_COUNCIL = {"name": "Looked After Children's Council", "short_name": "LAC Council", "slug": "lac-council"}
"""The children in care council's names and folder before they were settings (kept, so links still work)."""

OLD_REGION = {
    "name": "yorkshire and the humber",
    "label": "Yorkshire and the Humber",
    "short_label": "Yorkshire & Humber",
}
"""The one comparator that was built in before comparators were settings, and is not built in now."""


@dataclass
class Folder:
    """A council's folder being upgraded: its YAML files as editable text, and what could not be done."""

    root: Path
    config: Path
    files: dict[Path, YamlText] = field(default_factory=dict)
    originals: dict[Path, str] = field(default_factory=dict)
    removed: list[Path] = field(default_factory=list)
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    notes: Problems = field(default_factory=Problems)

    def yaml(self, path: Path) -> YamlText:
        """The file's editable text, read once."""
        if path not in self.files:
            text = path.read_text(encoding="utf-8")
            self.originals[path] = text
            self.files[path] = YamlText(text)
        return self.files[path]

    def data_files(self, folder: str) -> Iterator[Path]:
        """The YAML files of one collection folder under data/, in name order."""
        base = self.root / self.data_dir / folder
        if base.is_dir():
            yield from sorted(p for p in base.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())

    @property
    def settings(self) -> tuple[str | int, ...]:
        """The path of the panelsite section inside site_config.yml."""
        config = self.yaml(self.config)
        plugins = config.node(("plugins",))
        for index, entry in enumerate(getattr(plugins, "value", [])):
            if isinstance(entry, yaml.MappingNode) and any(k.value == "panelsite" for k, _ in entry.value):
                return ("plugins", index, "panelsite")
        raise EditError("site_config.yml lists no panelsite plugin")

    @property
    def data_dir(self) -> str:
        config = self.yaml(self.config)
        try:
            path = (*self.settings, "data_dir")
        except EditError:
            return "data"
        return str(config.node(path).value) if config.has(path) else "data"

    @property
    def content_dir(self) -> str:
        return self._folder_setting("content_dir", "content")

    @property
    def theme_dir(self) -> str:
        return self._folder_setting("theme_dir", "theme")

    def _folder_setting(self, name: str, default: str) -> str:
        config = self.yaml(self.config)
        path = (*self.settings, name)
        return str(config.node(path).value) if config.has(path) else default

    def note(self, path: Path, text: YamlText, at: tuple[str | int, ...], field_name: str, message: str) -> None:
        """Something left for the council to do, located in the file as it will be written."""
        line, column = text.line_of(at)
        shown = path.relative_to(self.root).as_posix()
        self.notes.add(Problem(shown, line, column, field_name, message, severity=Severity.WARNING))


Step = Callable[[Folder], None]


# -- site_config.yml ------------------------------------------------------------------------------


def _walk_tags(node: yaml.Node, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], yaml.Node]]:
    yield path, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk_tags(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk_tags(item, (*path, index))


def config_env_values(folder: Folder) -> None:
    """`!ENV [NAME, default]` becomes its default: the configuration may not read the environment."""
    config = folder.yaml(folder.config)
    while True:
        tagged = [(p, n) for p, n in _walk_tags(config.node(()), ()) if n.tag == "!ENV"]
        if not tagged:
            return
        path, node = tagged[0]
        values = [item.value for item in node.value] if isinstance(node, yaml.SequenceNode) else []
        if len(values) < 2:
            config.set_value(path, "")
            folder.note(
                folder.config,
                config,
                path,
                ".".join(map(str, path)),
                "read an environment variable with no default; write the value here",
            )
            continue
        config.set_value(path, yaml.safe_load(values[-1]) if values[-1] else values[-1])


def config_theme_folder(folder: Folder) -> None:
    """`theme.custom_dir` goes: panelsite adds its own theme and the council's theme/overrides/."""
    config = folder.yaml(folder.config)
    if not config.has(("theme", "custom_dir")):
        return
    named = str(config.node(("theme", "custom_dir")).value)
    config.delete(("theme", "custom_dir"))
    if Path(named).as_posix().strip("/") != "theme/overrides" and (folder.root / named).is_dir():
        folder.note(
            folder.config,
            config,
            ("theme",),
            "theme",
            f"custom_dir named {named}/, which panelsite no longer reads: move its files into theme/overrides/",
        )


def config_branding(folder: Folder) -> None:
    """The logo, favicon and the council's own stylesheets move into the panelsite section's `branding`."""
    config = folder.yaml(folder.config)
    moved: dict[str, object] = {}
    for name in ("logo", "favicon"):
        if config.has(("theme", name)):
            moved[name] = config.node(("theme", name)).value
            config.delete(("theme", name))
    if config.has(("extra_css",)):
        node = config.node(("extra_css",))
        own = [item.value for item in getattr(node, "value", []) if isinstance(item, yaml.ScalarNode)]
        theirs = [css for css in own if css not in PANELSITE_OWN_CSS]
        config.delete(("extra_css",))
        if theirs:
            moved["extra_css"] = theirs
    if not moved:
        return
    branding = (*folder.settings, "branding")
    if config.has(branding):
        for name, value in moved.items():
            if config.has((*branding, name)):
                folder.note(
                    folder.config,
                    config,
                    (*branding, name),
                    f"branding.{name}",
                    "kept; the old theme setting was dropped",
                )
            else:
                config.insert(branding, name, value)
    else:
        config.insert(folder.settings, "branding", moved)


def config_children_council(folder: Folder) -> None:
    """The children in care council keeps the names and folder (`lac-council/`) it had before they were settings."""
    config = folder.yaml(folder.config)
    if not config.has((*folder.settings, "children_council")):
        config.insert(folder.settings, "children_council", dict(OLD_CHILDREN_COUNCIL), after="council")


def config_region_comparator(folder: Folder) -> None:
    """A region benchmark that used to be built in is added to `comparators` when the data names it."""
    config = folder.yaml(folder.config)
    if config.has((*folder.settings, "comparators")):
        return
    used = any(
        re.search(rf"name:\s*{OLD_REGION['name']}\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
        for path in folder.data_files("kpis")
    )
    if not used:
        return
    from .comparators import DEFAULT_COMPARATORS

    listed = [c.model_dump(exclude_defaults=True) for c in DEFAULT_COMPARATORS]
    listed.insert(2, {**OLD_REGION, "in_summary": True})
    config.insert(folder.settings, "comparators", listed)


def accessibility_compliance(folder: Folder) -> None:
    """`accessibility.compliance` goes: the statement works out its status."""
    config = folder.yaml(folder.config)
    path = (*folder.settings, "accessibility", "compliance")
    if config.has(path):
        config.delete(path)


def accessibility_known_issues(folder: Folder) -> None:
    """A known issue written as text becomes `problem: <the text>`."""
    config = folder.yaml(folder.config)
    issues = (*folder.settings, "accessibility", "known_issues")
    if not config.has(issues):
        return
    for index, item in enumerate(list(config.node(issues).value)):
        if isinstance(item, yaml.ScalarNode):
            text = yaml.safe_load(_source(config, item))
            config.set_block((*issues, index), {"problem": text})


def _source(config: YamlText, node: yaml.Node) -> str:
    """The text a node was written as (for a scalar, with its style), to load on its own."""
    start = config.text.rfind("\n", 0, node.start_mark.index) + 1
    lines = config.text[start : node.end_mark.index].split("\n")
    first = lines[0][node.start_mark.column :]
    return "\n".join([first, *lines[1:]])


def accessibility_report_contact(folder: Folder) -> None:
    """`report_contact` written as a sentence becomes the one contact name it mentions."""
    config = folder.yaml(folder.config)
    path = (*folder.settings, "accessibility", "report_contact")
    contacts = (*folder.settings, "contacts")
    if not config.has(path) or not config.has(contacts):
        return
    written = str(config.node(path).value)
    names = [
        str(value.value)
        for entry in config.node(contacts).value
        if isinstance(entry, yaml.MappingNode)
        for key, value in entry.value
        if key.value == "name"
    ]
    if any(" ".join(written.lower().split()) == " ".join(n.lower().split()) for n in names):
        return
    mentioned = [n for n in names if n.lower() in written.lower()]
    if len(mentioned) == 1:
        config.set_value(path, mentioned[0])
    else:
        folder.note(
            folder.config,
            config,
            path,
            "accessibility.report_contact",
            f"should be the name of one of your contacts ({', '.join(names) or 'none yet'}); write that name",
        )


# -- content/ -------------------------------------------------------------------------------------


def generated_pages(folder: Folder) -> None:
    """Hand-written pages panelsite now makes itself are removed (kept as copies by the upgrade)."""
    for name in GENERATED_PAGES:
        page = folder.root / folder.content_dir / name
        if page.is_file() and page not in folder.removed:
            folder.removed.append(page)


def branding_files_to_theme(folder: Folder) -> None:
    """A logo or stylesheet under content/ that content/ may not publish moves to theme/overrides/.

    Since 0.2, content/ publishes pages, pictures and documents only; a site's own SVG logo and CSS
    live in theme/overrides/ at the same path, so the site's addresses for them do not change.
    """
    config = folder.yaml(folder.config)
    branding = (*folder.settings, "branding")
    named: list[str] = []
    for name in ("logo", "favicon"):
        if config.has((*branding, name)):
            named.append(str(config.node((*branding, name)).value))
    if config.has((*branding, "extra_css")):
        named += [str(item.value) for item in config.node((*branding, "extra_css")).value]
    content = folder.root / folder.content_dir
    for relative in named:
        source = content / relative
        if source.suffix.lower() in CONTENT_ASSETS or not source.is_file() or ".." in Path(relative).parts:
            continue
        target = folder.root / folder.theme_dir / "overrides" / relative
        if target.exists():
            line = config.line_of(branding)
            folder.notes.add(
                Problem(
                    folder.config.name,
                    *line,
                    "branding",
                    f"{folder.content_dir}/{relative} and theme/overrides/{relative} both exist; keep one, in "
                    "theme/overrides/",
                    severity=Severity.WARNING,
                )
            )
        elif (source, target) not in folder.moved:
            folder.moved.append((source, target))


# -- data/ ----------------------------------------------------------------------------------------

_SUM = re.compile(
    r"^(?P<up_to>up to )?£(?P<gbp>\d{1,3}(?:,\d{3})*(?:\.\d{2})?|\d+(?:\.\d{2})?)"
    r"(?P<per> (?:a|per|each) (?:week|month|year))?\.?$",
    re.IGNORECASE,
)
_HOW_OFTEN_PER = {
    **dict.fromkeys(("once", "one-off", "once only"), "once"),
    **dict.fromkeys(("each year", "once a year", "a year", "every year", "yearly"), "year"),
    **dict.fromkeys(("each month", "a month", "every month", "monthly"), "month"),
    **dict.fromkeys(("each week", "a week", "every week", "weekly"), "week"),
}
_FREE = {"free", "free of charge", "no cost", "nothing"}


def entitlement_amounts(folder: Folder) -> None:
    """An amount written as text becomes data when it is plainly a sum or free; anything else is noted."""
    for path in folder.data_files("entitlements"):
        text = folder.yaml(path)
        if not text.has(("entitlements",)):
            continue
        for index in range(len(text.node(("entitlements",)).value)):
            at = ("entitlements", index, "amount")
            if not text.has(at) or not isinstance(text.node(at), yaml.ScalarNode):
                continue
            written = str(text.node(at).value).strip()
            converted = _amount(written, _how_often(text, index))
            if converted == "free":
                text.delete(at)
            elif converted is not None:
                text.set_value(at, converted)
            else:
                folder.note(
                    path,
                    text,
                    at,
                    f"entitlements[{index}].amount",
                    f"written as text ({written!r}), which is not plainly a sum: write `amount: {{gbp: <pounds>, per: "
                    "once|week|month|year}` for a sum, `amount: {varies: <how to find out>}` when it varies, or "
                    "delete the line if it costs nothing",
                )


def _how_often(text: YamlText, index: int) -> str | None:
    at = ("entitlements", index, "how_often")
    return str(text.node(at).value).strip().lower().rstrip(".") if text.has(at) else None


def _amount(written: str, how_often: str | None) -> dict[str, object] | str | None:
    """The amount as data, "free", or None when the text is more than a sum."""
    if written.lower().rstrip(".") in _FREE:
        return "free"
    match = _SUM.match(written)
    if not match:
        return None
    per = match.group("per").split()[-1] if match.group("per") else _HOW_OFTEN_PER.get(how_often or "")
    if per is None:
        return None
    gbp = Decimal(match.group("gbp").replace(",", ""))
    amount: dict[str, object] = {"gbp": int(gbp) if gbp == gbp.to_integral_value() else float(gbp), "per": per}
    if match.group("up_to"):
        amount["up_to"] = True
    return amount


_REGULATIONS = re.compile(r"\bRegulations\b")
_ACT = re.compile(r"\bAct\b(?: \d{4}| of)")
LAW_KINDS = "act, regulations, statutory guidance, national guidance, national policy or council policy"


def entitlement_legal_basis(folder: Folder) -> None:
    """`basis` + `legal_basis` in words become typed items when the words plainly name the law.

    A `basis: statutory` entry whose words name an Act (or regulations) becomes `legal_basis:
    [{kind: act, cite: <the words>}]` and loses its `basis` line. Anything else (a local offer, or a
    "statutory" entry resting on guidance) is left with a note: only the council can say its kind.
    """
    for path in folder.data_files("entitlements"):
        text = folder.yaml(path)
        if not text.has(("entitlements",)):
            continue
        for index in range(len(text.node(("entitlements",)).value)):
            at = ("entitlements", index, "legal_basis")
            if not text.has(at) or not isinstance(text.node(at), yaml.ScalarNode):
                continue
            words = str(text.node(at).value).strip()
            basis_at = ("entitlements", index, "basis")
            basis = str(text.node(basis_at).value) if text.has(basis_at) else None
            kind = "regulations" if _REGULATIONS.search(words) else "act" if _ACT.search(words) else None
            if basis == "statutory" and kind:
                text.set_value(at, [Flow(kind=kind, cite=words)])
                text.delete(basis_at)
                continue
            folder.note(
                path,
                text,
                at,
                f"entitlements[{index}].legal_basis",
                f"say what kind of law or policy this is: write `legal_basis: [{{kind: <{LAW_KINDS}>, cite: "
                f"{words!r}}}]` and delete the basis line (only an act or regulations is shown as set by law)",
            )


def event_photo_consent(folder: Folder) -> None:
    """A photo with no consent recorded is never guessed: the note says what to write."""
    for path in folder.data_files("events"):
        text = folder.yaml(path)
        if not text.has(("images",)):
            continue
        for index, image in enumerate(text.node(("images",)).value):
            if isinstance(image, yaml.MappingNode) and not any(k.value == "consent" for k, _ in image.value):
                folder.note(
                    path,
                    text,
                    ("images", index),
                    f"images[{index}].consent",
                    "no consent recorded, so the photo is not published: add `consent: {given_by: <who agreed, by "
                    "role>, until: YYYY-MM-DD}` once you have it, or remove the picture",
                )


def record_format(target: int) -> Step:
    """The step that writes `format: <target>` into the panelsite section."""

    def step(folder: Folder) -> None:
        config = folder.yaml(folder.config)
        path = (*folder.settings, "format")
        if config.has(path):
            config.set_value(path, target)
        else:
            after = "edition" if config.has((*folder.settings, "edition")) else None
            config.insert(folder.settings, "format", target, after=after)

    step.__doc__ = f"`format: {target}` in the panelsite section of site_config.yml."
    return step


MIGRATIONS: dict[int, tuple[Step, ...]] = {
    1: (
        config_env_values,
        config_theme_folder,
        config_branding,
        config_children_council,
        config_region_comparator,
        accessibility_compliance,
        accessibility_known_issues,
        accessibility_report_contact,
        generated_pages,
        branding_files_to_theme,
        entitlement_amounts,
        entitlement_legal_basis,
        event_photo_consent,
        record_format(2),
    ),
}
"""The steps from each format to the next, applied in order: MIGRATIONS[1] moves format 1 to 2."""
