"""Write a whole batch of documents as one Whoosh segment: invert with numpy, write each term's list once.

Whoosh's `add_document` sends every posting through a pool (a tuple, a sort, a merge) and then through the
codec one call at a time; for 400-word releases that is most of an import. Here each field of the batch is
inverted at once: its terms become integer ranks, a stable sort groups (term, document) pairs, run lengths
give frequencies, and each term's document numbers, weights and positions are slices of a few arrays,
written by `postings.write_field`. Per document only the stored fields, lengths and columns go through
Whoosh's per-document writer. The opening column (`schema.opening_terms`) is made here too, of the
analysis, like the lengths: carried in each document instead, it was 20 MB more of a 100k import's memory.

The result is the segment `add_document` would make from the same `schema.document_fields` (same terms,
weights, positions, lengths, columns, stored fields) and their openings, so both are read alike. This relies
on whoosh-reloaded 2.7.5's `SegmentWriter`: its `perdocwriter`, and its `fieldwriter` (a W3FieldWriter)
whose private `_postfile`, `_tindex` and `_fieldid` are the postings file, the terms table and the current
field's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np
from whoosh import columns
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import _length_byte_cache
from whoosh.writing import SegmentWriter

from ..analysis import LEAD_WEIGHT
from ..schema import OPENING_TERMS, opening_terms
from ..tokens import LEAD_OF, Analysed, Tokens
from .postings import Values, write_field
from .persisted import ExactField, TermsColumn

__all__ = ["write_segment"]

# The lengths W3's one-byte log scale steps at: `length_to_byte` is a bisection into them, capped at 255
_LENGTH_STEPS = np.asarray(_length_byte_cache, dtype=np.int64)
_LONGEST = 106_374
_RANGE_TOKENS = 1 << 20  # tokens of a text field inverted at a time


@dataclass
class _Inverted:
    """One field's postings for the batch, ordered by term then document."""

    vocabulary: list[str]  # sorted, so the terms table's keys increase
    term: np.ndarray  # per posting: rank in vocabulary
    doc: np.ndarray  # per posting: document number within the batch
    weight: np.ndarray  # float32
    values: Values | None  # for formats that keep values


def _ranks(flat: list[str]) -> tuple[list[str], np.ndarray]:
    # Python's str order is code point order, which is the UTF-8 byte order Whoosh sorts terms in
    vocabulary = sorted(dict.fromkeys(flat))
    rank = {word: i for i, word in enumerate(vocabulary)}
    return vocabulary, np.fromiter(map(rank.__getitem__, flat), dtype=np.int64, count=len(flat))


def _term_ranges(tokens: Tokens) -> list[tuple[int, int]]:
    """Ranges of term ranks [low, high) holding about _RANGE_TOKENS tokens each, in ascending order."""
    if len(tokens.ids) <= _RANGE_TOKENS:
        return [(0, len(tokens.vocabulary))]
    tokens_below = np.cumsum(np.bincount(tokens.ids, minlength=len(tokens.vocabulary)))
    cuts = np.searchsorted(tokens_below, np.arange(_RANGE_TOKENS, len(tokens.ids), _RANGE_TOKENS), side="right")
    bounds = np.unique(np.concatenate(([0], cuts, [len(tokens.vocabulary)]))).tolist()
    return list(zip(bounds[:-1], bounds[1:]))


def _invert_text(tokens: Tokens, leads: Tokens | None, boost: float, low: int, high: int) -> _Inverted:
    """Positions postings of the terms ranked low..high-1: weight = (frequency + LEAD_WEIGHT * count in the
    lead) * boost, as `persisted.PositionsFormat.word_values` gives them."""
    n = len(tokens.counts)
    # int32 where it fits (a batch has far fewer than 2**31 tokens): a 10,000-release batch has millions,
    # and these arrays are the peak of an import's memory
    chosen = np.flatnonzero((tokens.ids >= low) & (tokens.ids < high))
    order = np.argsort(tokens.ids[chosen], kind="stable")  # stable: documents, then positions, stay ascending
    chosen = chosen[order]
    del order
    term = tokens.ids[chosen]
    doc_ends = np.cumsum(tokens.counts)
    doc = np.searchsorted(doc_ends, chosen, side="right").astype(np.int32)
    position = (chosen - (doc_ends - tokens.counts)[doc]).astype("<u4")
    del chosen
    first = (np.flatnonzero(np.concatenate(([True], (term[1:] != term[:-1]) | (doc[1:] != doc[:-1]))))
             if len(term) else np.zeros(0, dtype=np.int64))
    ends = np.append(first[1:], len(term))
    weight = (ends - first).astype(np.float64)
    if leads is not None and len(leads.ids) and len(first):
        rank = {word: i for i, word in enumerate(tokens.vocabulary[low:high], start=low)}
        to_rank = np.array([rank.get(word, -1) for word in leads.vocabulary], dtype=np.int64)
        lead_terms = to_rank[leads.ids]
        lead_keys = (lead_terms * n + np.repeat(np.arange(n, dtype=np.int64), leads.counts))[lead_terms >= 0]
        posted = term[first].astype(np.int64) * n + doc[first]
        where = np.minimum(np.searchsorted(posted, lead_keys), len(posted) - 1)
        where = where[posted[where] == lead_keys]  # a lead word this document's text lacks weighs nothing
        weight += LEAD_WEIGHT * np.bincount(where, minlength=len(posted))
    values = Values(position.tobytes(), np.append(first, len(term)) * 4)
    return _Inverted(tokens.vocabulary, term[first], doc[first], (weight * boost).astype(np.float32), values)


def _invert_exact(field: ExactField, texts: list[str]) -> _Inverted:
    """Existence postings: weight 1, no values."""
    words: list[str] = []
    docs: list[int] = []
    for docnum, text in enumerate(texts):
        keys = field.keys(text)
        words.extend(keys)
        docs.extend([docnum] * len(keys))
    vocabulary, term = _ranks(words)
    doc = np.asarray(docs, dtype=np.int64)
    order = np.lexsort((doc, term))
    return _Inverted(vocabulary, term[order], doc[order], np.ones(len(order), dtype=np.float32), None)


def _write_terms(writer: SegmentWriter, inverted: _Inverted, base: int) -> None:
    """Write postings of the field started on the writer, for terms above any it has written."""
    term = inverted.term
    bounds = np.flatnonzero(np.concatenate(([True], term[1:] != term[:-1], [True])))
    words = [inverted.vocabulary[t] for t in term[bounds[:-1]].tolist()]
    write_field(writer.fieldwriter, words, bounds, inverted.doc + base, inverted.weight, inverted.values)


def write_segment(writer: SegmentWriter, docs: Sequence[dict[str, Any]], analysed: Analysed) -> None:
    """Add documents (`schema.document_fields` dicts, their text fields analysed in `analysed`, in the same
    order) to the writer's new segment. Call at most once per writer, before its commit: the terms table
    takes each field once."""
    if not docs:
        return
    schema = writer.schema
    base = writer.docnum
    _write_documents(writer, docs, analysed)
    # one field inverted at a time, in the terms table's order: a batch's arrays for every field at once
    # would be most of an import's memory
    for name in sorted(schema.names()):
        field = schema[name]
        if not field.indexed:
            continue
        if isinstance(field, ExactField):
            parts: Iterator[_Inverted] = iter([_invert_exact(field, [doc.get(name, "") for doc in docs])])
        else:
            # a range of terms at a time: a whole batch's body at once is an import's largest allocation
            tokens, leads = analysed.fields[name], analysed.fields[LEAD_OF[name]] if name in LEAD_OF else None
            parts = (_invert_text(tokens, leads, field.format.field_boost, low, high)
                     for low, high in _term_ranges(tokens))
        started = False
        for inverted in parts:
            if len(inverted.term):
                if not started:
                    writer.fieldwriter.start_field(name, field)
                    started = True
                _write_terms(writer, inverted, base)
            del inverted
        if started:
            writer.fieldwriter.finish_field()
    writer._added = True


def _write_documents(writer: SegmentWriter, docs: Sequence[dict[str, Any]], analysed: Analysed) -> None:
    """Stored fields, field lengths and columns, each column written whole (W3's per-document writer would
    take one call per value); W3PerDocWriter's `_create_column`/`_get_column` and its `_doccount` and
    `_fieldlengths` are what its own `start_doc`/`add_field` keep."""
    schema = writer.schema
    lengths = {name: analysed.fields[name].counts for name in schema.names()
               if name in analysed.fields and schema[name].scorable}
    perdoc = writer.perdocwriter
    base = writer.docnum
    stored = [name for name in schema.names() if schema[name].stored]
    column = perdoc._get_column("_stored")
    for i, doc in enumerate(docs):
        kept = {name: doc[name] for name in stored if doc.get(name) is not None}
        if kept:
            column.add(base + i, kept)
    for name, counts in lengths.items():
        perdoc._fieldlengths[name] += int(counts.sum())
        length_bytes = np.where(counts >= _LONGEST, 255, np.searchsorted(_LENGTH_STEPS, counts))
        _write_column(perdoc, f"_{name}_len", LENGTHS_COLUMN, length_bytes.tolist(), base)
    for name in schema.names():
        field = schema[name]
        if isinstance(field.column_type, TermsColumn):
            _write_column(perdoc, name, field.column_type, _openings(analysed), base)
        elif field.column_type:
            values = [doc.get(name) for doc in docs]
            _write_column(perdoc, name, field.column_type,
                          [None if value is None else field.to_column_value(value) for value in values], base)
    perdoc._doccount = base + len(docs)
    writer.docnum = base + len(docs)


def _openings(analysed: Analysed) -> Iterator[bytes]:
    """Each document's opening, as the opening column holds it: its terms, a space apart, in UTF-8."""
    title, text = analysed.fields["title"], analysed.fields["body"]
    for head, body in zip(_first_terms(title), _first_terms(text)):
        yield " ".join(opening_terms(head, body)).encode("utf-8")  # a term holds no space


def _first_terms(tokens: Tokens) -> Iterator[list[str]]:
    """Each document's terms, up to the first `schema.OPENING_TERMS` (all an opening takes of a field)."""
    vocabulary = tokens.vocabulary
    starts = np.cumsum(tokens.counts) - tokens.counts
    for start, count in zip(starts.tolist(), np.minimum(tokens.counts, OPENING_TERMS).tolist()):
        yield [vocabulary[rank] for rank in tokens.ids[start:start + count].tolist()]


def _write_column(perdoc, name: str, column: columns.Column, values, base: int) -> None:  # type: ignore[no-untyped-def]
    """Write one column's values for documents base, base + 1, ... (None or the column's default: none)."""
    if not perdoc._has_column(name):
        perdoc._create_column(name, column)
    writer = perdoc._get_column(name)
    if isinstance(column, columns.NumericColumn):
        # fixed-width, big-endian, ended after the last value that is not the default, as its writer leaves it
        default = column._default
        array = np.array([default if v is None else v for v in values], dtype=f">{column._typecode}")
        present = np.flatnonzero(array != default)
        if len(present):
            writer.fill(base)
            writer._dbfile.write(array[:present[-1] + 1].tobytes())
            writer._count = base + int(present[-1]) + 1
        return
    for i, value in enumerate(values):
        if value is not None:
            writer.add(base + i, value)
