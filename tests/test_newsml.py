"""XML news items (NewsML 1.2, NITF, queue formats) read into releases; feeds and sitemaps refused."""

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
