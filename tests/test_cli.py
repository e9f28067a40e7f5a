"""The click CLI in process: exit codes 0/1/2, summary lines, output formats, coded errors.

Success paths go through ``CliRunner`` on ``geokg.cli.cli``. Error paths call
``geokg.cli.main`` (which maps ``GeokgError`` to ``Error: [GKnnn] …`` and exit 2)
and read stdout/stderr with ``capsys``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from geokg.cli import cli, main

CHILE = "date 2024-06-12 Chile offered to sell copper to Japan on Monday, Reuters reports.\n"
CONTRACT = ["mentions", "events", "offers", "reserves-rank", "statements"]
DATA = Path(__file__).resolve().parent / "data"
# rdflib 7.x's Dataset.parse (used by ``geokg validate FILE``) warns about its own deprecated internals.
RDFLIB_DATASET_PARSE = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning")


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``geokg ARGS`` through ``main``: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as done:
        main(args)
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small article built once for the module; the store is only read afterwards."""
    folder = tmp_path_factory.mktemp("cli-input")
    (folder / "chile.txt").write_text(CHILE, encoding="utf-8")
    store = tmp_path_factory.mktemp("cli-store") / "geokg.db"
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return store


# -- build ------------------------------------------------------------------
@pytest.mark.slow
def test_build_one_seed_file_prints_the_summary(tmp_path: Path) -> None:
    (tmp_path / "chile.txt").write_text(CHILE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "chile.txt"), "--store", str(tmp_path / "db"), "-q"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "articles loaded: 1" in lines
    assert any(line.startswith("triples loaded: ") and int(line.split(": ")[1]) > 0 for line in lines)
    assert "events: Offer 1" in lines
    assert "violations: 0" in lines
    assert "failures: 0" in lines


@pytest.mark.slow
def test_build_lists_a_bad_file_and_still_loads_the_good_one(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "chile.txt").write_text(CHILE, encoding="utf-8")
    (folder / "bad.txt").write_text("dated 12 June\nChile offered copper.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(tmp_path / "db"), "-q"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "articles loaded: 1" in lines
    assert "failures: 1" in lines
    failure = lines[lines.index("failures: 1") + 1]
    assert "bad.txt" in failure and "[GK101]" in failure and "dated 12 June" in failure


@pytest.mark.slow
def test_build_with_an_event_model_folder_that_is_no_trigger_model_exits_2_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import spacy

    (tmp_path / "chile.txt").write_text(CHILE, encoding="utf-8")
    spacy.blank("en").to_disk(tmp_path / "blank")
    monkeypatch.setenv("GEOKG_EVENT_MODEL", str(tmp_path / "blank"))
    code, out, err = run_main(["build", str(tmp_path / "chile.txt"), "--store", str(tmp_path / "db"), "-q"], capsys)
    assert code == 2
    assert err.startswith(f"Error: [GK901] GEOKG_EVENT_MODEL='{tmp_path / 'blank'}' is not valid.")
    assert "without the 'geokg_triggers' component" in err


def test_build_with_an_unknown_spacy_model_exits_2_listing_installed_pipelines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import spacy

    (tmp_path / "chile.txt").write_text(CHILE, encoding="utf-8")
    monkeypatch.setenv("GEOKG_SPACY_MODEL", "not_a_model")
    code, out, err = run_main(["build", str(tmp_path), "--store", str(tmp_path / "db"), "-q"], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("Error: [GK901] GEOKG_SPACY_MODEL='not_a_model' is not valid.")
    assert "Installed pipelines:" in err
    for name in spacy.util.get_installed_models():
        assert name in err
    assert not (tmp_path / "db").exists()  # fails before touching the store


# -- query ------------------------------------------------------------------
@pytest.mark.slow
def test_query_offers_csv_parses(built_store: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "offers", "--store", str(built_store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["agent"], r["commodity"], r["recipient"]) for r in rows] == [("Chile", "Copper", "Japan")]
    assert not result.stdout.endswith("\n\n")  # no blank line after the rows


@pytest.mark.slow
def test_query_offers_json_parses(built_store: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "offers", "--store", str(built_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 1
    assert rows[0]["agent"] == "Chile" and rows[0]["commodity"] == "Copper" and rows[0]["recipient"] == "Japan"


@pytest.mark.slow
def test_query_pages_a_table_and_says_when_more_rows_follow(built_store: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    def query(*args: str) -> tuple[int, str, str]:
        try:
            main(["query", "mentions", "--store", str(built_store), *args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    everything = json.loads(query("--format", "json")[1])
    assert len(everything) > 3
    code, out, err = query("--limit", "2", "--offset", "1")
    assert code == 0 and out.splitlines()[-1] == "(2 rows)"
    assert re.fullmatch(r"note: mentions: rows 2-3, more follow \(--cursor (\S+) for the next page, "
                        r"--limit 0 or --format csv for all\)\n", err)
    cursor = query("--limit", "1")[2].split("--cursor ")[1].split()[0]
    code, out, err = query("--limit", "1", "--cursor", cursor)  # the page after row 1
    assert err.startswith("note: mentions: 1 rows after the cursor, more follow (--cursor ")
    assert code == 0 and out == query("--limit", "1", "--offset", "1")[1]
    code, _, err = query("--cursor", "nonsense")
    assert code == 2 and "cursor='nonsense' is not valid" in err
    monkeypatch.setattr("geokg.cli.TABLE_ROWS", 3)  # a table's default page, made small
    code, out, err = query()
    assert out.splitlines()[-1] == "(3 rows)" and "rows 1-3, more follow" in err
    code, out, err = query("--format", "json")
    assert json.loads(out) == everything and err == ""  # csv and json: every row
    code, out, err = query("--limit", "0")
    assert out.splitlines()[-1] == f"({len(everything)} rows)" and err == ""
    code, _, err = query("--limit", "-1")
    assert code == 2 and "--limit" in err


def test_query_list_shows_the_contract_queries() -> None:
    names = CliRunner().invoke(cli, ["query", "--list", "--names"])
    assert names.exit_code == 0, names.output
    assert set(CONTRACT) <= set(names.stdout.split())
    described = CliRunner().invoke(cli, ["query", "--list"])
    assert described.exit_code == 0, described.output
    for name in CONTRACT:
        assert any(line.startswith(f"{name}: ") for line in described.stdout.splitlines()), name


@pytest.mark.slow
def test_unknown_query_exits_2_naming_the_available_ones(
        built_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["query", "nope", "--store", str(built_store)], capsys)
    assert code == 2
    assert out == ""
    line = err.strip()
    assert line.startswith("Error: [GK501] no stored query 'nope'. Available: ")
    for name in CONTRACT:
        assert name in line


def test_param_without_equals_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["query", "offers", "--param", "commodity", "--store", str(tmp_path / "db")], capsys)
    assert code == 2
    assert out == ""
    assert "Error: Invalid value for --param: 'commodity' is not KEY=VALUE" in err


def test_query_without_a_name_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_main(["query"], capsys)
    assert code == 2
    assert "name a stored query, or pass --list or --all" in err


@pytest.mark.slow
def test_query_all_runs_every_stored_query_in_turn_headed_by_its_name(built_store: Path) -> None:
    from geokg.queries import list_queries

    names = [stored.name for stored in list_queries()]
    tables = CliRunner().invoke(cli, ["query", "--all", "--store", str(built_store)])
    assert tables.exit_code == 0, tables.output
    headings = [line for line in tables.stdout.splitlines() if line.startswith("== ")]
    assert [h.split(":")[0][3:] for h in headings] == names
    assert "== offers: Offers of commodities" in headings
    assert tables.stdout.count("\n(") == len(names)  # one row count closes each table
    as_json = CliRunner().invoke(cli, ["query", "--all", "--store", str(built_store), "--format", "json"])
    results = json.loads(as_json.stdout)
    assert list(results) == names
    alone = CliRunner().invoke(cli, ["query", "offers", "--store", str(built_store), "--format", "json"])
    assert results["offers"] == json.loads(alone.stdout) and len(results["offers"]) == 1


@pytest.mark.parametrize("args, message", [
    (["offers", "--all"], "--all runs every stored query without parameters: give no NAME and no --param"),
    (["--all", "--param", "commodity=Copper"], "give no NAME and no --param"),
    (["--all", "--format", "csv"], "--all prints tables or JSON; for CSV run one query at a time"),
])
def test_query_all_refuses_a_name_parameters_and_csv(args: list[str], message: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["query", *args], capsys)
    assert (code, out) == (2, "") and message in err


# -- sparql -----------------------------------------------------------------
@pytest.mark.slow
def test_sparql_adhoc_count(built_store: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/geokg/ontology#Offer> }"
    result = CliRunner().invoke(cli, ["sparql", text, "--store", str(built_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [int(row["n"]) for row in json.loads(result.stdout)] == [1]


@pytest.mark.slow
@pytest.mark.parametrize("update", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }"])
def test_sparql_update_is_refused(built_store: Path, update: str, capsys: pytest.CaptureFixture[str]) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = CliRunner().invoke(cli, ["sparql", count, "--store", str(built_store), "--format", "csv"]).stdout
    code, out, err = run_main(["sparql", update, "--store", str(built_store)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("Error: [GK502] ") and "read-only" in err
    after = CliRunner().invoke(cli, ["sparql", count, "--store", str(built_store), "--format", "csv"]).stdout
    assert before == after


def test_sparql_needs_text_or_file_not_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("ASK {}", encoding="utf-8")
    code, _out, err = run_main(["sparql", "ASK {}", "-f", str(rq)], capsys)
    assert code == 2
    assert "give the query text or -f FILE, not both" in err


# -- validate ---------------------------------------------------------------
@pytest.mark.slow
def test_validate_store_conforms(built_store: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms")


@RDFLIB_DATASET_PARSE
def test_validate_file_with_violations_exits_1_with_readable_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text((DATA / "shapes" / "invalid" / "country-code.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 violation(s):"
    assert "country/russia" in lines[1] and "gk:iso3166Alpha2" in lines[1] and '"Russia"' in lines[1]
    assert "(article t-iso)" in lines[1]


@RDFLIB_DATASET_PARSE
def test_validate_file_event_missing_everything(tmp_path: Path) -> None:
    bad = tmp_path / "empty-event.ttl"
    bad.write_text("@prefix gk: <https://w3id.org/geokg/ontology#> .\n"
                   "<https://w3id.org/geokg/id/event/x-1> a gk:Event .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("violation(s):") and int(lines[0].split()[0]) >= 1
    assert all(line.startswith("  focus <https://w3id.org/geokg/id/event/x-1>") for line in lines[1:]), lines


# -- export -----------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
def test_export_writes_a_parsable_file(built_store: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"x{suffix}"
    result = CliRunner().invoke(cli, ["export", "-o", str(out), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}"
    if suffix == ".ttl":
        parsed: Graph = Graph().parse(data=out.read_text(encoding="utf-8"), format="turtle")
        assert len(parsed) > 0
    else:
        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib 7.x warns about its own ConjunctiveGraph internals
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=out.read_text(encoding="utf-8"), format="trig")
        assert len(dataset) > 0
        assert any(str(g.identifier).endswith("/chile") for g in dataset.graphs()), \
            [str(g.identifier) for g in dataset.graphs()]


@pytest.mark.slow
def test_export_unknown_extension_exits_2(built_store: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.xyz"
    code, stdout, err = run_main(["export", "-o", str(out), "--store", str(built_store)], capsys)
    assert code == 2
    assert stdout == ""
    assert err.startswith(f"Error: [GK601] {out}: cannot tell the format from the extension '.xyz'.")
    assert not out.exists()


@pytest.mark.slow
def test_export_dash_writes_to_stdout(built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "-o", "-", "--format", "turtle", "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    parsed = Graph().parse(data=result.stdout_bytes, format="turtle")
    assert len(parsed) > 0 and "wrote" not in result.stdout
    assert "country:CL" in result.stdout


@pytest.mark.slow
def test_export_dash_without_a_format_exits_2(built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run_main(["export", "-o", "-", "--store", str(built_store)], capsys)
    assert code == 2 and stdout == ""
    assert err.endswith("Error: writing to stdout (-o -) needs --format: turtle, nt, nquads, trig or jsonld\n")
    assert not (tmp_path / "-").exists()


def test_version() -> None:
    from geokg import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout
