"""The web app of `wiredesk serve`: the desk's search, releases and sources in a browser, and a JSON API.

A shell over the Python API (`wiredesk.desk.Desk`), like the CLI: it parses parameters, calls the desk and
renders HTML or JSON; it reads the index and the state only through the desk, and writes nothing.
"""

from .app import make_app, serve

__all__ = ["make_app", "serve"]
