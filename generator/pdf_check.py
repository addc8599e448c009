"""A structural check of a tagged PDF, for what no PDF/UA validator installable here checks for us.

Checked: the structure tree exists and every piece of page text is inside tagged content (or
marked as an artifact, such as page numbers); headings never skip a level going down; every
figure has alt text; every table has header cells; the title is set and shown; the language is
set; the PDF says it is PDF/UA; and the reading order of the headings in the tree is their order on
the pages. `problems(path)` lists what fails, in words; an empty list passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]


def _elements(element: Any) -> Iterator[Any]:
    """Every structure element under `element`, in document order (depth first)."""
    import pikepdf

    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _text_of(element: Any, page_texts: dict[tuple[int, int], str], pages: dict[Any, int]) -> str:
    """The text of an element's marked content, read from the page content it points to."""
    import pikepdf

    parts = []
    page_ref = element.get("/Pg")
    for kid in _kids(element):
        if isinstance(kid, int) and page_ref is not None:
            parts.append(page_texts.get((pages.get(page_ref.objgen, -1), int(kid)), ""))
        elif isinstance(kid, pikepdf.Dictionary):
            if "/S" in kid:
                parts.append(_text_of(kid, page_texts, pages))
            elif "/MCID" in kid:
                page = kid.get("/Pg", page_ref)
                number = pages.get(page.objgen, -1) if page is not None else -1
                parts.append(page_texts.get((number, int(kid.MCID)), ""))
    return " ".join(p for p in parts if p).strip()


PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}


def _scan_pages(pdf: Any) -> tuple[dict[tuple[int, int], str], int, dict[tuple[int, int], int]]:
    """Per page: the text inside each marked-content id, how much text or painting was not tagged,
    and where each marked-content id first appears in the page's content (its drawing order)."""
    import pikepdf

    texts: dict[tuple[int, int], str] = {}
    untagged = 0
    order: dict[tuple[int, int], int] = {}
    for number, page in enumerate(pdf.pages):
        stack: list[int | str | None] = []
        for instruction in pikepdf.parse_content_stream(page):
            operands, operator = list(instruction.operands), instruction.operator
            name = str(operator)
            if name == "BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = None
                if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                    mcid = int(properties.MCID)
                stack.append("artifact" if str(operands[0]) == "/Artifact" else mcid)
                if mcid is not None:
                    order.setdefault((number, mcid), len(order))
            elif name == "BMC":
                stack.append("artifact" if str(operands[0]) == "/Artifact" else None)
            elif name == "EMC" and stack:
                stack.pop()
            elif name in TEXT_OPERATORS or name in PAINTING:
                inside = next((item for item in reversed(stack) if item is not None), None)
                if inside is None:
                    untagged += 1
                elif isinstance(inside, int) and name in TEXT_OPERATORS:
                    texts[(number, inside)] = texts.get((number, inside), "") + _shown(operands)
    return texts, untagged, order


def _shown(operands: list[Any]) -> str:
    import pikepdf

    out = []
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            out.append(bytes(operand).decode("latin-1", "replace"))
        elif isinstance(operand, pikepdf.Array):
            out.append(_shown(list(operand)))
    return "".join(out)


def _first_mark(element: Any, pages: dict[Any, int]) -> tuple[int, int] | None:
    """The (page, marked-content id) where an element's content starts."""
    import pikepdf

    page_ref = element.get("/Pg")
    for kid in _kids(element):
        if isinstance(kid, int) and page_ref is not None:
            return pages.get(page_ref.objgen, -1), int(kid)
        if isinstance(kid, pikepdf.Dictionary):
            if "/MCID" in kid:
                page = kid.get("/Pg", page_ref)
                return (pages.get(page.objgen, -1) if page is not None else -1), int(kid.MCID)
            if "/S" in kid:
                found = _first_mark(kid, pages)
                if found:
                    return found
    return None


def problems(path: Path) -> list[str]:
    """What fails in the tagged PDF at `path` (empty when it passes)."""
    import pikepdf

    found: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return ["no structure tree: the PDF is not tagged"]
        mark_info: Any = root.get("/MarkInfo", pikepdf.Dictionary())
        if not bool(mark_info.get("/Marked", False)):
            found.append("MarkInfo Marked is not true")
        if not str(root.get("/Lang", "")).strip():
            found.append("no document language (/Lang)")
        title = str(pdf.docinfo.get("/Title", "")).strip()
        if not title:
            found.append("no document title")
        preferences: Any = root.get("/ViewerPreferences", pikepdf.Dictionary())
        if not bool(preferences.get("/DisplayDocTitle", False)):
            found.append("DisplayDocTitle is not set: readers would show the file name")
        with pdf.open_metadata() as meta:
            if str(meta.get("pdfuaid:part", "")) != "1":
                found.append("no PDF/UA identification (pdfuaid:part) in the metadata")
        outlines: Any = root.get("/Outlines", pikepdf.Dictionary())
        if "/First" not in outlines:
            found.append("no bookmarks (document outline)")
        page_texts, untagged, drawn = _scan_pages(pdf)
        if untagged:
            found.append(f"{untagged} pieces of text or drawing are outside tagged content and not marked as artifacts")
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        elements = list(_elements(tree))
        headings: list[tuple[int, str]] = []
        heading_elements: list[tuple[Any, str]] = []
        for element in elements:
            kind = str(element.S)[1:]
            if kind == "Figure" and not str(element.get("/Alt", "")).strip():
                found.append("a figure has no alt text")
            level = re.fullmatch(r"H([1-6])", kind)
            if level:
                text = _text_of(element, page_texts, pages)
                headings.append((int(level.group(1)), text))
                heading_elements.append((element, text))
        for kind in ("Table",):
            for table in (e for e in elements if str(e.S) == f"/{kind}"):
                if not any(str(cell.S) == "/TH" for cell in _elements(table)):
                    found.append("a table has no header cells")
        if not headings:
            found.append("no headings in the structure tree")
        for (before, _), (after, text) in zip(headings, headings[1:], strict=False):
            if after > before + 1:
                found.append(f"heading level skips from H{before} to H{after} at {text[:50]!r}")
        positions = [(_first_mark(h, pages), text) for h, text in heading_elements]
        placed = [(p, text) for p, text in positions if p is not None]
        for (above, _), (below, text) in zip(placed, placed[1:], strict=False):
            if drawn.get(below, -1) < drawn.get(above, -1):
                found.append(f"reading order: the heading {text[:50]!r} comes before the one above it on the page")
                break
    return found
