"""Plain-text snippets around the matched words, with the offsets of those words for highlighting.

Page text can carry terminal control characters (an ESC in a scraped page could recolour or clear a user's
terminal), so they are removed before anything is cut or measured.
"""

from __future__ import annotations

import re

from wiredesk.index.analysis import spans

__all__ = ["SNIPPET_CHARS", "clean_text", "snippet"]

SNIPPET_CHARS = 220
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Text without control characters (C0, C1, bidi overrides), its whitespace runs made single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def snippet(text: str, terms: set[str], *, size: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The window of `text` holding the most distinct query terms, and (start, end) of each match in it."""
    text = clean_text(text)
    hits = list(spans(text, terms))
    if len(text) <= size:
        begin, finish = 0, len(text)
    else:
        begin = 0
        best = -1
        for i, (_, start, _) in enumerate(hits):
            seen, j = set(), i
            while j < len(hits) and hits[j][1] < start + size:
                seen.add(hits[j][0])
                j += 1
            if len(seen) > best:
                best, begin = len(seen), start
        # start a little before the first match, at a word boundary, to give it context
        if begin:
            begin = max(0, begin - size // 5)
            space = text.find(" ", begin)
            begin = space + 1 if 0 <= space < begin + 20 else begin
        finish = min(len(text), begin + size)
        if finish < len(text):
            space = text.rfind(" ", begin, finish)
            finish = space if space > begin else finish
    prefix = "…" if begin > 0 else ""
    suffix = "…" if finish < len(text) else ""
    shift = len(prefix) - begin
    marks = tuple((start + shift, end + shift) for _, start, end in hits if start >= begin and end <= finish)
    return prefix + text[begin:finish] + suffix, marks
