"""Query parameters read as a person means them (geokg.resolve): any case or accent, other
names, ISO codes, a surname; a miss or an ambiguous name is an error that says what to type.

The store is built with the real pipeline from three articles written for these tests
(``tests/data/resolve/``): China restricts gallium exports and its trade minister Tomas Orlovsky
is quoted; Ukraine offers wheat to Egypt, two analysts named Kessler are quoted and Côte d'Ivoire
buys wheat; George W. Bush visits London. The reference graph in the store adds every country
(with its ISO codes), commodity and reference person (two Stoltenbergs, two Bushes).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

import geokg
from geokg import api
from geokg.cli import cli, main
from geokg.errors import AmbiguousNameError, NameNotFoundError, QueryParameterError
from geokg.resolve import Candidate, Resolver, choose, resolve_params
from geokg.queries import get_query
from geokg.settings import Settings
from geokg.store import Store
from geokg.viz import to_networkx

DATA = Path(__file__).parent / "data" / "resolve"
ID = "https://w3id.org/geokg/id/"


# -- the rules, on hand-made candidates (no store) -----------------------------
PEOPLE = [Candidate(ID + "person/anna-kessler", "Person", "Anna Kessler", "Anna Kessler", "label"),
          Candidate(ID + "person/markus-kessler", "Person", "Markus Kessler", "Markus Kessler", "label", True),
          Candidate(ID + "person/tomas-orlovsky", "Person", "Tomas Orlovsky", "Tomas Orlovsky", "label")]


def test_resolve_a_label_beats_another_name_and_a_code_beats_another_name() -> None:
    rows = [Candidate(ID + "country/GE", "Country", "Georgia", "Georgia", "label"),
            Candidate(ID + "place/georgia", "Place", "Georgia (US state)", "Georgia", "alt"),
            Candidate(ID + "country/CA", "Country", "Canada", "CAN", "code"),
            Candidate(ID + "country/XX", "Country", "Cannia", "Can", "alt")]
    assert choose("GEORGIA", "Entity", rows).label == "Georgia"
    assert choose("can", "Country", rows).label == "Canada"
    assert choose("georgia", "Place", rows).label == "Georgia (US state)"  # the type narrows first


def test_resolve_surnames_and_the_mention_tie_break() -> None:
    assert choose("orlovsky", "Person", PEOPLE).label == "Tomas Orlovsky"
    # two Kesslers: the articles mention only Markus, so he is meant
    found = choose("Kessler", "Person", PEOPLE)
    assert (found.label, found.how) == ("Markus Kessler", "surname; the only one the articles mention")
    with pytest.raises(AmbiguousNameError) as info:
        choose("Kessler", "Person", PEOPLE, mentioned=lambda iris: set())
    assert info.value.code == "GK508" and info.value.candidates == ["Anna Kessler", "Markus Kessler"]


def test_resolve_suggests_only_the_close_labels() -> None:
    rows = [Candidate(ID + f"country/{code}", "Country", label, label, "label")
            for code, label in [("CN", "China"), ("CL", "Chile"), ("CA", "Canada"), ("TD", "Chad")]]
    with pytest.raises(NameNotFoundError) as info:
        choose("Chinaa", "Country", rows)
    assert str(info.value) == "[GK507] no country matches 'Chinaa'; did you mean China?"
    with pytest.raises(NameNotFoundError, match=r"no country matches 'Xyzzy' \(compared with the names"):
        choose("Xyzzy", "Country", rows)


# -- a real store ---------------------------------------------------------------
@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings.from_env(store=tmp_path_factory.mktemp("resolve") / "geokg.db")
    summary = geokg.build([DATA], settings)
    assert summary.ok and summary.articles == 3, summary
    people = {row[2] for row in geokg.entities(settings, type="Person").rows}
    # what the tests below rely on the extraction to have found
    assert {"Tomas Orlovsky", "Anna Kessler", "Markus Kessler", "George W. Bush"} <= people, people
    return settings


def rows(settings: Settings, name: str, **params: str) -> list[tuple]:
    return geokg.query(name, params, settings).rows


@pytest.mark.slow
@pytest.mark.parametrize("value", ["china", "CHINA", "CN", "cn", "CHN", "People's Republic of China", "prc",
                                   "https://w3id.org/geokg/id/country/CN"])
def test_resolve_country_by_any_name_or_code(settings: Settings, value: str) -> None:
    expected = rows(settings, "country-activity", country="China")
    assert expected and {row[0] for row in expected} == {"China"}
    assert rows(settings, "country-activity", country=value) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("value", "label", "code", "how"), [
    ("USA", "United States", "US", "ISO code"), ("US", "United States", "US", "ISO code"),
    ("u.s.", "United States", "US", "other name"), ("united states", "United States", "US", "name"),
    ("UK", "United Kingdom", "GB", "other name"), ("GBR", "United Kingdom", "GB", "ISO code"),
    ("gb", "United Kingdom", "GB", "ISO code"), ("cote d'ivoire", "Ivory Coast", "CI", "other name"),
    ("CÔTE D’IVOIRE", "Ivory Coast", "CI", "other name"), ("turkiye", "Turkey", "TR", "other name"),
])
def test_resolve_short_forms_codes_and_accents(settings: Settings, value: str, label: str, code: str,
                                               how: str) -> None:
    found = api.resolve(value, "Country", settings)
    assert (found.label, found.how, found.iris) == (label, how, (ID + f"country/{code}",))


@pytest.mark.slow
def test_resolve_commodity_in_lower_case_and_its_narrower_terms(settings: Settings) -> None:
    wheat = rows(settings, "offers", commodity="Wheat")
    assert wheat and rows(settings, "offers", commodity="wheat") == wheat
    # commodity-timeline follows skos:broader*: grain finds the wheat events, in any case
    themes = {row[4] for row in rows(settings, "commodity-timeline", commodity="grain")}
    assert "Wheat" in themes
    assert api.resolve("soybean", "Commodity", settings).label == "Soybeans"


@pytest.mark.slow
def test_resolve_surname_of_one_person(settings: Settings) -> None:
    result = geokg.query("statements", {"speaker": "orlovsky"}, settings)
    assert [row[0] for row in result.rows] == ["Tomas Orlovsky"]
    assert result.notes == ("speaker=orlovsky means Tomas Orlovsky (surname)",)
    # two reference Bushes, one mentioned by the articles
    assert api.resolve("Bush", "Person", settings).label == "George W. Bush"


@pytest.mark.slow
def test_resolve_ambiguous_surname_lists_the_candidates(settings: Settings,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        geokg.query("statements", {"speaker": "Kessler"}, settings)
    assert info.value.candidates == ["Anna Kessler", "Markus Kessler"]
    with pytest.raises(SystemExit) as done:
        main(["query", "statements", "--store", str(settings.store), "--param", "speaker=Kessler"])
    assert done.value.code == 2
    assert capsys.readouterr().err == (
        "Error: [GK508] query 'statements', parameter 'speaker': 'Kessler' names more than one person in "
        "the store: Anna Kessler, Markus Kessler. Give one of these names\n")
    # reference people the articles never mention stay ambiguous
    with pytest.raises(AmbiguousNameError, match="Gerhard Stoltenberg, Jens Stoltenberg"):
        api.resolve("Stoltenberg", "Person", settings)


@pytest.mark.slow
def test_resolve_typo_is_an_error_with_a_suggestion(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["query", "country-activity", "--store", str(settings.store), "--param", "country=Chinaa"])
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("Error: [GK507] query 'country-activity', parameter 'country': no country matches "
                            "'Chinaa'; did you mean China?\n")
    with pytest.raises(NameNotFoundError, match=r"no commodity matches 'Russia' \(it names the country Russia\)$"):
        geokg.query("offers", {"commodity": "Russia"}, settings)


@pytest.mark.slow
def test_resolve_cli_notes_on_stderr_and_rows_on_stdout(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["query", "country-activity", "--store", str(settings.store),
                                                      "--param", "country=CHN", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "note: country=CHN means China (ISO code)\n"
    assert result.stdout.splitlines()[0].startswith("country,") and "China," in result.stdout


@pytest.mark.slow
def test_resolve_api_path_with_an_open_store(settings: Settings) -> None:
    with Store.open(settings.store, read_only=True) as store:
        result = geokg.query("offers", {"commodity": "WHEAT"}, store=store)
        assert result.notes == ("commodity=WHEAT means Wheat (name)",)
        values, resolutions = resolve_params(get_query("offers"), {"commodity": "wheat", "article": "x"},
                                             Resolver.local(store))
    assert values == {"commodity": "Wheat", "article": "x"} and list(resolutions) == ["commodity"]
    with pytest.raises(QueryParameterError, match="unknown parameter"):
        geokg.query("offers", {"country": "China"}, settings)


@pytest.mark.slow
def test_resolve_entities_by_name(settings: Settings) -> None:
    result = geokg.entities(settings, name="prc")
    assert [row[2] for row in result.rows] == ["China"] and result.notes == ("prc means China (other name)",)
    cli_result = CliRunner().invoke(cli, ["entities", "gbr", "--type", "country", "--store",
                                                          str(settings.store), "--format", "csv"])
    assert cli_result.exit_code == 0, cli_result.output
    assert cli_result.stdout.splitlines()[1].startswith(ID + "country/GB,Country,United Kingdom,")


@pytest.mark.slow
def test_resolve_viz_entity(settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graph = to_networkx(settings.store, entity="chn")
    assert ID + "country/CN" in graph and ID + "country/US" in graph  # China's export ban names the US
    assert ID + "country/UA" not in graph
    out = tmp_path / "china.html"
    result = CliRunner().invoke(cli, ["viz", "--store", str(settings.store), "--entity", "PRC", "-o", str(out)])
    assert result.exit_code == 0 and out.is_file(), result.output
    with pytest.raises(SystemExit) as done:
        main(["viz", "--store", str(settings.store), "--entity", "Orlovski", "-o", str(out)])
    assert done.value.code == 2
    assert capsys.readouterr().err == ("Error: [GK507] no entity matches 'Orlovski'; did you mean "
                                       "Tomas Orlovsky?\n")


@pytest.mark.slow
@given(value=st.text(max_size=30))
@example(value='" } ; DROP ALL ; #')
@example(value="\\u0022 } #")
@example(value="Wh\udcffeat")
@example(value="\n")
def test_resolve_any_text_gives_a_name_or_a_coded_error(settings: Settings, value: str) -> None:
    """Arbitrary text never crashes the lookup and never writes (the value goes into its text)."""
    with Store.open(settings.store, read_only=True) as store:
        size = len(store)
        try:
            found = Resolver.local(store).resolve(value, "Entity")
        except (NameNotFoundError, AmbiguousNameError):
            pass
        else:
            assert found.label and found.iris
        assert len(store) == size


@pytest.mark.slow
@pytest.mark.integration
def test_resolve_at_an_endpoint_reads_the_remote_store(settings: Settings) -> None:
    """`geokg serve` on the store: the names are looked up over HTTP, with the same answer."""
    from conftest import free_port

    server = api.serve(settings, bind=f"127.0.0.1:{free_port()}")
    try:
        endpoint = f"http://{server.gate.bind}/query"
        remote = geokg.query("country-activity", {"country": "chn"}, endpoint=endpoint)
        assert remote.notes == ("country=chn means China (ISO code)",)
        assert remote.rows == rows(settings, "country-activity", country="China")
        with pytest.raises(NameNotFoundError, match="did you mean China"):
            geokg.query("country-activity", {"country": "Chinaa"}, endpoint=endpoint)
    finally:
        server.terminate()
