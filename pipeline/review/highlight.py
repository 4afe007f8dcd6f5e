"""Server-side highlighting of a document's text: every character is escaped here, spans become ``<mark>`` tags.

``highlight("Ông Lê Văn Thành <b>", [Highlight(4, 16, "person", "m7")])`` →
``Markup('Ông <mark id="m7" class="hl hl-person" data-item="m7">Lê Văn Thành</mark> &lt;b&gt;')``.
Document text is untrusted: it never reaches the page except through ``markupsafe.escape``. Spans that cross
another span's end are cut at that end, so tags always nest (the side list still shows the whole span).
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

KIND_CLASSES = frozenset(("reference", "date", "amount", "unit", "person", "finding"))


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    kind: str                 # a mention kind or "finding"
    item_id: str              # DOM id: "m<mention id>" or "f<finding id>"
    status: str | None = None


def highlight(text: str, spans: list[Highlight]) -> Markup:
    """The escaped text with nested ``<mark>`` elements; see the module docstring for an example."""
    length = len(text)
    ordered = sorted((s for s in spans if 0 <= s.start < s.end <= length and s.kind in KIND_CLASSES),
                     key=lambda s: (s.start, -s.end, s.kind != "finding"))
    parts: list[str] = []
    open_ends: list[int] = []
    cursor = 0

    def close_until(position: int) -> None:
        nonlocal cursor
        while open_ends and open_ends[-1] <= position:
            end = open_ends.pop()
            parts.append(str(escape(text[cursor:end])))
            parts.append("</mark>")
            cursor = end

    for span in ordered:
        close_until(span.start)
        end = min(span.end, open_ends[-1]) if open_ends else span.end
        if end <= span.start:
            continue
        parts.append(str(escape(text[cursor:span.start])))
        cursor = span.start
        status = f" st-{span.status}" if span.status else ""
        item = escape(span.item_id)
        parts.append(f'<mark id="{item}" class="hl hl-{span.kind}{status}" data-item="{item}">')
        open_ends.append(end)
    close_until(length)
    parts.append(str(escape(text[cursor:])))
    return Markup("".join(parts))
