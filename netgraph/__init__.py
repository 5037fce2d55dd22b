"""netgraph: local-first analysis of referral networks.

The pipeline shows in the package names, one stage each: ``sources`` (parse files) ->
``ingest`` (validate, resolve people with ``identity``, write a batch) -> ``store`` (DuckDB) ->
``ties`` (per-pair features in SQL, the pure strength model) -> ``graph`` (NetworkX projection)
-> ``analytics`` (pure analyses) -> ``report`` (HTML, exports) -> ``cli``. :mod:`netgraph.api`
joins the store to the analyses; this module re-exports the public names.

The errors load with the package; every other public name loads from its module the first time
it is used (:func:`__getattr__`), so ``import netgraph`` and the ``netgraph`` command stay quick.

>>> import netgraph as ng
>>> with ng.open_store(":memory:") as store:
...     ng.load_graph(store).number_of_nodes()
0
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from netgraph._errors import (
    AmbiguousPerson,
    InputFileError,
    NetgraphError,
    NotConfiguredError,
    NoTieError,
    OutputError,
    PersonNotFound,
    SchemaVersionError,
    StoreError,
    StoreLockedError,
)

if TYPE_CHECKING:  # what type checkers and editors see; at run time these load on first use
    from netgraph.analytics.paths.plan import plan_introductions
    from netgraph.analytics.paths.warm import team_paths, warm_paths
    from netgraph.api import (
        agenda,
        brief,
        close_followup,
        connectors,
        dormant,
        explain_tie,
        followups,
        give,
        intro,
        ledger,
        neglected,
        plan,
        roles,
        triage,
        trip,
        weak_ties,
    )
    from netgraph.graph.projection import load_graph, summary
    from netgraph.identity.lookup import resolve_person
    from netgraph.identity.settings import set_home_region, set_market, set_me, set_team
    from netgraph.ingest.batch import ImportResult, import_file, import_files
    from netgraph.report.html import build_report, render_report, write_report
    from netgraph.sample.dataset import generate as generate_sample
    from netgraph.sample.dataset import write as write_sample
    from netgraph.store.database import Store, open_store
    from netgraph.store.listings import batches, people, rejects
    from netgraph.ties.features import pair_features

#: Each lazily loaded public name: the module that defines it, and its name there.
_LAZY: dict[str, tuple[str, str]] = {
    "plan_introductions": ("netgraph.analytics.paths.plan", "plan_introductions"),
    "team_paths": ("netgraph.analytics.paths.warm", "team_paths"),
    "warm_paths": ("netgraph.analytics.paths.warm", "warm_paths"),
    **{name: ("netgraph.api", name) for name in (
        "agenda", "brief", "close_followup", "connectors", "dormant", "explain_tie", "followups",
        "give", "intro", "ledger", "neglected", "plan", "roles", "triage", "trip", "weak_ties")},
    "load_graph": ("netgraph.graph.projection", "load_graph"),
    "summary": ("netgraph.graph.projection", "summary"),
    "resolve_person": ("netgraph.identity.lookup", "resolve_person"),
    "set_home_region": ("netgraph.identity.settings", "set_home_region"),
    "set_market": ("netgraph.identity.settings", "set_market"),
    "set_me": ("netgraph.identity.settings", "set_me"),
    "set_team": ("netgraph.identity.settings", "set_team"),
    "ImportResult": ("netgraph.ingest.batch", "ImportResult"),
    "import_file": ("netgraph.ingest.batch", "import_file"),
    "import_files": ("netgraph.ingest.batch", "import_files"),
    "build_report": ("netgraph.report.html", "build_report"),
    "render_report": ("netgraph.report.html", "render_report"),
    "write_report": ("netgraph.report.html", "write_report"),
    "generate_sample": ("netgraph.sample.dataset", "generate"),
    "write_sample": ("netgraph.sample.dataset", "write"),
    "Store": ("netgraph.store.database", "Store"),
    "open_store": ("netgraph.store.database", "open_store"),
    "batches": ("netgraph.store.listings", "batches"),
    "people": ("netgraph.store.listings", "people"),
    "rejects": ("netgraph.store.listings", "rejects"),
    "pair_features": ("netgraph.ties.features", "pair_features"),
}

__all__ = [
    "AmbiguousPerson",
    "ImportResult",
    "InputFileError",
    "NetgraphError",
    "NoTieError",
    "NotConfiguredError",
    "OutputError",
    "PersonNotFound",
    "SchemaVersionError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "agenda",
    "batches",
    "brief",
    "build_report",
    "close_followup",
    "connectors",
    "dormant",
    "explain_tie",
    "followups",
    "generate_sample",
    "give",
    "import_file",
    "import_files",
    "intro",
    "ledger",
    "load_graph",
    "neglected",
    "open_store",
    "pair_features",
    "people",
    "plan",
    "plan_introductions",
    "rejects",
    "render_report",
    "resolve_person",
    "roles",
    "set_home_region",
    "set_market",
    "set_me",
    "set_team",
    "summary",
    "team_paths",
    "triage",
    "trip",
    "warm_paths",
    "weak_ties",
    "write_report",
    "write_sample",
]


def __getattr__(name: str) -> Any:
    """Load the public name ``name`` from its module on first use, and keep it here after.

    Parameters
    ----------
    name
        A name of ``__all__`` that is not loaded yet.

    Returns
    -------
    Any
        The function or class of that name.

    Raises
    ------
    AttributeError
        When ``name`` is not a public name of netgraph (nor a submodule being imported).
    """
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg) from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily loaded public names among them."""
    return sorted(set(globals()) | set(__all__))
