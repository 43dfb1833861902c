"""The national demo data set, apart from the production code: one module per domain and the commands
`revive demo-data` (the registry, then cases, loans, plans and targets built on it), `revive demo`
(the demo users) and `revive demo-notices` (something due now for each of them).

The demo may import every app; no app imports the demo (core/tests/test_import_graph.py). Where a
generator writes what a service would have written, it calls the service's own bulk path.
"""
