"""Rules for free text, enforced by the generator: no phone numbers or e-mail addresses except the
public contacts configured in site_config.yml, no HTML (text is shown exactly as written), and no
person's name where a quote's `role` belongs.

Every pattern here runs in linear time, so a 5 MB value is checked in well under a second: phone
numbers are found from a bounded run of digits and separators starting at `0`, `(0` or `+44`;
e-mail addresses by looking a bounded distance either side of each `@`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from .check_memo import CheckMemo, per_document
from .dataset import Dataset, problem_at, walk
from .errors import Problem, Problems
from .settings import Settings
from .yamlio import Document

HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
_PHONE_RUN = re.compile(r"(?:\+[ \t]?44|\([ \t]?0\d\d|0\d\d)[\d \t().-]{6,18}")
_NOT_BEFORE_PHONE = set("+-.,/£_") | set("0123456789")
_DIGITS = re.compile(r"\d+")
_DIGIT_RUN = re.compile(r"\d*")
_AT_DOMAIN = re.compile(r"@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_LOCAL_REVERSED = re.compile(r"[\w.+-]{1,64}")
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?) ([A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?)\b")
BUILT_IN_ROLES = ("Young Inspector", "Young Commissioner", "Children's Champion", "Care Leaver", "Foster Carer")
"""Capitalised roles that are not names; a council adds its own under `roles:` in site_config.yml."""


def _normalise(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("44"):
        digits = digits[2:]
        return digits if digits.startswith("0") else "0" + digits
    return digits


def _phones(text: str) -> list[str]:
    """UK phone numbers as written: 01709 382121, (01709) 382121, 07700.900.123, +44 (0)1709 382121."""
    found = []
    position = 0
    while (run := _PHONE_RUN.search(text, position)) is not None:
        before = text[run.start() - 1] if run.start() else " "
        if before.isalpha() or before in _NOT_BEFORE_PHONE:
            digits_run = _DIGIT_RUN.match(text, run.start())
            assert digits_run is not None  # `\d*` matches at every position, if only the empty string
            position = max(run.start() + 1, digits_run.end())
            continue
        position = run.end()
        candidate = run.group(0)
        best = None
        digits = ""
        for group in _DIGITS.finditer(candidate):
            digits += group.group(0)
            national = ("0" + digits[2:].removeprefix("0")) if digits.startswith("44") else digits
            if len(national) in (10, 11) and national.startswith("0"):
                best = candidate[: group.end()]
            elif len(national) > 11:
                break
        if best:
            found.append(best.strip())
    return found


def _emails(text: str) -> list[str]:
    """Each `@domain.tld`, with the local part read backwards from the `@` (at most 64 characters)."""
    found = []
    for match in _AT_DOMAIN.finditer(text):
        at = match.start()
        local = _LOCAL_REVERSED.match(text[at - 1 : max(at - 66, 0) or None : -1]) if at else None
        if local:
            found.append(local.group(0)[::-1] + match.group(0))
    return found


def find_contact_details(text: str, allowed_phones: set[str], allowed_emails: set[str]) -> list[str]:
    """Phone numbers and e-mail addresses in `text` that are not allowed public contacts."""
    found = [email for email in _emails(text) if email.lower() not in allowed_emails]
    found += [phone for phone in _phones(text) if _normalise(phone) not in allowed_phones]
    return found


def allowed_contacts(settings: Settings) -> tuple[set[str], set[str]]:
    """The public phone numbers (digits only) and e-mail addresses (lower case) from site_config.yml."""
    phones = {_normalise(c.phone) for c in settings.contacts if c.phone}
    emails = {c.email.lower() for c in settings.contacts if c.email}
    return phones, emails


def name_in_role(role: str, known: set[str]) -> str | None:
    """Two capitalised words in a row that are not a known role or glossary term: maybe a name."""
    for match in _CAPITALISED_PAIR.finditer(role):
        pair = match.group(0).lower()
        if not any(pair in phrase and _is_whole(phrase, pair) for phrase in known):
            return match.group(0)
    return None


def _is_whole(phrase: str, pair: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(pair)}(?!\w)", phrase) is not None


def _known_phrases(dataset: Dataset, settings: Settings) -> set[str]:
    phrases = {role.lower() for role in (*BUILT_IN_ROLES, *settings.roles)}
    for term in dataset.glossary.terms if dataset.glossary else []:
        phrases |= {text.lower() for text in (term.term, term.expansion or "", *term.aliases) if text}
    phrases.add(settings.council.lower())
    phrases.add(settings.panel.lower())
    for group in (settings.children_council, settings.care_leavers_forum):
        if group is not None:
            phrases |= {group.name.lower(), group.short_name.lower()}
    return phrases


def check_free_text(dataset: Dataset, settings: Settings, memo: CheckMemo | None = None) -> Problems:
    """An error for every phone number or e-mail address in the data that is not a public contact (each
    unchanged data file's from `memo` when given: `serve`)."""
    problems = Problems()
    phones, emails = allowed_contacts(settings)
    known = _known_phrases(dataset, settings)
    short_name = settings.children_council.short_name
    inputs = (phones, emails, known, short_name)
    for doc in dataset.documents.values():
        work = partial(_free_text_problems, doc, phones, emails, known, short_name)
        problems.extend(list(per_document(memo, "free text", doc, inputs, work)))
    return problems


def _free_text_problems(
    doc: Document, phones: set[str], emails: set[str], known: set[str], short_name: str
) -> Iterator[Problem]:
    for loc, value in walk(doc.data):
        if not isinstance(value, str):
            continue
        tag = HTML_TAG.search(value)
        if tag:
            yield problem_at(
                doc,
                loc,
                "HTML is not allowed in text; write plain text",
                repr(tag.group(0)),
                "text fields are shown exactly as written",
            )
        for found in find_contact_details(value, phones, emails):
            yield problem_at(
                doc,
                loc,
                "phone numbers and e-mail addresses are not allowed in text "
                "(only the public contacts in site_config.yml)",
                repr(found),
                "name the team or role instead, e.g. 'your personal adviser'",
            )
        if len(loc) >= 3 and loc[-1] == "role" and loc[-3] == "quotes":
            name = name_in_role(value, known)
            if name:
                yield problem_at(
                    doc,
                    loc,
                    "looks like a person's name; young people are never named",
                    repr(name),
                    f"give the role only, e.g. '{short_name} member'; if it is a "
                    "role, add it to `roles:` in site_config.yml",
                )
