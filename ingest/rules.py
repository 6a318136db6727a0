"""Per-source CSS selectors (`[sources.extract]` title, body, date, remove; a listing's links and next),
matched with BeautifulSoup's `select` (soupsieve: CSS level 4, `:has()`, `:is()`, `:-soup-contains()`).

Extraction works on an lxml tree, so the rules are matched once on a soup of the same page, and each lxml
element that a matched tag stands for (found by its position: both trees come from libxml2's HTML parser)
is marked with the rule's name in one attribute; cleaning then asks for `marked(tree, "body")`. Where the
two trees disagree, the marked soup is parsed again instead. A page's own copy of the attribute is removed
first, so a page cannot mark itself. Pages of sources without rules never meet BeautifulSoup, which is
imported on first use (a tenth of a second, which `wiredesk extract` on one page should not pay); a page
of a source with rules costs a BeautifulSoup parse more (about as long as the rest of its extraction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml.html import HtmlElement

from wiredesk.core.config import ExtractRules

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = ["RULES", "has_rules", "mark_rules", "marked", "select", "soup"]

MARK = "data-wiredesk-rule"
RULES = ("title", "body", "date", "remove")


def has_rules(rules: ExtractRules | None) -> bool:
    return rules is not None and any((rules.title, rules.body, rules.date, rules.remove))


def soup(html: str) -> BeautifulSoup:
    """The page as BeautifulSoup sees it, parsed by lxml."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def select(page: BeautifulSoup | Tag, selector: str) -> list[Tag]:
    """The elements `selector` matches, in page order. Raises ValueError for a selector soupsieve refuses
    (the config's check refuses those before a run)."""
    from soupsieve import SelectorSyntaxError

    try:
        return page.select(selector)
    except SelectorSyntaxError as exc:
        raise ValueError(f"bad CSS selector {selector!r}: {str(exc).splitlines()[0]}") from None


def mark_rules(tree: HtmlElement, html: str, rules: ExtractRules, *,
               parse: Callable[[str], HtmlElement | None]) -> HtmlElement | None:
    """`tree` (parsed from `html`) with each element a rule matches marked with the rule's name; a new tree
    made by `parse` from the marked soup where `tree` cannot be matched to it."""
    for element in tree.iterfind(f".//*[@{MARK}]"):
        del element.attrib[MARK]
    page = soup(html)
    found = [(rule, tag) for rule in RULES if (selector := _selector(rules, rule)) for tag in select(page, selector)]
    targets = [_counterpart(tree, tag) for _, tag in found]
    if all(target is not None for target in targets):
        for (rule, _), target in zip(found, targets):
            _mark(target, rule)  # type: ignore[arg-type]
        return tree
    for element in page.select(f"[{MARK}]"):
        del element[MARK]
    for rule, tag in found:
        _mark(tag, rule)
    return parse(str(page))


def marked(tree: HtmlElement, rule: str) -> list[HtmlElement]:
    """The elements of a `mark_rules` tree that `rule` matched, in page order."""
    return tree.xpath(f"//*[@{MARK}][contains(concat(' ', @{MARK}, ' '), $name)]", name=f" {rule} ")


def _selector(rules: ExtractRules, rule: str) -> str:
    """A rule's selectors as one list: one walk over the soup matches them all."""
    value = getattr(rules, rule)
    return ", ".join(s for s in (value if isinstance(value, tuple) else (value,)) if s)


def _mark(element: HtmlElement | Tag, rule: str) -> None:
    names = element.get(MARK)
    value = f"{names} {rule}" if names else rule
    if isinstance(element, HtmlElement):
        element.set(MARK, value)
    else:
        element[MARK] = value


def _counterpart(tree: HtmlElement, tag: Tag) -> HtmlElement | None:
    """The element of `tree` at the soup tag's position, or None where the trees differ."""
    from bs4 import Tag

    path = []
    node = tag
    while node.parent is not None and node.parent.parent is not None:  # up to the <html> tag
        path.append((sum(1 for sibling in node.previous_siblings if isinstance(sibling, Tag)), node.name))
        node = node.parent
    if node.name != tree.tag:
        return None
    element = tree
    for index, name in reversed(path):
        children = [child for child in element if isinstance(child.tag, str)]
        if index >= len(children) or children[index].tag != name:
            return None
        element = children[index]
    return element
