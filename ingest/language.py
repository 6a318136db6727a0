"""A page's language as an ISO 639-1 code: what the page declares, else what its text looks like.

Detection uses py3langid, whose model ships inside the wheel.
"""

from __future__ import annotations

import re
from functools import lru_cache

import py3langid
import pycountry

__all__ = ["language_code", "detect_language"]


def language_code(declared: str) -> str:
    """`en-US`, `en_GB`, `fr`, `eng` or `English` as a two-letter code; "" when it names no language."""
    text = declared.strip()
    if not text:
        return ""
    head = re.split(r"[-_,;\s]", text, maxsplit=1)[0].lower()
    if len(head) == 2 and pycountry.languages.get(alpha_2=head):
        return head
    found = pycountry.languages.get(alpha_3=head) if len(head) == 3 else None
    if found is None:
        try:
            found = pycountry.languages.lookup(text)
        except LookupError:
            return ""
    return getattr(found, "alpha_2", "") or ""


@lru_cache(maxsize=1)
def _identifier() -> py3langid.langid.LanguageIdentifier:
    return py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """The language `text` is written in, or "" when there is too little text to tell."""
    sample = text[:3000]
    if len(re.findall(r"\w", sample)) < 20:
        return ""
    code, probability = _identifier().classify(sample)
    return code if probability >= 0.5 else ""
