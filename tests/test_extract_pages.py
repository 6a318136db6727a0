"""extract() on small pages of our own: every field a user sees, and no traceback on hostile input."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from wiredesk.ingest.clean import _drop_link_lists, clean
from wiredesk.ingest.markup import parse_html
from wiredesk.ingest.extract import extract
from wiredesk.ingest.page import RawPage
from wiredesk.core.config import ExtractRules, SourceConfig
from wiredesk.core.errors import Skip
from wiredesk.core.release import Hints, Release

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(body: bytes, **kwargs) -> RawPage:
    return RawPage(url="https://news.example.in/a", body=body, **kwargs)


def test_wire_page_fields():
    release = extract(page((PAGES / "ani_style.html").read_bytes(), source="ani"))
    assert release.title == "Defence makers meet in Pune to plan drone exports"
    assert release.body.startswith("Pune (Maharashtra) [India], March 14 (ANI): Members of the Society")
    assert release.body.endswith("next month. (ANI)")
    for chrome in ("cookies", "Share on", "Also read", "newsletter", "All rights reserved", "Home"):
        assert chrome not in release.body
    assert release.dateline.to_dict() == {"raw": "Pune (Maharashtra) [India], March 14 (ANI):", "city": "Pune", "country": "India"}
    assert release.agency == "ANI"
    assert release.published == datetime(2025, 3, 14, 4, 0, tzinfo=timezone.utc)
    assert release.url == "https://news.example.in/defence/drone-exports-pune"
    assert release.language == "en" and release.authors == ("Asha Rao",)
    assert set(release.categories) == {"drones", "exports", "Defence"}
    assert release.acronyms == {"SIDM": "Society of Indian Defence Manufacturers"}
    assert "Rajnath Singh" in release.people and "Ministry of Defence" in release.organizations
    assert {"Pune", "India"} <= set(release.places)
    assert release.lead.startswith("Members of the Society") and release.source == "ani"


def test_hints_fill_what_the_page_lacks():
    paragraphs = "".join(f"<p>The board approved part {n} of the plan after a long debate on costs and timing.</p>" for n in range(6))
    html = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    when = datetime(2025, 4, 16, 5, 30, tzinfo=timezone.utc)
    release = extract(page(html, hints=Hints(title="Board approves plan", published=when, categories=("Energy",))),
                      source=SourceConfig(name="s", kind="feed", url="https://x.example", agency="PR Newswire"))
    assert (release.title, release.published, release.categories, release.agency) == (
        "Board approves plan", when, ("Energy",), "PR Newswire")


def test_css_rules_win():
    html = b"""<html><head><title>Wrong | Site</title></head><body><h2 class="hl">Right headline</h2>
    <div class="txt"><p>Only this text is the release body and it has enough words to count as one.</p>
    <p class="ad">Buy now</p><p>A second paragraph of the release follows here with more words in it.</p></div>
    <div class="other"><p>Not part of the release at all, a sidebar with plenty of words to tempt.</p></div></body></html>"""
    rules = ExtractRules(title=".hl", body=".txt", remove=(".ad",))
    cleaned = clean(html.decode(), rules=rules)
    assert cleaned.title == "Right headline"
    assert cleaned.paragraphs == (
        "Only this text is the release body and it has enough words to count as one.",
        "A second paragraph of the release follows here with more words in it.")


@pytest.mark.parametrize("body", [
    b"", b"   ", b"<html>", b"<<<>>>&&&", b"\x89PNG\r\n\x1a\n" + bytes(100), b"%PDF-1.4",
    b"<html><body><p>Too short.</p></body></html>", b"<?xml version='1.0' encoding='utf-8'?><root/>",
    b"<html><body>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</body></html>",
    bytes(range(256)) * 40,
])
def test_hostile_input_gives_release_or_skip(body):
    try:
        assert isinstance(extract(page(body)), Release)
    except Skip as skip:
        assert skip.reason


def test_enormous_page_is_handled():
    paragraphs = "".join(f"<p>Officials said plant {n} would add capacity to the grid in region {n}. " * 3 + "</p>" for n in range(4000))
    body = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    release = extract(page(body))
    assert release.word_count > 10_000


PROSE = "".join(f"<p>The ministry said part {n} of the programme had been completed on time and within its budget this year.</p>" for n in range(5))


def test_header_lines_language_bar_and_disclaimer_are_cut():
    html = f"""<html><head><title>Ministry approves plan</title></head><body><article>
    <h2>Ministry of Finance</h2><h1>Ministry approves plan</h1>{PROSE}
    <p>(The rest of the content is auto-generated from a syndicated feed.)</p>
    <div class="read-in">Read this release in: <a href="#">Hindi</a></div></article></body></html>"""
    cleaned = clean(html)
    assert cleaned.paragraphs[0].startswith("The ministry said part 0")
    assert all("syndicated" not in p and p != "Hindi" for p in cleaned.paragraphs)


def test_link_boxes_and_their_headings_are_cut_but_the_story_lists_stay():
    related = "".join(f'<li><a href="/news/{n}.html">Minister opens rail line {n} in the east</a></li>' for n in range(5))
    steps = "".join(f'<li>Step {n}: the board reviews the costs of phase {n} with the <a href="/r">regulator</a> first.</li>'
                    for n in range(3))
    html = f"""<html><head><title>Ministry approves plan</title></head><body><article><h1>Ministry approves plan</h1>
    {PROSE}<ul>{steps}</ul></article><div><h3>More from the desk</h3><ul>{related}</ul></div></body></html>"""
    assert not any("rail line" in p or p == "More from the desk" for p in clean(html).paragraphs)
    # cut before the generic extractor runs: only the box of links goes, the list of steps stays
    tree = parse_html(html)
    _drop_link_lists(tree)
    assert "Step 2" in tree.text_content() and "rail line" not in tree.text_content()


def test_dropped_dateline_paragraph_is_recovered():
    # the generic extractor may drop an opening paragraph that the page repeats as its summary
    lead = "MEXICO CITY (AP) — Mexico's economy grew by 1.1% in the first quarter, the statistics institute said."
    html = f"""<html><head><title>Economy grows</title><meta name="description" content="{lead}"></head><body>
    <div class="story"><p>{lead}</p>{PROSE}</div></body></html>"""
    release = extract(page(html.encode()))
    assert release.dateline.city == "Mexico City" and release.agency == "AP"
    assert release.body.startswith("MEXICO CITY (AP)")


def test_listing_page_is_skipped():
    teasers = "".join(f'<li><a href="/news/{n}.html">Minister opens new rail line number {n} in the east</a></li>' for n in range(30))
    html = f"<html><head><title>All releases</title></head><body><ul>{teasers}</ul><p>Displaying 30 releases</p></body></html>"
    with pytest.raises(Skip, match="listing page"):
        extract(page(html.encode()))


def test_a_short_article_among_many_headline_links_is_not_a_listing():
    menu = "".join(f'<li><a href="/news/{n}.html">Minister opens new rail line number {n} in the east</a></li>' for n in range(14))
    story = ("<p>The port authority said on Monday that it had approved a second container terminal after two "
             "years of talks with shipping lines and the city council.</p><p>Work on the quay starts in May.</p>")
    html = f"<html><head><title>Port expands</title></head><body><nav><ul>{menu}</ul></nav><h1>Port expands</h1>{story}</body></html>"
    datelined = html.replace("<p>The port", "<p>ROTTERDAM, March 3 (Reuters) - The port")
    assert extract(page(datelined.encode())).dateline.city == "Rotterdam"
    dated = html.replace("<title>", '<meta name="pub_date" content="2025-03-03"><title>')
    release = extract(page(dated.encode()))
    assert release.body.startswith("The port authority said") and release.body.endswith("starts in May.")


def test_a_story_signed_off_by_its_wire_among_many_headline_links_is_not_a_listing():
    # no metadata, no dateline, no sentence of prose: a grain table that closes with the wire's sign-off
    menu = "".join(f'<li><a href="/news/{n}.html">Minister opens new rail line number {n} in the east</a></li>' for n in range(14))
    table = ["WHEAT - 2,602,000 bushels including 1,647,000 in CHICAGO and 955,000 in MINNEAPOLIS",
             "CORN - 871,000 bushels including zero in CHICAGO and 871,000 in MINNEAPOLIS Reuter"]
    story = "".join(f"<div class='row'>{row}</div>" for row in table)
    html = f"<html><head><title>Grain stocks</title></head><body><h1>Grain stocks</h1>{story}<ul>{menu}</ul></body></html>"
    release = extract(page(html.encode()))
    assert release.body.startswith("WHEAT - 2,602,000") and release.agency == "Reuters"
    reported = html.replace("</div><ul>", "</div><p>(Reporting by Jane Doe)</p><ul>")
    assert extract(page(reported.encode())).body.endswith("Reuter\n\n(Reporting by Jane Doe)")
    unsigned = html.replace(" Reuter<", "<")
    with pytest.raises(Skip, match="listing page"):
        extract(page(unsigned.encode()))


def test_a_date_line_with_the_wires_name_above_the_story_is_not_the_story():
    story = "<p>Qtly div 10 cts vs 10 cts prior</p><p>Payable April 15, 1987</p><p>Record April 1</p>"
    html = (f"<html><head><title>Pall Corp Sets Dividend</title></head><body><h1>Pall Corp Sets Dividend</h1>"
            f"<div class='info'>Reuters | 1987-04-08 11:05</div>{story}</body></html>")
    release = extract(page(html.encode()))
    assert release.body == "Qtly div 10 cts vs 10 cts prior\n\nPayable April 15, 1987\n\nRecord April 1"
    assert release.agency == "Reuters"
    datelined = html.replace("<p>Qtly", "<p>GLEN COVE, N.Y., April 8 - Qtly")
    assert extract(page(datelined.encode())).body.startswith("GLEN COVE, N.Y., April 8 - Qtly div")


def test_visible_stamp_and_source_line_when_metadata_is_silent():
    html = f"""<html><head><title>话剧巡演结束</title></head><body><h1>话剧巡演结束</h1>
    <div><font>新华网河北频道 ( 2012-06-04 09:20:26 )</font></div>{PROSE}</body></html>"""
    release = extract(page(html.encode()))
    assert release.agency == "Xinhua"
    # printed without a zone: Xinhua's own time, Beijing's
    assert release.published == datetime(2012, 6, 4, 1, 20, tzinfo=timezone.utc)
    assert release.published_local.isoformat() == "2012-06-04T09:20:00+08:00"


def test_a_link_runs_into_the_punctuation_after_it_and_a_line_break_parts_words():
    html = f"""<html><head><title>Economy grows</title></head><body><article><h1>Economy grows</h1>{PROSE}
    <p>The economy has recovered <a href="/p">from the pandemic</a><!-- -->, said the <a href="/i">institute</a>.
    Its head spoke in<br>Mexico City on <a href="/f">Friday</a>'s call.</p></article></body></html>"""
    body = "\n\n".join(clean(html).paragraphs)
    assert "recovered from the pandemic, said the institute. Its head spoke in Mexico City on Friday's call." in body
