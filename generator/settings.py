"""Site settings: the `panelsite` plugin section of `site_config.yml`, read without MkDocs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, StringConstraints, field_validator, model_validator

from .colours import contrast_ratio
from .comparators import DEFAULT_COMPARATORS, Comparator, find
from .config_safety import check_engine_config
from .editions import Edition
from .errors import Problem, Problems, close_match_hint, display_path
from .formats import format_problem
from .models.common import MAX_AGE, Colour, Slug, Strict, Text, Url
from .models.event import EVENT_KINDS
from .validation import fields_at, validate
from .yamlio import DEFAULT_LIMITS, Document, Limits, Loc, dotted, load
from .yamlio import DatesAsTextLoader as _DateAsTextLoader

EDITIONS = tuple(edition.value for edition in Edition)
"""The editions' names, as the MkDocs config's `edition` option takes them (`generator.editions`)."""
PhoneNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ]{2,19}$")]
EmailAddress = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")]


class Contact(Strict):
    """A public contact: the only phone numbers and e-mail addresses the site may print."""

    id: Slug | None = Field(
        None,
        description="The contact's id, which entitlements name in `contacts:`; "
        "by default made from the name ('Leaving Care Service' gives leaving-care-service).",
    )
    name: Text = Field(description="Team or service name.")
    purpose: Text = Field(description="What to contact them about.")
    young_purpose: Text | None = Field(None, description="The same, in plain words, for the young edition.")
    phone: PhoneNumber | None = Field(None, description="A public phone number: digits and spaces, e.g. '0800 1111'.")
    email: EmailAddress | None = Field(None, description="A public e-mail address.")
    url: Url | None = Field(None, description="A public web address (https:, http:, mailto:, tel: or a relative path).")
    hours: Text | None = Field(None, description="When the phone line is open, e.g. 'Monday to Friday, 9am to 5pm'.")
    address: Text | None = Field(None, description="A public postal or visiting address.")
    note: Text | None = Field(None, description="Anything else a caller should know, e.g. why no number is given.")
    speak_up: Literal["complaints", "advocacy", "independent"] | None = Field(
        None,
        description="Where the complaints and advocacy page lists it: 'complaints' (the council's own "
        "route to complain), 'advocacy' (an advocacy service) or 'independent' (a national body such as the "
        "Children's Commissioner's Help at Hand, Ofsted or Childline). Left out, it is not listed there.",
    )
    icon: Text | None = Field(
        None, description="The icon beside an 'independent' contact on that page, e.g. material/lifebuoy (default)."
    )

    @model_validator(mode="after")
    def _default_id(self) -> Contact:
        if self.id is None:
            object.__setattr__(self, "id", re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "contact")
        return self

    @property
    def tel_href(self) -> str | None:
        """The phone number as a `tel:` link target, in international form (+44...)."""
        return phone_href(self.phone) if self.phone else None

    @property
    def mailto_href(self) -> str | None:
        return f"mailto:{self.email}" if self.email else None


def phone_href(number: str) -> str:
    """'0800 1111' -> 'tel:+448001111'; a number given with +44 keeps it."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if number.strip().startswith("+"):
        return f"tel:+{digits}"
    return f"tel:+44{digits[1:]}" if digits.startswith("0") else f"tel:{digits}"


class LocalOfferInfo(Strict):
    """Facts about how the Local Offer was made, for the statement the law expects."""

    written_with: Text = Field(description="Who it was written with and when, e.g. 'care leavers in 2016'.")
    source: Text | None = Field(None, description="Where that is recorded.")


class KnownIssue(Strict):
    """Something on the site that does not meet WCAG 2.2 AA, found by a check or reported by a reader."""

    problem: Text = Field(description="What does not work, and for whom, in plain words.")
    criterion: Text | None = Field(
        None, description="The WCAG 2.2 success criterion it fails, e.g. '1.4.3 Contrast (Minimum)'."
    )
    fix_by: dt.date | None = Field(None, description="When it will be fixed, if planned.")
    young_problem: Text | None = Field(
        None,
        description="The same in plain words, for the young edition; without it the young page only counts the problem.",
    )


class ManualAudit(Strict):
    """A manual accessibility audit: without one the statement says 'partially compliant'."""

    date: dt.date = Field(description="When the audit was finished.")
    by: Text = Field(description="Who carried it out, e.g. 'the council's digital accessibility team'.")


class Accessibility(Strict):
    """Facts for the accessibility statement; its compliance status is worked out, never written by hand."""

    report_contact: Text = Field(
        description="The name of a contact in `contacts` (with a phone, e-mail or web page) for reporting problems."
    )
    response_days: int = Field(10, ge=1, le=60, description="Working days within which a report gets a reply.")
    known_issues: list[KnownIssue] = Field(default_factory=list, description="What is not accessible, and why.")
    manual_audit: ManualAudit | None = Field(None, description="The latest manual audit, if one has been done.")
    prepared_on: dt.date = Field(description="When the statement was prepared.")
    reviewed_on: dt.date = Field(description="When it was last reviewed.")
    tested_by: Text = Field(description="How the site was tested (automated checks, and by whom).")


class Group(Strict):
    """A named group of young people: the children in care council, the care leavers' forum."""

    name: Text = Field(description="Its full name, e.g. 'Children in Care Council' or 'Youth Voice'.")
    short_name: Text = Field(description="The short name used in headings and the navigation, e.g. 'CiCC'.")
    slug: Slug = Field(
        description="The URL folder of its pages, e.g. 'children-in-care-council' gives /children-in-care-council/."
    )


class AgeBand(Strict):
    """Ages that share a page in the young people's Local Offer ("What you can get at 18 to 20")."""

    min_age: int = Field(ge=0, le=MAX_AGE, description="The youngest age in the band.")
    max_age: int = Field(ge=0, le=MAX_AGE, description="The oldest age in the band.")

    @property
    def label(self) -> str:
        """'18-20', also the page's URL: /local-offer/age-18-20/."""
        return f"{self.min_age}-{self.max_age}"

    @model_validator(mode="after")
    def _order(self) -> AgeBand:
        if self.max_age < self.min_age:
            raise ValueError("max_age is below min_age")
        return self


DEFAULT_AGE_BANDS = (AgeBand(min_age=16, max_age=17), AgeBand(min_age=18, max_age=20), AgeBand(min_age=21, max_age=25))


class Branding(Strict):
    """The site's look. Paths are under the content folder; colours are #rrggbb."""

    logo: Text | None = Field(
        None, description="The logo in the header, e.g. 'assets/logo.svg' (a file under content/)."
    )
    favicon: Text | None = Field(
        None, description="The browser tab icon, e.g. 'assets/favicon.png' (a file under content/)."
    )
    primary_colour: Colour | None = Field(
        None,
        description="The header and link colour of the standard edition, e.g. '#1d4f91'; white text on it must reach 4.5:1.",
    )
    extra_css: list[Text] = Field(
        default_factory=list,
        description="More stylesheets, e.g. 'assets/stylesheets/council.css' (files under content/ or theme/overrides/), loaded after panelsite's own.",
    )

    @field_validator("primary_colour")
    @classmethod
    def _readable(cls, colour: str | None) -> str | None:
        if colour is None:
            return None
        ratio = contrast_ratio("#ffffff", colour)
        if ratio < 4.5:
            raise ValueError(
                f"white text on {colour} has a contrast of {ratio:.1f}:1; it needs at least 4.5:1, "
                "so choose a darker colour"
            )
        return colour.lower()


class LimitSettings(Strict):
    """Limits on every data file and content page, so that no file can hang or exhaust a build."""

    file_size: int = Field(DEFAULT_LIMITS.file_size, ge=1, description="Largest file, in bytes (default 1 MB).")
    text_length: int = Field(DEFAULT_LIMITS.text_length, ge=1, description="Longest text value, in characters.")
    depth: int = Field(DEFAULT_LIMITS.depth, ge=1, le=200, description="Deepest nesting of lists and mappings.")
    alias_values: int = Field(DEFAULT_LIMITS.alias_values, ge=0, description="Most values YAML aliases may repeat.")

    def limits(self) -> Limits:
        return Limits(self.file_size, self.text_length, self.depth, self.alias_values)


def _council_required(schema: dict[str, Any]) -> None:
    """In site_config.yml `council` is required (`load_settings`); the schema says so for editors.
    The model keeps a default only for settings made in code."""
    schema.setdefault("required", [])
    if "council" not in schema["required"]:
        schema["required"].append("council")
    schema["properties"]["council"].pop("default", None)


class Settings(Strict):
    """The plugin's typed section. Paths are relative to the folder holding site_config.yml."""

    model_config = ConfigDict(json_schema_extra=_council_required)

    edition: Text = Field("standard", description="standard or young (set by `panelsite build`).")
    format: int = Field(
        1,
        description="The format of this folder's files, written by `panelsite init` and `panelsite upgrade`; "
        "a folder without it is format 1. Leave it as it is: `panelsite upgrade` moves it on.",
    )
    data_dir: Text = Field("data", description="Folder holding the YAML data.")
    content_dir: Text = Field("content", description="Folder holding hand-written pages.")
    theme_dir: Text = Field(
        "theme",
        description="An optional folder of your own templates/ and overrides/, each file replacing panelsite's file of the same name.",
    )
    templates_dir: Text | None = Field(
        None, description="Where your own page templates are, if not in theme_dir's templates/ folder."
    )
    cache_dir: Text = Field(".cache/panelsite", description="Chart cache, outside every watched folder.")
    council: Text = Field(
        "Our council", description="The council's name, e.g. 'Northby City Council' (required in site_config.yml)."
    )
    area_name: Text = Field(
        "Our area", description="The place the council serves, as a KPI series and a sentence names it, e.g. 'Northby'."
    )
    la_code: Annotated[str, StringConstraints(pattern=r"^[EWSN]\d{8}$")] | None = Field(
        None,
        description="The council's ONS local authority code, e.g. 'E08000018': `panelsite import` takes the rows with this `new_la_code` (or the `la_name` equal to `area_name`) as the council's own figures.",
    )
    panel: Text = Field("Corporate Parenting Panel", description="The panel's name: a Panel, Board or Committee.")
    panel_short_name: Text | None = Field(
        None,
        description="The panel's name in short, for the navigation and headings ('Committee meetings', "
        "'Follow the Committee'); by default the last word of `panel`.",
    )
    children_council: Group = Field(
        Group(name="Children in Care Council", short_name="Children in Care Council", slug="children-in-care-council"),
        description="The children in care council, whose updates have their own section.",
    )
    care_leavers_forum: Group | None = Field(
        None,
        description="The care leavers' forum, if there is one; the Local Offer pages then say care leavers can have their say through it.",
    )
    young_site_name: Text = Field("Our site for young people in care", description="The young edition's site name.")
    scorecard_themes: list[Text] = Field(
        default_factory=list,
        description="The order of KPI themes on the scorecard; themes not listed follow alphabetically.",
    )
    young_kpis: list[Slug] = Field(default_factory=list, description="KPIs shown in the young edition.")
    reading_grade_max: float = Field(6.0, description="Highest Flesch-Kincaid grade allowed on a young page.")
    comparators: list[Comparator] = Field(
        default_factory=lambda: list(DEFAULT_COMPARATORS),
        min_length=1,
        description="The benchmarks a KPI may name; default England, statistical neighbours, best statistical neighbour and top quartile. Add your region here.",
    )
    upper_age: int = Field(25, ge=18, le=MAX_AGE, description="The oldest age the Local Offer covers (25 in England).")
    age_bands: list[AgeBand] = Field(
        default_factory=lambda: list(DEFAULT_AGE_BANDS),
        min_length=1,
        description="The young edition's Local Offer pages by age, youngest first.",
    )
    extra_event_kinds: list[Slug] = Field(
        default_factory=list, description=f"Event kinds beyond the built-in ones ({', '.join(EVENT_KINDS)})."
    )
    branding: Branding = Field(
        default_factory=Branding, description="Logo, favicon, primary colour and extra stylesheets."
    )
    contacts: list[Contact] = Field(
        default_factory=list,
        description="Public contacts; the only phone numbers and e-mail addresses allowed in text.",
    )
    local_offer: LocalOfferInfo | None = Field(None, description="How the Local Offer was written with care leavers.")
    accessibility: Accessibility | None = Field(None, description="Facts for the accessibility statement.")
    roles: list[Text] = Field(
        default_factory=list,
        description="Roles that quotes may be attributed to besides the built-in ones, e.g. 'Young Inspector'.",
    )
    limits: LimitSettings = Field(
        default_factory=LimitSettings, description="Size limits for data files and content pages."
    )
    _origin: tuple[Document, Loc] | None = PrivateAttr(None)

    def contact_named(self, name: str) -> Contact | None:
        """The configured public contact with this name (case and spacing ignored)."""
        wanted = " ".join(name.lower().split())
        return next((c for c in self.contacts if " ".join(c.name.lower().split()) == wanted), None)

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.panel_short_name is None:
            object.__setattr__(self, "panel_short_name", self.panel.split()[-1])
        names = [c.name for c in self.comparators]
        if len(set(names)) != len(names):
            raise ValueError("comparators gives the same name twice")
        for index, band in enumerate(self.age_bands):
            if band.max_age > self.upper_age:
                raise ValueError(f"age_bands[{index}] goes above upper_age ({self.upper_age})")
            if index and band.min_age <= self.age_bands[index - 1].max_age:
                raise ValueError(f"age_bands[{index}] overlaps the band before it; list bands youngest first")
        if self.care_leavers_forum and self.care_leavers_forum.slug == self.children_council.slug:
            raise ValueError("care_leavers_forum and children_council need different slugs")
        return self

    @property
    def panel_short(self) -> str:
        """`panel_short_name`, or the last word of `panel` ('Corporate Parenting Board' gives 'Board')."""
        return self.panel_short_name or self.panel.split()[-1]  # filled in on validation

    @property
    def event_kinds(self) -> tuple[str, ...]:
        """Every event kind allowed: the built-in ones, then the configured extras."""
        return (*EVENT_KINDS, *[k for k in self.extra_event_kinds if k not in EVENT_KINDS])

    def comparator(self, name: str) -> Comparator:
        """The configured comparator of this name (an unconfigured name is reported when data loads)."""
        return find(self.comparators, name)

    def where(self, loc: Loc) -> tuple[str, int, int]:
        """File, line and column of a setting, for messages."""
        if self._origin is None:
            return "site_config.yml", 1, 1
        doc, base = self._origin
        return (doc.display, *doc.where((*base, *loc)))


class _ConfigLoader(_DateAsTextLoader):
    """Reads MkDocs' config without running anything: every explicit tag is a located error.

    That includes MkDocs' own `!ENV` (which would write environment variables, CI secrets among
    them, into the pages) and `!relative`, as well as `!!python/name:...` and the rest, so
    MkDocs' own loader never sees one; see `refuse_unsafe_config`.
    """


def _read(config_path: Path, root: Path | None) -> tuple[Document | None, Problems]:
    doc, problems = load(config_path, display_path(config_path, root), _ConfigLoader)
    if doc is not None and isinstance(doc.data, dict) and "INHERIT" in doc.data:
        line, column = doc.key_where(("INHERIT",))
        problems.add(
            Problem(doc.display, line, column, "INHERIT", "is not supported; put every setting in this one file")
        )
    if doc is not None and not isinstance(doc.data, dict):
        problems.add(Problem(doc.display, 1, 1, "", "should hold a mapping of setting: value"))
    if problems.has_errors:
        return None, problems
    return doc, problems


def config_document(path: Path) -> Document | None:
    """site_config.yml as a located document (tags refused), or None when it cannot be read."""
    doc, _ = _read(path, path.parent)
    return doc


def read_config(path: Path) -> dict[str, Any]:
    """The whole site_config.yml as plain data (tags replaced by their defaults)."""
    doc, problems = _read(path, path.parent)
    if doc is None:
        raise ValueError(problems.format() or f"{path} holds no configuration")
    return doc.data


def checked_config(config_path: Path) -> tuple[Document | None, Problems]:
    """site_config.yml read once, with `refuse_unsafe_config`'s problems; the document is what MkDocs may
    be given (`building.load_mkdocs_config`) when none of them is an error."""
    doc, problems = _read(config_path, config_path.parent)
    if doc is not None:
        problems.extend(check_engine_config(doc, config_path.parent.resolve()))
    return doc, problems


def refuse_unsafe_config(config_path: Path) -> Problems:
    """Problems that must stop MkDocs from being given the config at all: tags, syntax, limits, and
    settings that run code, read files or reach other hosts (`config_safety`)."""
    return checked_config(config_path)[1]


def load_settings(config_path: Path, root: Path | None = None) -> tuple[Settings | None, Problems]:
    """Validate the plugin section of site_config.yml; problems point at its lines."""
    doc, problems = _read(config_path, root)
    if doc is None:
        return None, problems
    problems.extend(check_engine_config(doc, config_path.parent.resolve()))
    plugins = doc.data.get("plugins")
    for index, entry in enumerate(plugins if isinstance(plugins, list) else []):
        if isinstance(entry, dict) and "panelsite" in entry:
            section = {k: v for k, v in dict(entry["panelsite"] or {}).items() if k != "edition"}
            base = ("plugins", index, "panelsite")
            wrong_format = format_problem(section.get("format", 1), (doc.display, *doc.where((*base, "format"))))
            if wrong_format is not None:
                problems.add(wrong_format)
                return None, problems
            settings, found = validate(Settings, doc, section, base=base)
            problems.extend(_with_valid_keys(found))
            if "council" not in section:
                problems.add(
                    Problem(
                        doc.display,
                        *doc.key_where(base),
                        dotted((*base, "council")),
                        "Field required: the council's name, which every page and feed uses",
                        hint="add `council: <the council's name>`, e.g. council: Northby City Council",
                    )
                )
            if settings is not None:
                settings._origin = (doc, base)
                problems.extend(_check_report_contact(settings))
            if problems.has_errors:
                return None, _in_file_order(problems)
            return settings, problems
    problems.add(Problem(doc.display, 1, 1, "plugins", "the panelsite plugin is not listed"))
    return None, _in_file_order(problems)


def _in_file_order(problems: Problems) -> Problems:
    """The configuration's problems by line and column, so the first printed is the first in the file."""
    return Problems(sorted(problems, key=lambda p: (p.file, p.line, p.column)))


def _check_report_contact(settings: Settings) -> Problems:
    """The accessibility statement's route for reporting problems must be a contact people can reach."""
    problems = Problems()
    if settings.accessibility is None:
        return problems
    loc = ("accessibility", "report_contact")
    contact = settings.contact_named(settings.accessibility.report_contact)
    if contact is None:
        names = ", ".join(repr(c.name) for c in settings.contacts) or "none are configured"
        problems.add(
            Problem(
                *settings.where(loc),
                "accessibility.report_contact",
                f"should name one of the contacts ({names})",
                repr(settings.accessibility.report_contact),
            )
        )
    elif not (contact.phone or contact.email or contact.url):
        problems.add(
            Problem(
                *settings.where(loc),
                "accessibility.report_contact",
                "this contact needs a phone number, e-mail address or web page",
                repr(contact.name),
            )
        )
    return problems


def _with_valid_keys(found: Problems) -> Problems:
    """An unknown setting's message lists the settings allowed there (the hint keeps 'did you mean')."""
    explained = Problems()
    for problem in found:
        if problem.message == "Extra inputs are not permitted":  # (a replaced setting's message names its replacement)
            parts = [int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]", problem.field) if p]
            keys = sorted(name for name in fields_at(Settings, tuple(parts[3:-1])) if name != "edition")
            problem = replace(
                problem,
                message=f"unknown setting; the settings here are {', '.join(keys)}",
                hint=close_match_hint(str(parts[-1]), keys) or problem.hint,
            )
        explained.add(problem)
    return explained


def project_paths(config_path: Path, settings: Settings) -> dict[str, Path]:
    """The project's folders, from the settings (relative to the folder holding site_config.yml)."""
    root = config_path.parent
    return {name: root / getattr(settings, name) for name in ("data_dir", "content_dir", "theme_dir", "cache_dir")}
