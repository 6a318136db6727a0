"""wiredesk's core: what every stage and the application share, importing none of them.

`release` (the `Release` document type), `config` (the config file read into typed objects), `errors` (the
exception tree and exit codes), `urls` (which URLs may be fetched), `files` (replacing a file in one step)
and `workers` (the one worker-process policy). The stages (`wiredesk.ingest`,
`wiredesk.index`, `wiredesk.search`) import only this; the application above them imports everything.
"""
