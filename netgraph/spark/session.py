"""A Spark session that starts quietly, or one clear line saying why it cannot.

Spark runs in a Java virtual machine that pyspark launches. Everything it would print (log4j's
lines, the JVM's own warnings, stage progress bars) goes to a log file in a temporary folder, at
level WARN, and never to the terminal: the commands show their own progress
(:mod:`netgraph.spark.progress`). The session reads and writes timestamps in UTC
(``spark.sql.session.timeZone``), so the store's naive timestamps keep their values, and a local
master binds to ``127.0.0.1`` (``SPARK_LOCAL_IP``).

What can go wrong before any work starts is checked first and said in one line: pyspark or
sqlglot not installed, no Java, a ``spark://`` master that does not answer.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import socket
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from netgraph._errors import EngineError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "INSTALL", "failures", "java_command", "require", "session", "start",
           "stop"]

log = logging.getLogger(__name__)

#: The master when none is given: Spark in this process's machine, on every core.
DEFAULT_MASTER = "local[*]"
#: What to run when the optional extra is missing.
INSTALL = "pip install 'netgraph[spark]'"
#: What to run when Java is missing.
JAVA_FIX = ("install Java 17 (Debian: apt-get install openjdk-17-jre-headless, or "
            "sh scripts/ensure-java.sh) or set JAVA_HOME")
#: Seconds to wait for a ``spark://`` master to accept a connection.
CONNECT_TIMEOUT = 5.0

#: pyspark's Python loggers, silenced: an error reaches the user as one line, never as a log record.
_PYTHON_LOGGERS = ("SQLQueryContextLogger", "py4j", "pyspark")

_LOG4J = """\
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{{HH:mm:ss}} %p %c{{1}}: %m%n
"""


def require(name: str) -> ModuleType:
    """Import ``name`` (pyspark or sqlglot), or say in one line how to install the extra."""
    # pyspark 4 warns, on import, that it does not fully support pandas 3: netgraph never hands
    # Spark a pandas frame (Parquet goes in and out), so the warning says nothing to its users
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                            category=FutureWarning)
    try:
        return importlib.import_module(name)
    except ImportError:
        msg = f"{name} is not installed; Spark support is an optional extra: {INSTALL}"
        raise EngineError(msg) from None


def java_command() -> str:
    """The ``java`` that pyspark will run: ``$JAVA_HOME/bin/java``, else the one on the PATH."""
    home = os.environ.get("JAVA_HOME")
    found = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not found or not os.access(found, os.X_OK):
        where = f"JAVA_HOME={home} holds no bin/java" if home else "no java on the PATH"
        msg = f"Spark needs Java, and there is none here ({where}): {JAVA_FIX}"
        raise EngineError(msg)
    return found


def _check_master(master: str) -> None:
    """Fail early, in one line, when a ``spark://`` master does not accept connections."""
    if not master.startswith("spark://"):
        return
    for address in master[len("spark://"):].split(","):
        parts = urlsplit(f"//{address}")
        host, port = parts.hostname, parts.port or 7077
        try:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
                return
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            last = f"{host}:{port} ({reason})"
    msg = (f"cannot reach the Spark master {master}: {last}. Check --master, or leave it out "
           "to run Spark on this machine")
    raise EngineError(msg)


def _conf(master: str, partitions: int | None, folder: Path) -> dict[str, str]:
    """The session's settings: UTC, quiet, log4j to a file in ``folder``."""
    log4j = folder / "log4j2.properties"
    log4j.write_text(_LOG4J.format(log=folder / "spark.log"), encoding="utf-8")
    local = master.startswith("local")
    conf = {
        "spark.master": master,
        "spark.app.name": "netgraph",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{log4j}",
        "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
        "spark.local.dir": str(folder),
    }
    if local:
        cores = os.cpu_count() or 2
        conf["spark.sql.shuffle.partitions"] = str(partitions or max(2, 2 * cores))
        conf["spark.driver.memory"] = os.environ.get("NETGRAPH_SPARK_MEMORY", "2g")
    elif partitions:
        conf["spark.sql.shuffle.partitions"] = str(partitions)
    return conf


def start(master: str | None = None, *, partitions: int | None = None) -> SparkSession:
    """Start (or reuse) a Spark session; :func:`stop` ends it.

    Parameters
    ----------
    master : str, optional
        Where Spark runs: ``local[N]`` (this machine, N cores), ``spark://host:7077``, ``yarn``...
        Default: :data:`DEFAULT_MASTER`.
    partitions : int, optional
        Shuffle partitions (``spark.sql.shuffle.partitions``); default two per local core, or
        the cluster's own setting.

    Raises
    ------
    EngineError
        pyspark is not installed, Java is missing, or the master cannot be reached.
    """
    require("sqlglot")
    pyspark = require("pyspark")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or DEFAULT_MASTER
    java_command()
    _check_master(master)
    if master.startswith("local"):
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    folder = Path(tempfile.mkdtemp(prefix="netgraph-spark-"))
    conf = pyspark.SparkConf().setAll(list(_conf(master, partitions, folder).items()))
    logfile = folder / "spark.log"
    try:
        from pyspark.java_gateway import launch_gateway

        with logfile.open("ab") as sink:  # the JVM's own stdout and stderr: into the log
            gateway = launch_gateway(conf, popen_kwargs={"stdout": sink, "stderr": sink})
        context = pyspark.SparkContext(conf=conf, gateway=gateway)
    except Exception as exc:  # the JVM did not start, or the master refused the application
        raise EngineError(_failure(master, exc, logfile)) from None
    context.setLogLevel("WARN")
    for name in _PYTHON_LOGGERS:  # pyspark's own Python loggers print Java errors as JSON
        logging.getLogger(name).setLevel(logging.CRITICAL)
    spark = SparkSession(context)
    spark._netgraph_folder = folder  # type: ignore[attr-defined]  # removed by stop()
    log.info("Spark %s started on %s (log: %s)", spark.version, master, logfile)
    return spark


def _failure(master: str, exc: Exception, logfile: Path) -> str:
    """One line on why the session did not start, with the last error the log holds."""
    last = ""
    with contextlib.suppress(OSError):
        lines = [x for x in logfile.read_text(encoding="utf-8", errors="replace").splitlines()
                 if "ERROR" in x or "Exception" in x or "Error:" in x]
        last = lines[-1].strip()[:200] if lines else ""
    first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return (f"Spark could not start on {master}: {last or first}. Check --master and Java "
            f"({JAVA_FIX}); Spark's log: {logfile}")


@contextlib.contextmanager
def failures(spark: SparkSession | None = None) -> Iterator[None]:
    """Turn an error inside Spark (a failed job, a lost executor) into one :class:`EngineError` line."""
    try:
        yield
    except EngineError:
        raise
    except Exception as exc:
        module = type(exc).__module__
        if not module.startswith(("pyspark", "py4j")):
            raise
        text = str(exc).strip()
        first = text.splitlines()[0][:300] if text else type(exc).__name__
        folder = getattr(spark, "_netgraph_folder", None) if spark is not None else None
        where = f"; Spark's log: {folder / 'spark.log'}" if folder is not None else ""
        msg = f"Spark failed: {first}{where}"
        raise EngineError(msg) from None


def stop(spark: SparkSession) -> None:
    """Stop the session and remove its temporary folder (log included)."""
    folder = getattr(spark, "_netgraph_folder", None)
    spark.stop()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def session(master: str | None = None, *, partitions: int | None = None) -> Iterator[SparkSession]:
    """A Spark session for the block (see :func:`start`), stopped after it."""
    spark = start(master, partitions=partitions)
    try:
        yield spark
    finally:
        stop(spark)
