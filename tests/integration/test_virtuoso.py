"""Push and query against a second, independent implementation: Virtuoso Open Source 7 (Debian).

The fixture starts ``virtuoso-t +configfile FILE +foreground`` with a copy of the
packaged ``virtuoso.ini`` whose database files live in a temporary folder and whose
SQL and HTTP ports are free ports on 127.0.0.1, waits until ``/sparql`` answers
(about 12 s on a fresh database), and stops it afterwards. A fresh database has the
``dba`` account (password ``dba``). Virtuoso's Graph Store endpoint with
authentication, ``/sparql-graph-crud-auth``, asks for HTTP digest; the fixture adds
``/sparql-basic``, the SPARQL endpoint behind HTTP basic authentication of SQL
users (Virtuoso's ``DB.DBA.HP_AUTH_SQL_USER``), so basic is checked against a real
server as well. (A Graph Store endpoint behind basic authentication stalled on PUT
in Virtuoso 7.2.5, so basic is checked on queries only.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from conftest import concatenations_as_sets, free_port, require_system

import geokg
from geokg.cli import cli
from geokg.errors import RemoteError
from geokg.push import push
from geokg.queries import list_queries, run_query
from geokg.remote import Credentials, HttpClient, run_remote
from geokg.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.slow]

USER, PASSWORD = "dba", "dba"  # the account of a fresh Virtuoso database
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/geokg/\")) } GROUP BY ?g"
BASIC_ENDPOINT = """DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-basic', ppath=>'/!sparql/',
  is_dav=>1, vsp_user=>'dba', ses_vars=>0, opts=>vector('noinherit', 1), is_default_host=>0,
  auth_fn=>'DB.DBA.HP_AUTH_SQL_USER', realm=>'SPARQL', sec=>NULL);
"""


def _set(ini: str, section: str, key: str, value: str) -> str:
    """Set ``key = value`` inside ``[section]`` of an ini text (the packaged file has comments
    and repeated keys, which configparser would not keep)."""
    out, current, done = [], None, False
    for line in ini.splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            current = header.group(1)
        elif current == section and re.match(rf"\s*{re.escape(key)}\s*=", line):
            line, done = f"{key} = {value}", True
        out.append(line)
    assert done, f"[{section}] {key} not found in the packaged virtuoso.ini"
    return "\n".join(out) + "\n"


class Virtuoso:
    def __init__(self, folder: Path) -> None:
        packaged = sorted(Path("/etc").glob("virtuoso-opensource-*/virtuoso.ini"))
        if not shutil.which("virtuoso-t") or not packaged:
            require_system("Virtuoso (virtuoso-t)", "Debian package virtuoso-opensource")
        self.folder, self.sql_port, self.http_port = folder, free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        ini = packaged[-1].read_text()
        for key, name in (("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"),
                          ("LockFile", "virtuoso.lck"), ("TransactionFile", "virtuoso.trx"),
                          ("xa_persistent_file", "virtuoso.pxa")):
            ini = _set(ini, "Database", key, str(folder / name))
        ini = _set(ini, "TempDatabase", "DatabaseFile", str(folder / "virtuoso-temp.db"))
        ini = _set(ini, "TempDatabase", "TransactionFile", str(folder / "virtuoso-temp.trx"))
        ini = _set(ini, "Parameters", "ServerPort", f"127.0.0.1:{self.sql_port}")
        ini = _set(ini, "HTTPServer", "ServerPort", f"127.0.0.1:{self.http_port}")
        self.config = folder / "virtuoso.ini"
        self.config.write_text(ini)
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds = 0.0

    def start(self) -> None:
        started = time.monotonic()
        self.log = (self.folder / "stdout.log").open("wb")
        self.process = subprocess.Popen(["virtuoso-t", "+configfile", str(self.config), "+foreground"],
                                        cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT)
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"virtuoso-t exited with {self.process.returncode}: "
                            f"{(self.folder / 'stdout.log').read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() - started > 120:
                pytest.fail(f"Virtuoso did not answer on {self.url} within 120 s")
            time.sleep(0.25)
        self.startup_seconds = time.monotonic() - started
        isql = shutil.which("isql-vt")
        assert isql, "isql-vt comes with virtuoso-opensource"
        script = self.folder / "basic.sql"
        script.write_text(BASIC_ENDPOINT)
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", USER, PASSWORD, str(script)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "Error" not in done.stdout, done.stdout + done.stderr

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    print(f"Virtuoso online after {server.startup_seconds:.1f} s")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, seed_store: Path) -> Path:
    """The seed build pushed once with digest authentication, through the CLI."""
    result = CliRunner().invoke(cli, ["push", "--graph-store", f"{virtuoso.url}/sparql-graph-crud-auth",
                                      "--user", USER, "--password", PASSWORD, "--auth", "digest",
                                      "--store", str(seed_store), "-q"])
    assert result.exit_code == 0, result.output
    return seed_store


def server_counts(virtuoso: Virtuoso) -> dict[str, int]:
    result = geokg.sparql(COUNTS, endpoint=f"{virtuoso.url}/sparql")
    return {str(g): int(n) for g, n in result.rows}


def local_counts(store_path: Path) -> dict[str, int]:
    with Store.open(store_path, read_only=True) as store:
        return {g: store.triple_count(g) for g in store.graphs()}


def test_virtuoso_push_with_digest_then_again_leaves_the_same_triples(virtuoso: Virtuoso, pushed: Path) -> None:
    assert server_counts(virtuoso) == local_counts(pushed)
    with Store.open(pushed, read_only=True) as store:
        report = push(store, f"{virtuoso.url}/sparql-graph-crud-auth",
                      credentials=Credentials(USER, PASSWORD))  # auth auto: the challenge says digest
    assert report.ok and report.sent == sorted(local_counts(pushed))
    assert report.gzip is False  # Virtuoso 7 cannot read gzip bodies: geokg fell back to plain ones
    assert server_counts(virtuoso) == local_counts(pushed)


def test_virtuoso_refuses_wrong_or_missing_credentials_and_push_names_each_graph(virtuoso: Virtuoso,
                                                                                  pushed: Path) -> None:
    with Store.open(pushed, read_only=True) as store:
        graphs = store.graphs()
        wrong = push(store, f"{virtuoso.url}/sparql-graph-crud-auth", credentials=Credentials(USER, "wrong"))
        anonymous = push(store, f"{virtuoso.url}/sparql-graph-crud", retries=0)
    assert [e.graph for e in wrong.failed] == graphs and {e.status for e in wrong.failed} == {401}
    assert "check --user/--password" in str(wrong.failed[0])
    assert [e.graph for e in anonymous.failed] == graphs and {e.status for e in anonymous.failed} == {403}
    assert server_counts(virtuoso) == local_counts(pushed)  # nothing was changed by the refused PUTs


# Where Virtuoso 7.2.5 evaluates a stored query differently from Oxigraph (seen here; some
# differences vary from run to run):
# - co-mentions orders each pair with BIND(IF(?label1 <= ?label2, …)) after three
#   subqueries; Virtuoso sometimes swaps pairs, though it evaluates the comparison right
#   on its own. The pairs and counts agree, so they are compared unordered.
# - GROUP_CONCAT's order is not defined by SPARQL: those cells are compared as sets
#   (conftest.CONCATENATED).
# - the queries in VIRTUOSO_WRONG give other rows; each says what was seen.
UNORDERED_PAIRS = {"co-mentions"}
VIRTUOSO_WRONG = {
    "statements": "Virtuoso 7.2.5 returns no rows in some runs once the graphs were PUT a second time "
                  "(the query's parts, counted one by one, give the 7 statements)",
}
# Compared here and equal. A stored query added later that differs on Virtuoso is reported
# as xfail with its name, to be looked at and listed in one of these two places.
CHECKED = {"articles", "co-mentions", "commodity-flows", "commodity-timeline", "country-activity",
           "disagreements", "entities", "entity-articles", "event-reports", "events", "mentions", "offers",
           "outlets-per-event", "rankings", "reserves-rank", "sanctions-and-restrictions", "timeline"}


def comparable(name: str, columns: tuple[str, ...], rows: list[tuple]) -> Counter:
    rows = concatenations_as_sets(name, columns, rows)
    if name in UNORDERED_PAIRS:
        return Counter((frozenset(row[:2]), *row[2:]) for row in rows)
    return Counter(rows)


@pytest.mark.parametrize("name", [
    pytest.param(q.name, marks=pytest.mark.xfail(reason=VIRTUOSO_WRONG[q.name], strict=False))
    if q.name in VIRTUOSO_WRONG else q.name for q in list_queries()])
def test_virtuoso_stored_query_gives_the_local_rows(virtuoso: Virtuoso, pushed: Path, name: str) -> None:
    endpoint = f"{virtuoso.url}/sparql"
    stored = next(q for q in list_queries() if q.name == name)
    cases: list[dict[str, str]] = [{}]
    with Store.open(pushed, read_only=True) as store:
        local = run_query(store, name)
        for param in stored.params:  # one real value per parameter, bound in the text sent
            value = next((str(row[param.name]) for row in local.as_dicts() if row[param.name] is not None), None)
            if value is not None:
                cases.append({param.name: value})
        for params in cases:
            expected = run_query(store, name, params)
            remote = geokg.query(name, params, endpoint=endpoint)
            assert remote.columns == expected.columns
            assert expected.rows or not params, params
            same = comparable(name, remote.columns, remote.rows) == comparable(name, expected.columns, expected.rows)
            if not same and name not in CHECKED | set(VIRTUOSO_WRONG):
                pytest.xfail(f"{name} {params or ''} gives other rows on Virtuoso and was not compared before: "
                             "list it in VIRTUOSO_WRONG with what you see, or make the query portable")
            assert same, (params, remote.rows[:3], expected.rows[:3])


def test_virtuoso_basic_and_digest_authentication_on_queries(virtuoso: Virtuoso, pushed: Path) -> None:
    endpoint = f"{virtuoso.url}/sparql-basic"
    ask = "ASK { GRAPH <https://w3id.org/geokg/graph/reference> { ?s ?p ?o } }"
    for auth in ("basic", "auto"):  # auto: the challenge of this endpoint says Basic
        assert geokg.sparql(ask, endpoint=endpoint, credentials=Credentials(USER, PASSWORD, auth=auth)) is True
    for path, scheme in (("/sparql-basic", "basic"), ("/sparql-auth", "digest")):  # auto follows the challenge
        with HttpClient(Credentials(USER, PASSWORD)) as client:
            assert run_remote(f"{virtuoso.url}{path}", ask, client=client) is True
            assert client.scheme == scheme
    with pytest.raises(RemoteError, match="HTTP 401") as refused:
        geokg.sparql(ask, endpoint=endpoint, credentials=Credentials(USER, "wrong", auth="basic"))
    assert refused.value.status == 401
    with pytest.raises(RemoteError, match="HTTP 401"):
        geokg.sparql(ask, endpoint=endpoint)
    result = CliRunner().invoke(cli, ["query", "offers", "--endpoint", endpoint, "--user", USER,
                                      "--password", PASSWORD, "--format", "csv"])
    here = CliRunner().invoke(cli, ["query", "offers", "--store", str(pushed), "--format", "csv"])
    assert result.exit_code == 0 and sorted(result.output.splitlines()) == sorted(here.output.splitlines())
