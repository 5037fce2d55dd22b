"""netgraph: local-first analysis of referral networks.

The pipeline shows in the package names, one stage each: ``sources`` (parse files) ->
``ingest`` (validate, resolve people with ``identity``, write a batch) -> ``store`` (DuckDB) ->
``ties`` (per-pair features in SQL, the pure strength model) -> ``graph`` (NetworkX projection)
-> ``analytics`` (pure analyses) -> ``report`` (HTML, exports) -> ``cli``. :mod:`netgraph.api`
joins the store to the analyses; this module re-exports the public names.

>>> import netgraph as ng
>>> with ng.open_store(":memory:") as store:
...     ng.load_graph(store).number_of_nodes()
0
"""

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
from netgraph.analytics.paths.plan import plan_introductions
from netgraph.analytics.paths.warm import team_paths, warm_paths
from netgraph.api import (
    connectors,
    dormant,
    explain_tie,
    intro,
    ledger,
    neglected,
    plan,
    roles,
    weak_ties,
)
from netgraph.graph.projection import load_graph, summary
from netgraph.identity.lookup import resolve_person
from netgraph.identity.settings import set_home_region, set_me, set_team
from netgraph.ingest.batch import ImportResult, import_file, import_files
from netgraph.report.html import build_report, render_report, write_report
from netgraph.sample.dataset import generate as generate_sample
from netgraph.sample.dataset import write as write_sample
from netgraph.store.database import Store, open_store
from netgraph.store.listings import batches, people, rejects
from netgraph.ties.features import pair_features

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
    "batches",
    "build_report",
    "connectors",
    "dormant",
    "explain_tie",
    "generate_sample",
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
    "set_me",
    "set_team",
    "summary",
    "team_paths",
    "warm_paths",
    "weak_ties",
    "write_report",
    "write_sample",
]
