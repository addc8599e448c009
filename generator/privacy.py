"""Rules for free text, enforced by the generator: no phone numbers or e-mail addresses except the
public contacts configured in site_config.yml, and no HTML (text is shown exactly as written)."""

from __future__ import annotations

import re

from .dataset import Dataset, _walk, problem_at
from .errors import Problems
from .settings import Settings

HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w£.])(?:\+44\s?\(?0?\)?\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w.])")


def _normalise(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if digits.startswith("44") else digits


def find_contact_details(text: str, allowed_phones: set[str], allowed_emails: set[str]) -> list[str]:
    """Phone numbers and e-mail addresses in `text` that are not allowed public contacts."""
    found = [m.group(0) for m in EMAIL.finditer(text) if m.group(0).lower() not in allowed_emails]
    found += [m.group(0) for m in PHONE.finditer(text) if _normalise(m.group(0)) not in allowed_phones]
    return found


def check_free_text(dataset: Dataset, settings: Settings) -> Problems:
    """An error for every phone number or e-mail address in the data that is not a public contact."""
    problems = Problems()
    phones = {_normalise(c.phone) for c in settings.contacts if c.phone}
    emails = {c.email.lower() for c in settings.contacts if c.email}
    for doc in dataset.documents.values():
        for loc, value in _walk(doc.data):
            if isinstance(value, str):
                tag = HTML_TAG.search(value)
                if tag:
                    problems.add(problem_at(doc, loc, "HTML is not allowed in text; write plain text",
                                            repr(tag.group(0)), "text fields are shown exactly as written"))
                for found in find_contact_details(value, phones, emails):
                    problems.add(problem_at(
                        doc, loc, "phone numbers and e-mail addresses are not allowed in text "
                        "(only the public contacts in site_config.yml)", repr(found),
                        "name the team or role instead, e.g. 'your personal adviser'"))
    return problems
