"""Wire credits: one spelling per wire, whatever form the page prints (`/PRNewswire/`, `(GLOBE NEWSWIRE)`, `(AP)`).

`AGENCIES` is the table: the spelling wiredesk stores, then the forms that mean it (compared after folding
case, punctuation and spaces). Add a wire by adding a row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["AGENCIES", "normalise_agency", "find_credit", "find_sign_off", "byline_credit", "credit_prefix",
           "path_credit", "WIRE_ZONES"]

AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ANI", ("ani", "asian news international")),
    ("PTI", ("pti", "press trust of india")),
    ("IANS", ("ians", "indo asian news service")),
    ("PIB", ("pib", "press information bureau")),
    ("UNI", ("uni", "united news of india")),
    ("PR Newswire", ("pr newswire", "prnewswire", "prn", "pr newswire asia", "prnewswire hfs")),
    ("Business Wire", ("business wire", "businesswire")),
    ("GlobeNewswire", ("globe newswire", "globenewswire")),
    ("Marketwired", ("marketwired", "marketwire")),
    ("Accesswire", ("accesswire",)),
    ("Reuters", ("reuters", "thomson reuters", "reuter")),
    ("AP", ("ap", "associated press", "the associated press")),
    ("AFP", ("afp", "agence france presse", "agence france press", "afpbb news")),
    ("dpa", ("dpa", "deutsche presse agentur", "dpa afx", "dpa infocom")),
    ("ANSA", ("ansa",)),
    ("EFE", ("efe", "agencia efe")),
    ("Yonhap", ("yonhap", "yonhap news agency", "yna", "연합뉴스")),
    ("Kyodo", ("kyodo", "kyodo news", "共同通信")),
    ("UPI", ("upi", "united press international")),
    ("Xinhua", ("xinhua", "xinhua news agency", "xinhuanet", "新华社", "新华网")),
    ("RIA Novosti", ("ria novosti", "ria")),
    ("TASS", ("tass", "itar tass")),
    ("Anadolu", ("anadolu", "anadolu agency", "aa")),
    ("Bernama", ("bernama",)),
    ("ots", ("ots", "news aktuell")),
    ("APA", ("apa",)),
    ("AAP", ("aap", "australian associated press")),
    ("NTB", ("ntb", "norsk telegrambyra", "norsk telegrambyrå")),
    ("STT", ("stt", "stt fnb", "suomen tietotoimisto", "finnish news agency")),
    ("Ritzau", ("ritzau", "ritzaus bureau")),
    ("Belga", ("belga",)),
    ("Lusa", ("lusa", "agencia lusa")),
    ("Europa Press", ("europa press",)),
    ("Jiji Press", ("jiji", "jiji press", "時事通信")),
    ("Antara", ("antara", "antara news")),
    ("CTK", ("ctk", "čtk", "ceska tiskova kancelar")),
)

# The home time zone of national wires, whose pages give local time without saying so. Wires that file
# from everywhere (Reuters, AP, AFP, the press-release wires) have none: their stories' dateline tells.
WIRE_ZONES = {
    "ANI": "Asia/Kolkata", "PTI": "Asia/Kolkata", "IANS": "Asia/Kolkata", "PIB": "Asia/Kolkata", "UNI": "Asia/Kolkata",
    "ANSA": "Europe/Rome", "dpa": "Europe/Berlin", "ots": "Europe/Berlin", "APA": "Europe/Vienna",
    "EFE": "Europe/Madrid", "Yonhap": "Asia/Seoul", "Kyodo": "Asia/Tokyo", "Xinhua": "Asia/Shanghai",
    "TASS": "Europe/Moscow", "RIA Novosti": "Europe/Moscow", "Anadolu": "Europe/Istanbul",
    "Bernama": "Asia/Kuala_Lumpur", "AAP": "Australia/Sydney", "NTB": "Europe/Oslo", "STT": "Europe/Helsinki",
    "Ritzau": "Europe/Copenhagen", "Belga": "Europe/Brussels", "Lusa": "Europe/Lisbon", "Europa Press": "Europe/Madrid",
    "Jiji Press": "Asia/Tokyo", "Antara": "Asia/Jakarta", "CTK": "Europe/Prague",
}

def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    return {_key(alias): name for name, aliases in AGENCIES for alias in (name, *aliases)}


def normalise_agency(text: str) -> str | None:
    """The stored spelling of the wire `text` names (`GLOBE NEWSWIRE` → `GlobeNewswire`), or None."""
    text = text.strip()
    found = _index().get(_key(text))
    if found:
        return found
    # "Marketwired - April 06, 2016", "AP Photo", "PTI, Washington": the first words may be the credit
    head = re.split(r"\s*[-,:;|]\s*|\s+(?:photo|staff|news|via)\b", text, maxsplit=1, flags=re.I)[0]
    return _index().get(_key(head)) if head != text else None


_BRACKETED = re.compile(r"[(/\[]\s*([A-Za-z][A-Za-z .\-]{1,40}?)\s*[)/\]]")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?([A-Za-z][A-Za-z .\-]{1,40})", re.I)


def _ends(text: str, match: re.Match[str]) -> bool:
    """Whether a bracketed credit ends `text`, an editor's initials after a slash allowed: `(dpa/gem)`."""
    rest = text[match.end():]
    return not rest.strip(" .;,)]") or (match.group(0).endswith("/") and bool(_INITIALS.fullmatch(rest)))


_INITIALS = re.compile(r"[A-Za-z]{1,6}\)[\s.;,]*")


def find_credit(text: str, *, closing: bool = False) -> str | None:
    """A wire credit printed in running text: `(ANI)`, `/PRNewswire/`, `(c)AFP/...`, `© dpa-infocom`.

    The last one in the text wins, since trailing credits close a story. With `closing`, a bracketed one
    counts only where it ends the text: "the Popular Alliance (AP) party" names a party, not the wire.
    """
    found: str | None = None
    for match in _BRACKETED.finditer(text):
        name = normalise_agency(match.group(1))
        if name and not (closing and not _ends(text, match)):
            found = name
    if found:
        return found
    for match in _COPYRIGHT.finditer(text):
        found = normalise_agency(match.group(1).strip()) or found
    return found


# A wire's name alone at the very end of a story, after a dash or a space: `... Record April six Reuter`,
# `... on Friday. - PTI`. No full stop after it: "... the minister told Reuters." is a sentence, not a credit.
_SIGN_OFF = re.compile(r"(?:^|(?P<before>\S+)\s+)(?P<dash>[-–—]\s*)?(?P<name>[A-Za-z][A-Za-z]{1,14})\s*$")
_NOT_BEFORE_SIGN_OFF = frozenset("to told by from for with of said says according the a an and or".split())


def find_sign_off(text: str) -> str | None:
    """The wire a story's last words name as its sign-off, or None. A two-letter name (`AP`) counts only
    after a dash."""
    match = _SIGN_OFF.search(text.strip()[-60:])
    if not match:
        return None
    name = _index().get(_key(match.group("name")))
    if name is None or (len(match.group("name")) < 3 and not match.group("dash")):
        return None
    before = (match.group("before") or "").casefold()
    return None if before in _NOT_BEFORE_SIGN_OFF and not match.group("dash") else name


# what a byline's parts are joined with, "by" and "and" in the wires' languages among them
_BYLINE_PARTS = re.compile(r"\s*(?:[·•|,;/]|\s[-–—]\s|\b(?:by|and|por|par|von|und|di|da|door|en|et|y|e)\b)\s*", re.I)


def byline_credit(text: str) -> str | None:
    """The wire a byline names among its parts: `Reuters · 1987-03-26`, `By Jane Doe | AP`,
    `Asha Rao, PTI`, `Por Reuters`, `Von dpa`; None when no part is a wire."""
    for part in _BYLINE_PARTS.split(text):
        name = normalise_agency(part) if part else None
        if name:
            return name
    return None


def credit_prefix(text: str) -> str | None:
    """The wire a source line opens with: `Reuters, 12:30`, or in Chinese and Japanese, where words are not
    spaced, `新华网河北频道` (Xinhuanet's Hebei channel)."""
    head = text.strip()
    found = normalise_agency(re.split(r"[\s(（:：|,，]", head, maxsplit=1)[0])
    if found:
        return found
    key = _key(head)
    return next((name for alias, name in _index().items() if not alias.isascii() and key.startswith(alias)), None)


_MIN_PATH_NAME = 3  # letters: `/ap/` or `/aa/` in a path is too often something else


def path_credit(url: str) -> str | None:
    """The wire a page's address files it under, as sites that carry several wires do
    (`/noticias/reuters/2018/09/24/story.htm`, `/news/afp/...`): a folder of the path, not the page's own
    name, spelled as the wire is; None when no folder is one."""
    path = urlsplit(url).path
    for folder in path.split("/")[1:-1]:
        if len(folder) >= _MIN_PATH_NAME and folder.isalpha():
            name = _index().get(_key(folder))
            if name:
                return name
    return None
