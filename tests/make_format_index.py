"""Write the small index checked in under tests/fixtures/format-index/ (see index/FORMAT.md).

    .venv/bin/python tests/make_format_index.py

Run it after any change to the on-disk format or the schema (with a new SCHEMA_VERSION where old indexes can
no longer be read), then commit the folder: `test_index_format.py` opens and queries it, so a change that
makes this version's indexes unreadable, or that answers differently from them, fails the tests.

The index has three segments (the hand-made sample, 60 generated releases, then an update of a sample
release) and a deletion,
acronyms, multi-valued fields, dates and posting lists of both kinds (short ones inlined in the term table,
longer ones in blocks of packed positions).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from indexfixtures import SAMPLE, generated  # noqa: E402

from wiredesk.index import open_index  # noqa: E402

FIXTURE = HERE / "fixtures" / "format-index"


def main() -> None:
    shutil.rmtree(FIXTURE, ignore_errors=True)
    index = open_index(FIXTURE)
    with index.writer() as writer:
        writer.add(SAMPLE)
    with index.writer() as writer:
        writer.add(generated(60))
    with index.writer() as writer:
        writer.add([replace(SAMPLE[5], body="Budget talks ended: the finance ministry will cut customs duties.",
                            content_hash="")])
        writer.delete(["g7"])
    index.close()
    for folder in FIXTURE.glob("v-*"):
        tables = sorted(folder.glob("_MAIN_*.toc"), key=lambda path: int(path.stem.rpartition("_")[2]))
        for stale in tables[:-1]:
            stale.unlink()  # a generation this script's own reader held while it wrote the next one
    for lease in FIXTURE.glob("v-*/readers*.lock"):
        lease.unlink()  # made by opening; a test opens a copy
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
