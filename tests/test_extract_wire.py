"""extract() on the real wire pages in ../shared/fixtures/wire against their hand-checked truth.json.

Each field must stay at or above the accuracy it has reached (a regression guard the user would notice as
wrong titles, dates, datelines or credits in search results). Skipped when ../shared is absent.
"""

import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from wiredesk.ingest.extract import extract
from wiredesk.ingest.page import RawPage
from wiredesk.core.errors import Skip

WIRE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "wire"

# field -> least share of the truth's pages (HTML and XML items) that must come out right
FLOORS = {"title": 1.0, "published": 1.0, "city": 1.0, "country": 1.0, "agency": 1.0, "body_start": 1.0, "body_end": 1.0}


def fold(text):
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").casefold()))


def same_time(got, want):
    if got is None:
        return False
    if len(want) == 10:
        day = datetime.fromisoformat(want).replace(tzinfo=timezone.utc)
        return day - timedelta(hours=14) <= got < day + timedelta(hours=36)
    wanted = datetime.fromisoformat(want.replace("Z", "+00:00"))
    wanted = wanted if wanted.tzinfo else wanted.replace(tzinfo=timezone.utc)
    return abs(got - wanted) <= timedelta(days=1)


@pytest.fixture(scope="module")
def results():
    if not WIRE.is_dir():
        pytest.skip("../shared/fixtures/wire is not beside the checkout")
    truth = json.loads((WIRE / "truth.json").read_text(encoding="utf-8"))
    out = {}
    for name, want in truth.items():
        if (WIRE / name).exists():
            out[name] = (extract(RawPage(url=f"https://example.org/{name}", body=(WIRE / name).read_bytes())), want)
    return out


def checks(release, want):
    body = fold(release.body)
    yield "title", fold(release.title) == fold(want["title"])
    if want.get("published"):
        yield "published", same_time(release.published, want["published"])
    if want.get("dateline_city"):
        yield "city", fold(release.dateline.city) == fold(want["dateline_city"])
    if want.get("dateline_country"):
        yield "country", fold(release.dateline.country) == fold(want["dateline_country"])
    if want.get("agency"):
        got = fold(release.agency).replace(" ", "")
        yield "agency", bool(got) and (got in fold(want["agency"]).replace(" ", "") or fold(want["agency"]).replace(" ", "") in got)
    if want.get("body_first_words"):
        yield "body_start", fold(want["body_first_words"]) in body
    if want.get("body_last_words"):
        yield "body_end", fold(want["body_last_words"]) in body


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_accuracy_on_real_wire_pages(results, field):
    outcomes = {name: ok for name, (release, want) in results.items() for f, ok in checks(release, want) if f == field}
    share = sum(outcomes.values()) / len(outcomes)
    assert share >= FLOORS[field], f"{field}: {share:.2f}, misses: {[n for n, ok in outcomes.items() if not ok]}"


def test_known_datelines(results):
    by_name = {name: release.dateline for name, (release, _) in results.items()}
    assert by_name["prnewswire_ideanomics_2020.html"].raw == "NEW YORK, June 11, 2020 /PRNewswire/ --"
    assert by_name["globenewswire_segment_marketwired_2016.html"].country == "United States"
    assert by_name["pib_vice_president_2296750.html"].city == "Delhi"
    assert by_name["reuters_hague_2024.html"].city == "Beirut/The Hague"
    assert by_name["businesswire_ibkr_newsml_2021.xml"].raw == "GREENWICH, Conn."
    assert by_name["ria_novosti_japan_rally.html"].raw == "MOSCOW, April 10 (RIA Novosti)"


@pytest.mark.parametrize("name", ["pib_allrel_listing.html", "pib_allrel_listing_empty.html", "ap_apnews_climate_section.html",
                                  "feed_uol_noticias_noxmldecl.rss.xml", "sitemap_news_shinpaideshou_2017.xml"])
def test_listings_feeds_and_sitemaps_are_skipped(name):
    if not WIRE.is_dir():
        pytest.skip("../shared/fixtures/wire is not beside the checkout")
    with pytest.raises(Skip, match="no article"):
        extract(RawPage(url=f"https://example.org/{name}", body=(WIRE / name).read_bytes()))


def test_every_page_and_listing_gives_release_or_skip():
    if not WIRE.is_dir():
        pytest.skip("../shared/fixtures/wire is not beside the checkout")
    for path in sorted(WIRE.iterdir()):
        if path.suffix in (".html", ".xml", ".json"):
            try:
                extract(RawPage(url=f"https://example.org/{path.name}", body=path.read_bytes()))
            except Skip:
                pass
