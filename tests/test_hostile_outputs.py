"""Hostile input against what panelsite publishes and what it keeps between builds (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.render_memo import RenderMemo


@dataclass
class _Page:
    path: str = "events/party.md"
    template: str = "event.md.j2"
    title: str = "Party"

    def own_inputs(self) -> tuple[object, ...]:
        return ("record",)


def test_a_kept_page_changed_in_place_is_rendered_again_not_served():
    memo, page = RenderMemo(), _Page()
    memo.begin(("shared",))
    assets = {"events/party.csv": b"a,b\n"}
    memo.put(page, "# Party\n", assets, ())
    memo.end()
    assets["events/party.csv"] = b"=HYPERLINK(1)\n"  # the caller's dict edited after it was kept
    memo.begin(("shared",))
    kept = memo.get(page)
    assert kept is not None and kept.assets == {"events/party.csv": b"a,b\n"}
    kept.assets["events/party.csv"] = b"changed by a later step"
    memo.end()
    memo.begin(("shared",))
    again = memo.get(page)
    assert again is not None and again.assets == {"events/party.csv": b"a,b\n"}
    object.__setattr__(memo._next[page.path], "text", "<script>")  # the kept entry itself tampered with
    memo.end()
    memo.begin(("shared",))
    assert memo.get(page) is None
