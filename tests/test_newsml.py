"""XML news items (NewsML 1.2, NewsML-G2, NITF, queue formats) read into releases; feeds and sitemaps refused."""

from datetime import datetime, timezone

import pytest

from wiredesk.ingest.extract import extract
from wiredesk.ingest.page import RawPage
from wiredesk.core.errors import Skip

STORY = " ".join(["Acme Widgets said on Monday it would open a new plant employing 400 people."] * 3)

NEWSML = f"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2"><NewsEnvelope><NewsService FormalName="Business Wire"/></NewsEnvelope>
<NewsItem><NewsManagement><FirstCreated>20250414T130000+0000</FirstCreated></NewsManagement>
<NewsComponent><NewsLines><HeadLine>Acme Widgets Opens Plant</HeadLine><DateLine>GREENWICH, Conn.</DateLine></NewsLines>
<NewsComponent><ContentItem><DataContent><html xmlns="http://www.w3.org/1999/xhtml"><body>
<p>{STORY}</p><p>About Acme Widgets: Acme makes widgets.</p>
<p>View source version on businesswire.com: https://www.businesswire.com/news/home/1/en/</p>
</body></html></DataContent></ContentItem></NewsComponent></NewsComponent></NewsItem></NewsML>"""

NITF = f"""<?xml version="1.0" encoding="utf-8"?><nitf><head><docdata><date.issue norm="20250414T081057Z"/>
<doc.copyright holder="AP" year="2025"/></docdata></head><body><body.head><hedline><hl1>Acme opens plant</hl1></hedline>
</body.head><body.content><block><p>MWALIJA, Malawi (AP) — {STORY}</p><p>The plant opens in May.</p></block></body.content></body></nitf>"""

QUEUE = f"""<?xml version="1.0"?><Response><List><Item><PublishDate>2025-04-14T18:44:52</PublishDate>
<headline>PR / Acme Widgets</headline><subtitle>Acme&amp;apos;s New Plant</subtitle>
<content>&lt;p&gt;GLASGOW, Scotland, Apr. 14, 2025 (GLOBE NEWSWIRE) -- {STORY}&lt;/p&gt;</content></Item></List></Response>"""

# NewsML-G2 as ANSA sends it: a newsMessage, the story as escaped HTML in inlineData, the place in <located>
G2_ANSA = f"""<?xml version="1.0" encoding="utf-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2025-04-14T11:00:00Z</sent><sender>ansa.it</sender></header>
<itemSet><newsItem guid="tag:ansa.it,2025-04-14:1" standard="NewsML-G2" xml:lang="it-IT">
<rightsInfo><copyrightHolder literal="ANSA"/></rightsInfo>
<itemMeta><itemClass qcode="icls:text"/><provider literal="ansa.it"/><firstCreated>2025-04-14T10:51:00.000Z</firstCreated>
<link rel="featuremedia" residref="photo.jpg"><title>Una foto</title></link></itemMeta>
<contentMeta><located type="cptype:city" literal="NAPOLI"/><language tag="it"/>
<headline>Porto di Napoli, nuovo terminal per i container</headline></contentMeta>
<contentSet><inlineData contenttype="text/plain"><![CDATA[<p>(ANSA) - NAPOLI, 14 APR - L'autorità portuale ha approvato oggi
il nuovo terminal per i container, dopo due anni di trattative con le compagnie di navigazione.</p>
<p>I lavori inizieranno a maggio.(ANSA).</p>]]></inlineData></contentSet></newsItem></itemSet></newsMessage>"""

# NewsML-G2 as AFP sends it: an XHTML document in inlineXML, whose <head> holds a <title>
G2_AFP = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet><newsItem guid="urn:newsml:afp.com:1" xml:lang="en">
<itemMeta><provider literal="AFP"/><versionCreated>2025-04-14T09:30:00+00:00</versionCreated>
<firstCreated>2025-04-14T09:00:00+00:00</firstCreated></itemMeta>
<contentMeta><headline>Acme to open plant in Lyon</headline><dateline>Lyon, France</dateline></contentMeta>
<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>Acme to open plant in Lyon</title></head><body><p>{STORY}</p><p>The plant opens in May.</p></body></html>
</inlineXML></contentSet></newsItem></itemSet></newsMessage>"""

# NITF inside a NewsML-G2 item: the story is NITF's body.content, not its headline and byline
G2_NITF = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><itemMeta><provider literal="dpa"/>
<firstCreated>2025-04-14T07:00:00</firstCreated></itemMeta><contentMeta><headline>Werk in Leipzig</headline></contentMeta>
<contentSet><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>
<body.head><hedline><hl1>Werk in Leipzig</hl1></hedline><byline>Von Anna Schmidt</byline></body.head>
<body.content><p>Leipzig (dpa) - Der Hersteller baut ein neues Werk mit 400 Arbeitsplätzen, wie er am Montag mitteilte.</p>
<p>Die Produktion soll im Mai beginnen.</p></body.content></body></nitf></inlineXML></contentSet></newsItem>"""


def release(text: str):
    return extract(RawPage(url="https://example.org/item.xml", body=text.encode("utf-8")))


def test_newsml_item():
    got = release(NEWSML)
    assert (got.title, got.agency, got.dateline.city, got.dateline.country) == (
        "Acme Widgets Opens Plant", "Business Wire", "Greenwich", "United States")
    assert got.published == datetime(2025, 4, 14, 13, 0, tzinfo=timezone.utc)
    assert got.body.startswith("Acme Widgets said") and got.body.endswith("Acme makes widgets.")


def test_nitf_item():
    got = release(NITF)
    assert (got.title, got.agency, got.dateline.city, got.dateline.country) == ("Acme opens plant", "AP", "Mwalija", "Malawi")
    assert got.published == datetime(2025, 4, 14, 8, 10, 57, tzinfo=timezone.utc)


def test_queue_item_with_escaped_html():
    got = release(QUEUE)
    assert got.title == "Acme's New Plant"
    assert got.agency == "GlobeNewswire" and got.dateline.city == "Glasgow"


def test_newsml_g2_item_of_ansa():
    got = release(G2_ANSA)
    assert (got.title, got.agency, got.language) == ("Porto di Napoli, nuovo terminal per i container", "ANSA", "it")
    assert (got.dateline.raw, got.dateline.city, got.dateline.country) == ("(ANSA) - NAPOLI, 14 APR -", "Naples", "Italy")
    assert got.body.startswith("(ANSA) - NAPOLI, 14 APR - L'autorità portuale") and got.body.endswith("maggio.(ANSA).")
    assert got.published == datetime(2025, 4, 14, 10, 51, tzinfo=timezone.utc)
    assert got.published_local.isoformat() == "2025-04-14T12:51:00+02:00"  # ANSA's Rome


def test_newsml_g2_item_of_afp_with_an_xhtml_document():
    got = release(G2_AFP)
    assert (got.title, got.agency, got.dateline.city, got.dateline.country) == ("Acme to open plant in Lyon", "AFP", "Lyon", "France")
    assert got.body.startswith("Acme Widgets said") and got.body.endswith("The plant opens in May.")
    assert got.published == datetime(2025, 4, 14, 9, 0, tzinfo=timezone.utc)


def test_nitf_inside_a_newsml_g2_item():
    got = release(G2_NITF)
    assert (got.title, got.agency, got.dateline.city) == ("Werk in Leipzig", "dpa", "Leipzig")
    assert got.body == ("Leipzig (dpa) - Der Hersteller baut ein neues Werk mit 400 Arbeitsplätzen, wie er am Montag "
                        "mitteilte.\n\nDie Produktion soll im Mai beginnen.")
    assert got.published_local.isoformat() == "2025-04-14T07:00:00+02:00"  # a time without a zone: dpa's Berlin


# NewsML-G2 with an XHTML story whose <header> holds the slugline and the headline, as dpa sends it
G2_DPA = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet><newsItem guid="urn:newsml:dpa.com:1" xml:lang="de">
<itemMeta><itemClass qcode="ninat:text"/><provider literal="dpa"/><firstCreated>2025-04-14T09:14:42+02:00</firstCreated></itemMeta>
<contentMeta><headline>Werk in Leipzig</headline></contentMeta>
<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Werk in Leipzig</title></head>
<body><header><ul class="slugline"><li>Wirtschaft</li><li>Deutschland</li><li>Sachsen</li><li>Industrie</li><li>Autos</li>
<li>Arbeit</li><li>Leipzig</li></ul><p class="genre">Meldung</p><h1>Werk in Leipzig</h1></header><section class="main">
<p><span class="dateline">Leipzig <span class="credit">(dpa)</span> - </span>Der Hersteller baut ein neues Werk mit 400
Arbeitsplätzen, wie er am Montag mitteilte.</p><p>Die Produktion soll im Mai beginnen.</p></section></body></html>
</inlineXML></contentSet></newsItem></itemSet></newsMessage>"""

# a picture: its caption and the addresses of its renditions, no text
G2_PICTURE = """<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2025-04-14T11:14:13.000Z</sent><sender>wire.example</sender></header>
<itemSet><newsItem guid="tag:wire.example,2025:picture_1" standard="NewsML-G2"><itemMeta><itemClass qcode="icls:picture"/>
<provider literal="wire.example"/><firstCreated>2025-04-14T11:14:13.000Z</firstCreated></itemMeta>
<contentMeta><headline>Voters queue at a polling station</headline><description role="descRole:caption">Voters queue at a polling
station on Monday.</description></contentMeta><contentSet><remoteContent href="https://wire.example/pictures/1.jpg"
contenttype="image/jpeg" width="3500" height="2284"/></contentSet></newsItem></itemSet></newsMessage>"""


def test_the_header_of_an_xhtml_story_is_not_its_text():
    got = release(G2_DPA)
    assert (got.title, got.agency, got.dateline.city) == ("Werk in Leipzig", "dpa", "Leipzig")
    assert got.body == ("Leipzig (dpa) - Der Hersteller baut ein neues Werk mit 400 Arbeitsplätzen, wie er am Montag "
                        "mitteilte.\n\nDie Produktion soll im Mai beginnen.")


def test_a_picture_item_is_no_article_rather_than_its_metadata_read_as_a_page():
    with pytest.raises(Skip, match="no article: a picture item without text"):
        release(G2_PICTURE)


@pytest.mark.parametrize("text", [
    '<?xml version="1.0"?><rss><channel><title>News</title><item><title>A</title></item></channel></rss>',
    "<rss><channel><title>News without a declaration</title></channel></rss>",
    '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
])
def test_feeds_and_sitemaps_are_not_articles(text):
    with pytest.raises(Skip, match="no article"):
        release(text)


def test_entities_are_not_expanded():
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><r><headline>&b;</headline><content>x</content></r>'
    with pytest.raises(Skip):
        release(bomb)
