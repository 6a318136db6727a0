"""Per-source CSS rules through BeautifulSoup's select: CSS level 4 selectors, the `date` rule, listing
selectors, and a bad selector refused before a command does anything."""

from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from wiredesk.cli import cli
from wiredesk.core.config import ExtractRules, SourceConfig
from wiredesk.ingest.clean import clean
from wiredesk.ingest.extract import extract
from wiredesk.ingest.page import RawPage
from wiredesk.ingest.sources import parse_listing

PAGE = """<html><head><title>Site name</title></head><body>
<div class="card"><span class="kicker">Energy</span><h2>Grid operator signs storage deal</h2>
<p class="when" data-ts="x">Published 2025-04-16 08:10</p></div>
<div class="col"><p class="lede">The grid operator signed a deal on Tuesday for 400 megawatts of battery storage
near the coast, its first of that size, after a tender that drew eleven bidders.</p>
<p>Construction starts in June. <span class="promo">Subscribe today</span></p></div>
<div class="col"><p>A sidebar column that has nothing to do with the deal, with plenty of words in it too.</p></div>
</body></html>"""

# :has(), :-soup-contains() and :is() are CSS that lxml's selector translator does not read
RULES = ExtractRules(title="div.card > :is(h1, h2)", body="div.col:has(> p.lede)", date="p:-soup-contains('Published')",
                     remove=(".promo",))


def test_css_level_4_rules_pick_title_body_and_date():
    source = SourceConfig(name="grid", kind="feed", url="https://grid.example/", extract=RULES)
    release = extract(RawPage(url="https://grid.example/a", body=PAGE.encode()), source=source)
    assert release.title == "Grid operator signs storage deal"
    assert release.body == ("The grid operator signed a deal on Tuesday for 400 megawatts of battery storage near the "
                            "coast, its first of that size, after a tender that drew eleven bidders.\n\n"
                            "Construction starts in June.")
    assert release.published == datetime(2025, 4, 16, 8, 10, tzinfo=timezone.utc)


def test_a_page_cannot_mark_its_own_elements():
    forged = PAGE.replace('<div class="col"><p>A sidebar', '<div class="col" data-wiredesk-rule="body"><p>A sidebar')
    cleaned = clean(forged, rules=ExtractRules(body="div.col:has(> p.lede)"))
    assert not any("sidebar" in p for p in cleaned.paragraphs)
    assert clean(forged).paragraphs != cleaned.paragraphs  # without rules the forged mark means nothing either


def test_listing_selectors_read_css_level_4():
    html = """<html><body><ul><li class="story"><h3><a href="/a/1.html">One</a></h3></li>
    <li class="story sponsored"><a href="/ad.html">Ad</a></li><li class="story"><a href="/a/2.html#top">Two</a></li></ul>
    <nav><a rel="next" href="?page=2">More</a></nav></body></html>"""
    items, following = parse_listing(html, base_url="https://w.example/news/", links="li.story:not(.sponsored)",
                                     next="nav a:-soup-contains('More')")
    assert [item.url for item in items] == ["https://w.example/a/1.html", "https://w.example/a/2.html"]
    assert following == "https://w.example/news/?page=2"


def _bad_config(folder: Path) -> Path:
    path = folder / "wiredesk.toml"
    path.write_text('[storage]\nhome = "data"\n\n[[sources]]\nname = "site"\nkind = "files"\npath = "pages"\n'
                    '[sources.extract]\nbody = "article >> p"\n', encoding="utf-8")
    (folder / "pages").mkdir()
    return path


def test_a_bad_selector_stops_extract_and_reindex_before_they_start(tmp_path: Path):
    config = _bad_config(tmp_path)
    page = tmp_path / "pages" / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    expected = f"Error: {config}:9: sources.site.extract.body: invalid CSS selector 'article >> p'"
    for command in (["extract", "--source", "site", str(page)], ["reindex"], ["ingest"]):
        result = CliRunner().invoke(cli, ["--config", str(config), *command])
        assert result.exit_code == 2, command
        assert result.stderr.startswith(expected) and result.stdout == ""
    assert CliRunner().invoke(cli, ["--config", str(config), "extract", str(page)]).exit_code == 0
