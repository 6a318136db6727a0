"""Short wire stories whole and clean, and the wire named from the page itself.

The pages are built here in the shape news sites print them: the site's header and navigation, the
headline, a byline with the date, the story, a "most read" box and a footer.
"""

import pytest

from wiredesk.core.config import SourceConfig
from wiredesk.core.errors import Skip
from wiredesk.ingest.extract import extract
from wiredesk.ingest.page import RawPage


def page(paragraphs: list[str], *, headline: str = "Pall Corp Sets Quarterly Dividend", byline: str = "Reuters",
         article: bool = True, lang: str = "en") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    kind = '<meta property="og:type" content="article">' if article else ""
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{headline} | Wire</title>{kind}
<meta property="article:published_time" content="2025-04-08T15:18:06Z"></head><body>
<header><a href="/">The Wire</a> <nav><a href="/markets">Markets</a> <a href="/world">World</a></nav></header>
<main><article><h1>{headline}</h1>
<div class="byline">{byline} &middot; <time datetime="2025-04-08T15:18:06Z">8 April 2025</time></div>
{body}</article>
<aside><h2>Most read</h2><ul><li><a href="/a/1.html">Markets close mixed</a></li><li><a href="/a/2.html">Dollar steady</a></li></ul></aside>
</main><footer>&copy; The Wire. All rights reserved.</footer></body></html>""".encode()


def extracted(body: bytes, **kwargs):
    return extract(RawPage(url="https://wire.example/a/1.html", body=body), **kwargs)


def test_a_dividend_notice_is_a_release_without_the_page_around_it():
    release = extracted(page(["GLEN COVE, N.Y., April 8 - Qtly div 17 cts vs 17 cts prior", "Pay May 15",
                              "Record April 24 Reuter"]))
    assert release.body == "GLEN COVE, N.Y., April 8 - Qtly div 17 cts vs 17 cts prior\n\nPay May 15\n\nRecord April 24 Reuter"
    assert release.title == "Pall Corp Sets Quarterly Dividend"
    assert (release.dateline.city, release.dateline.country, release.agency) == ("Glen Cove", "United States", "Reuters")
    assert release.lead == "Qtly div 17 cts vs 17 cts prior"


def test_a_one_line_story_with_a_credit_is_a_release():
    release = extracted(page(["Trading in the shares resumed at 1400 GMT. (ANI)"], byline="Staff", article=False))
    assert release.body == "Trading in the shares resumed at 1400 GMT. (ANI)" and release.agency == "ANI"


def test_a_story_of_one_line_comes_out_once_without_the_heading_above_it():
    links = "".join(f'<li><a href="/s/{n}.html">Headline number {n} says markets moved sharply today</a></li>' for n in range(14))
    html = ('<html><head><title>U.S. Financial Analysts</title><meta name="date" content="1987-04-07"></head><body>'
            '<table><tr><td class="main"><h2>U.S. Financial Analysts - April 7</h2><div class="story-body">'
            f'Federal Express Corp - New York<br><br>Reuter</div></td><td><ul>{links}</ul></td></tr></table></body></html>')
    release = extracted(html.encode())
    assert release.body == "Federal Express Corp - New York Reuter" and release.agency == "Reuters"


def test_a_few_words_that_nothing_marks_as_a_story_are_skipped():
    with pytest.raises(Skip, match=r"no article text \(4 words\)"):
        extracted(page(["Sign in to continue."], byline="Staff", article=False))
    with pytest.raises(Skip, match=r"no article text \(0 words\)"):
        extracted(page([], byline="Staff"))


@pytest.mark.parametrize("last, wire", [
    ("The plant opens in June. (dpa/gem)", "dpa"),
    ("The plant opens in June. - PTI", "PTI"),
    ("The plant opens in June. (ANI)", "ANI"),
    ("The plant opens in June, the company said. REUTER", "Reuters"),
    ("The plant opens in June. (AAP)", "AAP"),
    ("The plant opens in June. /ritzau/", "Ritzau"),
])
def test_the_sign_off_names_the_wire(last, wire):
    story = ["The company said on Tuesday it would build a plant for solar panels near the port, its third abroad.", last]
    assert extracted(page(story, byline="Staff")).agency == wire


def test_a_dateline_credit_and_a_byline_name_the_wire_before_the_source_default():
    source = SourceConfig(name="presse", kind="feed", url="https://wire.example/", agency="APA")
    story = ["Rheine (ots) - Die Feuerwehr wurde am Dienstag zu einem Brand in einer Lagerhalle gerufen."]
    assert extracted(page(story, byline="Polizei"), source=source).agency == "ots"
    story = ["The company said on Tuesday it would build a plant for solar panels near the port, its third abroad."]
    assert extracted(page(story, byline="By Jane Doe | AP"), source=source).agency == "AP"
    assert extracted(page(story, byline="Staff"), source=source).agency == "APA"
    assert extracted(page(story, byline="Staff")).agency == ""


def test_a_byline_in_another_language_the_feed_and_the_address_name_the_wire_before_the_source_default():
    from wiredesk.core.release import Hints

    source = SourceConfig(name="portal", kind="feed", url="https://portal.example/", agency="APA")
    story = ["O índice fechou nesta segunda-feira em baixa de 0,68% em mais um pregão marcado pela disputa comercial."]
    assert extracted(page(story, byline="Por Reuters", lang="pt"), source=source).agency == "Reuters"
    assert extracted(page(story, byline="Von dpa", lang="de"), source=source).agency == "dpa"
    summary = Hints(summary="Nova York, 24 set (EFE).- O índice Dow Jones Industrial fechou em baixa.")
    raw = RawPage(url="https://portal.example/a/1.html", body=page(story, byline="Redação", lang="pt"), hints=summary)
    assert extract(raw, source=source).agency == "EFE"
    filed = RawPage(url="https://portal.example/noticias/reuters/2018/09/24/indice-fecha.htm",
                    body=page(story, byline="Redação", lang="pt"))
    assert extract(filed, source=source).agency == "Reuters"
    unfiled = RawPage(url="https://portal.example/noticias/ap/2018/reuters.htm", body=page(story, byline="Redação", lang="pt"))
    assert extract(unfiled, source=source).agency == "APA"  # a two-letter folder and the page's own name say nothing


def test_a_sign_off_before_the_reporting_line_names_the_wire():
    story = ["The company said on Tuesday it would build a plant for solar panels near the port, its third abroad.",
             "The plant opens in June, the company said. REUTER", "(Reporting by Jane Doe; Editing by John Roe)"]
    assert extracted(page(story, byline="Staff")).agency == "Reuters"


def test_a_sentence_ending_with_a_wire_is_not_a_sign_off():
    story = ["The company said on Tuesday it would build a plant for solar panels near the port.",
             "Its chief executive said so in an interview with Reuters."]
    assert extracted(page(story, byline="Staff")).agency == ""
    story[1] = "The leader of the Popular Alliance (AP) party tabled a motion of no confidence."
    assert extracted(page(story, byline="Staff")).agency == ""


def test_what_follows_the_closing_credit_is_not_the_story():
    story = ["LONDON, April 8 (Reuters) - The bank raised its rates by a quarter point on Tuesday, as expected.",
             "Markets barely moved.", "(Reporting by Jane Doe; Editing by John Roe)",
             "This mask factory is betting on an election, churning out thousands of likenesses. Slideshow"]
    assert extracted(page(story)).body.endswith("Markets barely moved.\n\n(Reporting by Jane Doe; Editing by John Roe)")
    story = ["MONTGOMERY, Ala. (AP) -- Builders have complained they cannot find workers for their sites.",
             "___", "Follow the desk at https://example.com/desk"]
    assert extracted(page(story)).body.endswith("cannot find workers for their sites.")


def test_a_digest_keeps_every_item_between_its_rules():
    items = ["BELGRADE - Over 2,000 firms with almost 600,000 workers are heading for bankruptcy, a union chief said.",
             "- - - -", "ANKARA - A military court jailed a former deputy prime minister for 11 years on charges of "
             "forming an armed gang and sentenced five supporters, Anatolian Agency reported."]
    assert extracted(page(items)).body.endswith("Anatolian Agency reported.")


def test_english_text_keeps_the_city_it_prints_and_other_languages_name_it_in_english():
    english = extracted(page(["PEKING, April 8 - China will cut its crude oil exports this year, officials said."]))
    italian = extracted(page(["(ANSA) - ROMA, 8 APR - Il governo ha approvato oggi il decreto sulle pensioni, "
                              "dopo una lunga riunione del consiglio dei ministri."], byline="Redazione", lang="it"))
    assert (english.dateline.city, english.dateline.country) == ("Peking", "China")
    assert (italian.language, italian.dateline.city, italian.agency) == ("it", "Rome", "ANSA")
