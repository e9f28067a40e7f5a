"""Start-up stays lazy: what a fresh interpreter imports for `import geokg`, `--help` and a stored query.

Each check runs in a new process (this one has imported everything already) and
reads ``sys.modules``: no timing, so the checks hold on a loaded machine.
bench/startup.py measures the times.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

import geokg
from geokg import api, crossdoc
from geokg.cli import cli
from geokg.rdf.iris import graph_iri
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"
ARTICLES = ("2024-03-04-chile-copper-offer", "2024-03-10-japan-copper-imports")
# What only building, validating, drawing or talking HTTP needs.
HEAVY = ("spacy", "rdflib", "pyshacl", "networkx", "requests", "tqdm")
MARK = "heavy modules loaded:"


def run_fresh(code: str) -> tuple[str, list[str]]:
    """Run ``code`` in a new interpreter; its stdout, and the HEAVY packages it had imported at the end."""
    probe = ("import sys\ntry:\n" + "".join(f"    {line}\n" for line in code.splitlines())
             + "except SystemExit as done:\n    assert done.code in (0, None), f'exit {done.code}'\n"
             + f"print({MARK!r}, *sorted(name for name in {HEAVY!r} if name in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    output, _, last = done.stdout.rstrip("\n").rpartition("\n")
    assert last.startswith(MARK), done.stdout
    return output, last[len(MARK):].split()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written articles of tests/data/store/ with the reference graph, on disk."""
    path = tmp_path_factory.mktemp("startup") / "geokg.db"
    with Store.open(path) as store:
        store.load_reference(Graph().parse(DATA / "reference.ttl"))
        for article in ARTICLES:
            store.replace_graph(graph_iri(article), Graph().parse(DATA / f"{article}.ttl"))
        crossdoc.refresh(store)
    return path


def test_startup_import_geokg_and_the_cli_load_no_heavy_library() -> None:
    _, loaded = run_fresh("import geokg, geokg.api, geokg.cli\nassert callable(geokg.cli.main)")
    assert loaded == []


def test_startup_help_of_every_command_loads_no_heavy_library() -> None:
    code = ("from geokg.cli import cli, main\n"
            "for args in [['--help'], *([name, '--help'] for name in sorted(cli.commands))]:\n"
            "    try:\n"
            "        main(args)\n"
            "    except SystemExit as done:\n"
            "        assert done.code == 0, (args, done.code)")
    output, loaded = run_fresh(code)
    assert loaded == []
    assert output.count("Usage: geokg") == 1 + len(cli.commands)


def test_startup_stored_query_from_the_cli_runs_on_pyoxigraph_alone(store_path: Path) -> None:
    output, loaded = run_fresh(f"from geokg.cli import main\nmain(['query', 'offers', '--store', {str(store_path)!r}, "
                               "'--format', 'csv'])")
    assert loaded == []
    assert output.splitlines()[1].startswith(f"{ARTICLES[0]},Chile,Copper,Japan,2024-03-03,")


def test_startup_stored_query_from_python_runs_on_pyoxigraph_alone(store_path: Path) -> None:
    output, loaded = run_fresh(f"import geokg\nfrom pathlib import Path\n"
                               f"result = geokg.query('offers', settings=geokg.Settings(store=Path({str(store_path)!r})))\n"
                               "print(len(result.rows))")
    assert loaded == []
    assert output == "2"


def test_startup_verbs_stay_verbs_when_their_namesake_modules_are_imported() -> None:
    # geokg/validate.py, export.py and push.py share the verbs' names; importing them must not hide the verbs.
    import geokg.export
    import geokg.push
    import geokg.validate  # noqa: F401

    assert (geokg.validate, geokg.export, geokg.push) == (api.validate, api.export, api.push)
    from geokg import validate

    assert validate is api.validate
    assert geokg.store.Store is Store  # submodules stay reachable as attributes
    assert set(geokg.__all__) <= set(dir(geokg))
    with pytest.raises(AttributeError, match="module 'geokg' has no attribute 'nope'"):
        geokg.nope  # noqa: B018
