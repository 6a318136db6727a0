"""wiredesk: press-release and wire-news ingestion and search.

Three layers, each importing only downward: `wiredesk.core` (the `Release` type, config, errors, worker
processes); the stages `wiredesk.ingest`, `wiredesk.index` and `wiredesk.search`; and the application in
this package's own modules (the Python API, the jobs, the CLI).
"""

from pathlib import Path

__version__ = "0.1.0"

# The stage packages are the folders `ingest/`, `index/` and `search/` at the top of a checkout, which an
# install puts inside this package. Run from a checkout (`python -m pytest`, `python -m wiredesk`), Python
# finds this folder before the installed package, so it is told where the stages are.
_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "ingest" / "__init__.py").is_file() and not (Path(__file__).parent / "ingest").exists():
    __path__.append(str(_CHECKOUT))
