"""Stage 3, identity: who is who.

Resolves the references in imported rows (ids, emails, phones, profile URLs, names) to people
(:mod:`~netgraph.identity.resolver`) and writes the people a batch names
(:mod:`~netgraph.identity.people`); reads a person the user names on the command line or in the
API, one way for every command (:func:`~netgraph.identity.lookup.resolve_person`); records
merges and undoes them (:mod:`~netgraph.identity.merge`, :mod:`~netgraph.identity.unmerge`,
with the one union-find and the pairs kept apart in :mod:`~netgraph.identity.links`); suggests
likely duplicates (:mod:`~netgraph.identity.dedupe`); and records who "me" is, the team and the
home region (:mod:`~netgraph.identity.settings`). Reads and writes the store inside the
caller's transaction or its own (:meth:`~netgraph.store.database.Store.transaction`).

May import: :mod:`netgraph.store`, :mod:`netgraph._errors`, :mod:`netgraph.normalise`.
"""
