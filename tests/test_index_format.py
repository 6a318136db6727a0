"""The on-disk format holds: an index written by this version (checked in under fixtures/format-index, made by
`make_format_index.py`) opens and answers as it did, its schema is the one this version writes, and every
class it pickles is listed in index/FORMAT.md. A format change that forgets the version, the reindex message
or the new checked-in index fails here."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.filedb.structfile
import whoosh.index
from whoosh.index import open_dir

from wiredesk.core.errors import StorageError
from wiredesk.index import SCHEMA_VERSION, open_index
from wiredesk.index.analysis import terms
from wiredesk.index.backend import whoosh_schema
from wiredesk.index.schema import OPENING_TERMS, opening_terms, text_values
from wiredesk.search import SearchRequest, run

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "format-index"
FORMAT = HERE.parent / "index" / "FORMAT.md"
REGENERATE = "regenerate it with `.venv/bin/python tests/make_format_index.py` (see index/FORMAT.md)"


@pytest.fixture
def copy(tmp_path) -> Path:
    """The checked-in index, copied: opening an index writes its reader lease file."""
    shutil.copytree(FIXTURE, tmp_path / "index")
    return tmp_path / "index"


def _folder(root: Path) -> Path:
    return root / (root / "CURRENT").read_text().strip()


def ids(index, query: str) -> list[str]:
    return sorted(hit.id for hit in run(index, SearchRequest(query=query, limit=100)).hits)


def test_the_checked_in_index_is_of_this_version():
    assert (_folder(FIXTURE) / "SCHEMA_VERSION").read_text().strip() == str(SCHEMA_VERSION), REGENERATE


def test_the_checked_in_index_has_the_schema_this_version_writes():
    assert open_dir(str(_folder(FIXTURE))).schema == whoosh_schema(), f"the schema changed: {REGENERATE}"


def test_the_checked_in_index_opens_and_answers(copy):
    index = open_index(copy, create=False)
    assert index.document_count() == 65 and len(index.segments()) == 3
    assert ids(index, '"solar power"') == ["t1", "t2"]
    assert ids(index, "SIDM") == ["t4", "t5"]  # the acronym table
    assert ids(index, 'people:"rajesh kumar singh"') == ["t1", "t2"]
    assert ids(index, "customs") == ["t6"]  # the update replaced the stored version
    assert ids(index, '"minister defence"') == ["g28"]
    assert ids(index, "title:budget") == ["g3", "g41", "g54"]
    assert ids(index, "published:[2025-04-01 TO 2025-04-30]") == ["g12", "g21", "g3", "g30", "g39", "g48", "g57",
                                                                  "t1", "t2"]
    totals = {query: run(index, SearchRequest(query=query)).total
              for query in ("solar power", "agency:PIB", "country:india wheat", "turb*", "vaccin~", "harbour NOT port")}
    assert totals == {"solar power": 39, "agency:PIB": 15, "country:india wheat": 17, "turb*": 44, "vaccin~": 39,
                      "harbour NOT port": 15}
    facets = run(index, SearchRequest(query="solar power", facets=("agency", "month"), facet_limit=3)).facets
    assert facets["agency"] == [("ANI", 11), ("PIB", 8), ("Reuters", 8)]
    assert index.get("g7") is None  # deleted
    release = index.get("t4")
    assert release.acronyms == {"SIDM": "Society of Indian Defence Manufacturers"}
    assert release.dateline.city == "New Delhi" and release.published.isoformat() == "2025-03-15T00:00:00+00:00"
    index.close()


def test_each_release_s_opening_is_read_back_analysed(copy):
    index = open_index(copy, create=False)
    for docnum in (0, 7, 64):  # one in each segment
        release = index.release_at(docnum)
        title, (_, text) = terms(release.title), text_values(release)["body"]
        assert index.opening_at(docnum) == opening_terms(title, terms(text))
    lengths = [len(index.opening_at(docnum)) for docnum in range(65)]
    assert max(lengths) == OPENING_TERMS and min(lengths) > 0
    index.close()


def _listed_classes() -> set[str]:
    """The class paths FORMAT.md lists (in backticks, as `module.Name`), in its section of pickled classes."""
    text = FORMAT.read_text(encoding="utf-8")
    section = text[text.index("## Pickled classes"):]
    section = section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section
    return set(re.findall(r"`((?:wiredesk|whoosh|array|builtins|collections|_codecs)\.[\w.]+)`", section))


class _Recorder(pickle.Unpickler):
    found: set[str] = set()

    def find_class(self, module: str, name: str):  # type: ignore[no-untyped-def]
        _Recorder.found.add(f"{module}.{name}")
        return super().find_class(module, name)


def _recording_loads(data, *args, **kwargs):  # type: ignore[no-untyped-def]
    import io

    return _Recorder(io.BytesIO(bytes(data)), *args, **kwargs).load()


def _recording_load(file, *args, **kwargs):  # type: ignore[no-untyped-def]
    return _Recorder(file, *args, **kwargs).load()


def test_every_class_the_index_pickles_is_listed_in_format_md(monkeypatch):
    """Read everything the checked-in index holds through stock Whoosh, noting each class a pickle names."""
    _Recorder.found = set()
    monkeypatch.setattr(whoosh.index.pickle, "loads", _recording_loads)
    monkeypatch.setattr(whoosh.filedb.structfile, "load_pickle", _recording_load)
    monkeypatch.setattr(whoosh.codec.whoosh3, "loads", _recording_loads)
    monkeypatch.setattr(whoosh.columns, "loads", _recording_loads)
    with open_dir(str(_folder(FIXTURE))).searcher() as searcher:
        reader = searcher.reader()
        for fieldname, text in reader.all_terms():
            postings = reader.postings(fieldname, text)
            values = "positions" if reader.schema[fieldname].format.supports("positions") else "weight"
            list(postings.items_as(values))
        list(reader.all_stored_fields())
    ours = {path for path in _Recorder.found if path.startswith("wiredesk.")}
    assert ours == {path for path in _listed_classes() if path.startswith("wiredesk.")}, \
        "FORMAT.md must list exactly the wiredesk classes an index pickles"
    assert _Recorder.found <= _listed_classes() | {"builtins.set", "builtins.frozenset", "builtins.dict"}, \
        sorted(_Recorder.found - _listed_classes())


def test_an_index_whose_classes_cannot_be_found_is_refused_with_one_line(copy):
    toc = next(_folder(copy).glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes().replace(b"wiredesk.index.backend.persisted", b"wiredesk.index.backend.persisten"))
    with pytest.raises(StorageError, match="cannot open the index at .*run `wiredesk reindex`"):
        open_index(copy, create=False)


@pytest.mark.parametrize("count", [5, 40_000])  # past 32,768 values Whoosh writes the offsets too
def test_stored_records_are_found_as_whoosh_writes_them(tmp_path, count):
    import zlib

    from whoosh.codec.whoosh3 import STORED_COLUMN
    from whoosh.filedb.filestore import FileStorage

    from wiredesk.index.backend.reading import value_bounds

    storage = FileStorage(str(tmp_path))
    records = [{"doc": f"release {n} " * (n % 7)} if n % 5 else None for n in range(count)]
    out = storage.create_file("stored.col")
    writer = STORED_COLUMN.writer(out)
    for n, record in enumerate(records):
        if record is not None:  # a document without a record has no value
            writer.add(n, record)
    writer.finish(count)
    out.close()
    data = (tmp_path / "stored.col").read_bytes()
    starts, lengths = value_bounds(data, count)
    for n in (0, 1, 2, 3, count // 2 + 1, count - 1):
        value = data[starts[n]:starts[n] + lengths[n]]
        assert (pickle.loads(zlib.decompress(value)) if value else None) == records[n], n
