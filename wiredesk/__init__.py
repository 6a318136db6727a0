"""wiredesk: press-release and wire-news ingestion and search.

The application shell: the `Release` type, config, errors and the CLI. The work is done by the three stage
packages beside it, `ingest`, `index` and `search`.
"""

__version__ = "0.1.0"
