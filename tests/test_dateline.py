"""Every dateline form wires print, parsed into raw text, city, country and credit."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.ingest.dateline import find_dateline, parse_byline, parse_dateline, parse_posted_line

FORMS = [
    # text opening a story, raw, city, country, credit
    ("Rome [Italy], April 16 (ANI): The talks", "Rome [Italy], April 16 (ANI):", "Rome", "Italy", "ANI"),
    ("Mumbai (Maharashtra) [India], Jan 13 (ANI): Shares", "Mumbai (Maharashtra) [India], Jan 13 (ANI):", "Mumbai", "India", "ANI"),
    ("New Delhi, Nov 24 (PTI) The government", "New Delhi, Nov 24 (PTI)", "New Delhi", None, "PTI"),
    ("NEW YORK, June 11, 2020 /PRNewswire/ -- Acme", "NEW YORK, June 11, 2020 /PRNewswire/ --", "New York", None, "PR Newswire"),
    ("PALO ALTO, Calif., April 25, 2016 /PRNewswire/ -- HP", "PALO ALTO, Calif., April 25, 2016 /PRNewswire/ --", "Palo Alto", "United States", "PR Newswire"),
    ("SAN FRANCISCO--(BUSINESS WIRE)--Acme Corp", "SAN FRANCISCO--(BUSINESS WIRE)--", "San Francisco", None, "Business Wire"),
    ("CALGARY, Alberta, Dec.  03, 2019  (GLOBE NEWSWIRE) -- Oil", "CALGARY, Alberta, Dec. 03, 2019 (GLOBE NEWSWIRE) --", "Calgary", "Canada", "GlobeNewswire"),
    ("TORONTO, 26 mai 2020 (GLOBE NEWSWIRE) -- Les", "TORONTO, 26 mai 2020 (GLOBE NEWSWIRE) --", "Toronto", None, "GlobeNewswire"),
    ("KABUL, Afghanistan        (AP) -- The", "KABUL, Afghanistan (AP) --", "Kabul", "Afghanistan", "AP"),
    ("MOSCOW (AP) — An unmanned", "MOSCOW (AP) —", "Moscow", None, "AP"),
    ("BEIRUT/THE HAGUE, March 7 (Reuters) - An", "BEIRUT/THE HAGUE, March 7 (Reuters) -", "Beirut/The Hague", None, "Reuters"),
    ("(Reuters) - Data mining firm", "(Reuters) -", None, None, "Reuters"),
    ("SEOUL, Aug. 20 (Yonhap) -- South Korea", "SEOUL, Aug. 20 (Yonhap) --", "Seoul", None, "Yonhap"),
    ("(ANSA) - ROMA, 28 LUG - Sarà", "(ANSA) - ROMA, 28 LUG -", "Rome", None, "ANSA"),
    ("Rheine (ots) - Die Feuerwehr", "Rheine (ots) -", "Rheine", None, "ots"),
    ("SAN FRANCISCO, CA--(Marketwired - April 06, 2016) - Segment", "SAN FRANCISCO, CA--(Marketwired - April 06, 2016) -", "San Francisco", "United States", "Marketwired"),
    ("MONTGOMERY, Ala. -- Alabama's law", "MONTGOMERY, Ala. --", "Montgomery", "United States", None),
    ("New Delhi: The Delhi Police", "New Delhi:", "New Delhi", None, None),
    ("【6月18日 AFP】ナイジェリア北東部", "【6月18日 AFP】", None, None, "AFP"),
    # as hurried desks typed them: the credit after the date, a desk's tag, a month mistyped or cut short,
    # no space after a comma, a comma before the dash, all in lower case
    ("BRUSSELS, March 27, Reuter - Greece and", "BRUSSELS, March 27, Reuter -", "Brussels", None, "Reuters"),
    ("RPT --LUDWIGSHAFEN, March 30 - BASF AG", "RPT --LUDWIGSHAFEN, March 30 -", "Ludwigshafen", None, None),
    ("ROSEMONT, Ill., Macrh 31 - LyphoMed Inc", "ROSEMONT, Ill., Macrh 31 -", "Rosemont", "United States", None),
    ("FORT WAYNE, IND., Marchg 12 - Qtly div", "FORT WAYNE, IND., Marchg 12 -", "Fort Wayne", "United States", None),
    ("ATLANTA, Apri 1 - Digital Communications", "ATLANTA, Apri 1 -", "Atlanta", None, None),
    ("MINNEAPOLIS, MINN.,March 13 - Shr profit", "MINNEAPOLIS, MINN.,March 13 -", "Minneapolis", "United States", None),
    ("TULSA, Okla., April 1, - Linear Films", "TULSA, Okla., April 1, -", "Tulsa", "United States", None),
    ("peoria, april 7 - barrow and gilt prices", "peoria, april 7 -", "Peoria", None, None),
    ("WINSTON-SALEM, N.C., March 3 - Shr", "WINSTON-SALEM, N.C., March 3 -", "Winston-Salem", "United States", None),
]


@pytest.mark.parametrize("text, raw, city, country, credit", FORMS)
def test_dateline_forms(text, raw, city, country, credit):
    found = parse_dateline(text)
    assert found is not None
    assert (found.raw, found.city, found.country, found.credit) == (raw, city, country, credit)


@pytest.mark.parametrize("text", [
    "The company said on Monday: nothing changes.",
    "Interactive Brokers Group (Nasdaq: IBKR), a global brokerage firm, announced today",
    "About 15,000 people took to the streets in Tokyo on Sunday",
    "Pay 1 May",  # a line of a dividend notice
    "WHEAT - 2,602,000 bushels including 1,647,000 in CHICAGO",  # a line of a table
    "Record April six Reuter",
    "",
])
def test_ordinary_sentences_are_not_datelines(text):
    assert parse_dateline(text) is None


def test_pib_posted_line_gives_city_and_date():
    found = parse_posted_line("Ministry of Power Posted On: 09 AUG 2026 12:45PM by PIB Delhi In a major step")
    assert (found.raw, found.city, found.credit, found.date_text) == (
        "Posted On: 09 AUG 2026 12:45PM by PIB Delhi", "Delhi", "PIB", "09 AUG 2026 12:45PM")


def test_city_keeps_the_name_printed_beside_its_english_one():
    found = parse_dateline("PEKING, March 3 - China said")
    assert (found.city, found.printed) == ("Beijing", "Peking")
    assert parse_dateline("ST. PAUL, Minn., March 3 - Shr").printed == "St. Paul"


def test_byline_with_wire_and_city():
    found = parse_byline("PTI, Washington")
    assert (found.city, found.credit) == ("Washington", "PTI")
    assert parse_byline("Jane Doe, Staff Writer") is None


def test_dateline_after_summary_bullets_and_at_story_end():
    index, found = find_dateline(["- Bullet one", "Acme", "NEW YORK, June 11, 2020 /PRNewswire/ -- Acme said"])
    assert index == 2 and found.city == "New York"
    index, found = find_dateline(["About 15,000 people marched.", "It was peaceful. MOSCOW, April 10 (RIA Novosti)"])
    assert index == 1 and (found.city, found.credit) == ("Moscow", "RIA Novosti")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_raises_and_raw_comes_from_the_text(text):
    found = parse_dateline(text)
    if found is not None:
        assert found.raw.split()[0] in text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["NEW YORK", "Rome", "SEOUL", "Mumbai"]), st.integers(1, 28),
       st.sampled_from(["Jan", "March", "Aug.", "Dec."]), st.sampled_from(["ANI", "PTI", "Reuters", "AP", "Yonhap"]))
def test_generated_wire_datelines_parse(city, day, month, credit):
    found = parse_dateline(f"{city}, {month} {day} ({credit}) - Officials said")
    assert found is not None and found.credit == credit and found.date_text == f"{month} {day}"
    assert found.city.lower() == city.lower()
