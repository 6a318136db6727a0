"""Values as people type them, in the spelling the index stores: the tables ingest stores them by.

`agency:PRNewswire` and `--filter agency=prnewswire` mean "PR Newswire", `country:USA` and `countries:UK`
mean "United States" and "United Kingdom". The search stage cannot read ingest's tables (the flow is one
way), so the application hands this function to every search request it makes.
"""

from __future__ import annotations

__all__ = ["stored_value"]

_COUNTRY_FIELDS = ("country", "countries")


def stored_value(field: str, text: str) -> str:
    """The spelling the index stores for `text` in `field`; `text` itself where no table knows it."""
    if field == "agency":
        from wiredesk.ingest.agency import normalise_agency

        return normalise_agency(text) or text
    if field in _COUNTRY_FIELDS:
        from wiredesk.ingest.gazetteer import country_name

        return country_name(text) or text
    return text
