"""Stage 3, identity: who is who.

Resolves references (ids, emails, phones, profile URLs, names) to people
(:mod:`~netgraph.identity.resolver`), creates the people a batch names
(:mod:`~netgraph.identity.people`), records merges and undoes them
(:mod:`~netgraph.identity.merge`, :mod:`~netgraph.identity.unmerge`), suggests likely duplicates
(:mod:`~netgraph.identity.dedupe`), and records who "me" is, the team and the home region
(:mod:`~netgraph.identity.settings`). Reads and writes the store inside the caller's transaction
or its own.

May import: :mod:`netgraph.store`, :mod:`netgraph.sources` (the ParsedFile contract),
:mod:`netgraph._errors`, :mod:`netgraph.normalise`.
"""
