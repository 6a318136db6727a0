"""Every wiredesk class an index pickles, in one module whose path and names NEVER move.

An index holds these classes by their import path (`wiredesk.index.backend.persisted.NAME`): the schema in
the table of contents pickles the field types, formats, analyzer and columns, each segment entry pickles the
codec, and every posting block of a positions field pickles a `PackedValues`. Renaming or moving one makes
every existing index unreadable. A change to what one of them stores or reads is a format change: a new
SCHEMA_VERSION, a reindex message, and a new checked-in test index (FORMAT.md lists them all; a test checks
that an index pickles no other class of ours).
"""

from __future__ import annotations

import struct
from array import array
from collections import Counter, defaultdict
from itertools import accumulate

import numpy as np
from whoosh import analysis, columns, fields, formats
from whoosh.codec.whoosh3 import W3Codec

from ..analysis import LEAD_WEIGHT, terms, tokens
from ..clusters import WIDTH
from ..schema import MISSING, exact_keys

__all__ = ["TextAnalyzer", "PositionsFormat", "ExactField", "DictColumn", "NumberColumn", "SignatureColumn",
           "TermsColumn", "Codec", "PackedValues", "INLINE_LIMIT"]


class TextAnalyzer(analysis.Analyzer):
    """A Whoosh analyzer giving `analysis.terms`: a stop word is dropped and takes no position, so a phrase
    query of Whoosh's own parser matches what wiredesk matches. Stateless: it pickles as a bare name."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,  # type: ignore[no-untyped-def, override]
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (text, start, end) in enumerate(tokens(value), start_pos):
            token.text, token.boost, token.stopped = text, 1.0, False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def terms(self, text: str) -> list[str]:
        return terms(text)


class PositionsFormat(formats.Positions):
    """Whoosh's positions postings (so its phrase matcher reads them), filled from `terms` without Tokens.

    A value may be a pair (lead, text): positions and length come from the text, and a word of the lead
    weighs LEAD_WEIGHT more, the way a headline-first news story puts its subject in the first paragraph.
    One field with weighted postings costs half the postings of a separate lead field.

    A posting's value is its positions as little-endian uint32s, not W3's pickled deltas: the bulk writer
    cuts every value of a segment out of one numpy buffer, where a pickle per posting would cost more than
    the rest of the build. Whoosh (2.7.5) reads values only through `decode_*` below.
    """

    def word_values(self, value, analyzer, **kwargs):  # type: ignore[no-untyped-def]
        lead = ""
        if isinstance(value, tuple):
            lead, value = value
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for pos, word in enumerate(analyzer.terms(value)):
            positions[word].append(pos)
        bonus = Counter(analyzer.terms(lead)) if lead else Counter()
        boost = self.field_boost
        encode = self.encode
        for word, poslist in positions.items():
            yield word, len(poslist), (len(poslist) + LEAD_WEIGHT * bonus[word]) * boost, encode(poslist)

    def encode(self, poslist: list[int]) -> bytes:  # type: ignore[override]
        return struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:  # type: ignore[override]
        return list(struct.unpack(f"<{len(valuestring) // 4}I", valuestring))

    def decode_frequency(self, valuestring: bytes) -> int:  # type: ignore[override]
        return len(valuestring) // 4


class ExactField(fields.FieldType):
    """Whole values, one term each (`schema.exact_keys`); `fold=False` keeps case (ids)."""

    def __init__(self, *, column: bool = False, unique: bool = False, fold: bool = True, stored: bool = False) -> None:
        super().__init__(formats.Existence(), None, stored=stored, unique=unique,
                         sortable=DictColumn() if column else False)
        self.fold = fold

    def keys(self, value: str) -> set[str]:
        """The terms a value is indexed under."""
        return exact_keys(value, fold=self.fold)

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        for key in self.keys(value):
            yield key.encode("utf-8"), 1, 1.0, b""

    def to_column_value(self, value: str) -> bytes:
        return value.encode("utf-8")


# A dictionary column: codes (doccount x little-endian uint32) | values (UTF-8, each ended by NUL) |
# value count (uint32) | b"DC1". Whoosh's own string columns answer one document at a time; this one loads
# with a single `numpy.frombuffer`, so facet counting is a `bincount`, and it has no 65,535-value ceiling.
_TRAILER = struct.Struct("<I3s")
_MAGIC = b"DC1"


class DictColumn(columns.Column):
    """Stores one string per document (code 0 is the empty value)."""

    reversible = False

    def writer(self, dbfile):  # type: ignore[no-untyped-def]
        return _DictWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount):  # type: ignore[no-untyped-def]
        return _DictReader(dbfile, basepos, length, doccount)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DictColumn)

    def __hash__(self) -> int:
        return hash(DictColumn)


class _DictWriter(columns.ColumnWriter):
    def __init__(self, dbfile) -> None:  # type: ignore[no-untyped-def]
        self._dbfile = dbfile
        self._codes = array("I")
        self._values: dict[bytes, int] = {b"": 0}

    def fill(self, docnum: int) -> None:
        if docnum > len(self._codes):
            self._codes.extend([0] * (docnum - len(self._codes)))

    def add(self, docnum: int, value: bytes) -> None:
        self.fill(docnum)
        code = self._values.setdefault(value, len(self._values))
        self._codes.append(code)

    def finish(self, doccount: int) -> None:
        self.fill(doccount)
        codes = np.frombuffer(self._codes.tobytes(), dtype=np.uint32).astype("<u4")
        self._dbfile.write(codes.tobytes())
        self._dbfile.write(b"".join(value + b"\x00" for value in self._values))
        self._dbfile.write(_TRAILER.pack(len(self._values), _MAGIC))


class _DictReader(columns.ColumnReader):
    def __init__(self, dbfile, basepos: int, length: int, doccount: int) -> None:  # type: ignore[no-untyped-def]
        self._dbfile = dbfile
        self._basepos = basepos
        self._length = length
        self._doccount = doccount
        self._codes: np.ndarray | None = None
        self._values: list[str] | None = None

    def load_all(self) -> tuple[np.ndarray, list[str]]:
        if self._codes is None:
            raw = self._dbfile.get(self._basepos, self._length)
            count, magic = _TRAILER.unpack(raw[-_TRAILER.size:])
            if magic != _MAGIC:
                raise ValueError("not a wiredesk dictionary column")
            size = self._doccount * 4
            self._codes = np.frombuffer(raw[:size], dtype="<u4")
            self._values = raw[size:-_TRAILER.size].decode("utf-8").split("\x00")[:count]
        assert self._values is not None
        return self._codes, self._values

    def __getitem__(self, docnum: int) -> bytes:
        codes, values = self.load_all()
        return values[codes[docnum]].encode("utf-8")

    def __iter__(self):  # type: ignore[no-untyped-def]
        codes, values = self.load_all()
        encoded = [v.encode("utf-8") for v in values]
        return (encoded[c] for c in codes)


class NumberColumn(columns.NumericColumn):
    """A signed 64-bit column (epoch seconds) whose absent value is MISSING, readable whole by numpy."""

    def __init__(self) -> None:
        super().__init__("q", default=MISSING)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash(type(self))


class SignatureColumn(columns.FixedBytesColumn):
    """A MinHash signature per document (`clusters.WIDTH` little-endian uint32s; zeros for a text without
    words), laid out one row after another as Whoosh's fixed-width columns are."""

    def __init__(self) -> None:
        super().__init__(WIDTH * 4)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash(type(self))


class TermsColumn(columns.VarBytesColumn):
    """Index terms kept per document (a release's opening): UTF-8, one space between terms, laid out as
    Whoosh's variable-length columns are."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash(type(self))


INLINE_LIMIT = 8


class Codec(W3Codec):
    """W3 (whoosh-reloaded 2.7.5) without per-posting length statistics.

    Segments are built whole by `bulk` and `postings`, which write W3's bytes themselves; Whoosh's
    `SegmentWriter` still creates the segment's files through this codec and closes them at commit.
    - `length_stats = False`: W3 would otherwise reopen the new segment's lengths at commit, to record block
      min/max lengths that only Whoosh's own block-skipping scorer reads; wiredesk scores whole posting
      lists with numpy, and `postings` writes those statistics as 0.
    - INLINE_LIMIT: posting lists shorter than this live in the term table. Most terms of a release index
      occur in one document or a few (ids, urls, MinHash band keys, rare words), and a block of their own
      costs a pickle and a header each. W3 means to inline them but calls a method its term info does not
      have, so its own limit is left at 1 (never); `postings` inlines them, and reading them is stock W3.
    """

    length_stats = False


class PackedValues:
    """The values of a run of postings (positions, as little-endian uint32s) as one buffer and each posting's
    number of positions, as uint16s (a "H" first) or, when one posting has more, uint32s (an "I" first).

    A block pickles as two bytes objects instead of a tuple of a thousand, which is most of what reading a
    phrase's positions cost. Whoosh's matchers index it like the tuple they expect (`values[i]`), and
    wiredesk's reader takes the buffer whole.
    """

    __slots__ = ("buffer", "counts", "_ends")

    def __init__(self, buffer: bytes, counts: bytes) -> None:
        self.buffer = buffer
        self.counts = counts
        self._ends: list[int] | None = None

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return PackedValues, (self.buffer, self.counts)

    def count_array(self) -> np.ndarray:
        return np.frombuffer(self.counts, dtype="<u2" if self.counts[:1] == b"H" else "<u4", offset=1)

    def __len__(self) -> int:
        return (len(self.counts) - 1) // (2 if self.counts[:1] == b"H" else 4)

    def __getitem__(self, i: int) -> bytes:
        if self._ends is None:
            self._ends = [0, *accumulate(4 * count for count in self.count_array().tolist())]
        return self.buffer[self._ends[i]:self._ends[i + 1]] if i >= 0 else self[len(self) + i]
