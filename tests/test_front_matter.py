"""Front matter: the fast writer gives the YAML serializer's bytes, and every title survives a YAML reader."""

import random

import yaml

from generator.rendering import front_matter

HOSTILE = [
    "Yes",
    "no",
    "ON",
    "off",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "1.5",
    "0x1F",
    "1e3",
    "2024-06-31",
    "12:30",
    "Title: with colon",
    "a # not a comment",
    "#hash",
    "- dash",
    "? query",
    "'quoted'",
    '"double"',
    "trailing ",
    " leading",
    "two  spaces",
    "a,b",
    "[list]",
    "{map}",
    "&anchor",
    "*alias",
    "!tag",
    "%dir",
    "@at",
    "`tick`",
    "|pipe",
    ">fold",
    "multi\nline",
    "tab\there",
    "café",
    "—dash",
    "a: b",
    "x #y",
    "-",
    "",
    ".inf",
    ".nan",
    "<none>",
    "it's",
    "Children's views (2023)",
    "A/B & C; D+E",
    "=",
    "y",
    "n",
    "---",
    "...",
    "a\\b",
    "\u2028sep",
    "NaN",
    "Off-rolled",
]


def safe_dump_front_matter(meta):
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6)
    return f"---\n{text}---\n\n"


def read_back(text):
    assert text.startswith("---\n") and text.endswith("---\n\n")
    return yaml.safe_load(text[4:-5])


def test_hostile_titles_are_written_as_the_serializer_writes_them_and_read_back_unchanged():
    for title in HOSTILE:
        meta = {"title": title, "description": f"About {title}"}
        assert front_matter(meta) == safe_dump_front_matter(meta), title
        assert read_back(front_matter(meta)) == meta, title


def test_random_titles_give_the_serializers_bytes():
    rng = random.Random(13)
    alphabet = "abcXYZ019 ,.;'()&/+-:#\"!?*[]{}|>%@`~=\\\té—"
    for _ in range(4000):
        title = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.5:
            title = rng.choice("AbZy") + title
        meta = {"title": title}
        assert front_matter(meta) == safe_dump_front_matter(meta), repr(title)
        assert read_back(front_matter(meta)) == meta, repr(title)


def test_other_values_go_through_the_serializer():
    for meta in ({}, {"title": "A", "order": 3}, {"title": "A", "tags": ["x"]}, {"title": None}):
        assert front_matter(meta) == safe_dump_front_matter(meta)
