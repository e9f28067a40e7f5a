"""Coverage-guided fuzzing of the article readers (atheris / libFuzzer), for a bounded time.

Each input is one byte choosing the file extension, then the file's content. The
harness writes it to a temporary file and reads it with ``iter_articles``; a crash is
any exception that escapes (the readers must turn every bad input into an
``IngestError`` value) or an Article that breaks the ingest contract (empty text, a
NUL, a lone surrogate, over MAX_ARTICLE_CHARS, a date out of range).

Usage (needs the ``fuzz`` extra; ``make install`` has it)::

    python tests/fuzz/fuzz_readers.py --seconds 60
    python tests/fuzz/fuzz_readers.py --seconds 600 --corpus fuzz-corpus/   # keep what it learns
    python tests/fuzz/fuzz_readers.py --runs 500                            # a quick smoke run

A crash is written to ``--artifacts`` (default: the current folder) as ``crash-<sha1>``;
replay it with ``python tests/fuzz/fuzz_readers.py crash-<sha1>`` and turn it into a
regression test in tests/test_reliability_inputs.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# One byte picks the extension; the seeds below start with their index.
SEEDS: list[tuple[str, bytes]] = [
    (".txt", b"date 2024-06-12 Chile offered to sell copper to Japan on Monday.\n\nA second paragraph.\n"),
    (".txt", b"date 2024-06-12\nsource Ledger\nurl https://example.org/1\ntitle Tin\nid t-1\n\nTin rose.\n"),
    (".txt", b"Plain text without a header.\n"),
    (".txt", "date 2024-01-02 Caf\u00e9 sold.\n".encode("utf-16")),
    (".jsonl", b'{"id": "w1", "date": "2-JAN-1987 10:01:02.00", "title": "ZINC", "text": "Zinc fell.", '
               b'"dateline": "LIMA, Jan 2"}\n{"body": "x", "date": "2024-01-02T08:00:00Z"}\n'),
    (".json", b'[{"id": "j1", "body": "One.", "source": "Wire", "url": "https://example.org/2"}, {"nobody": 1}]'),
    (".html", b"<html><head><title>Nickel halt</title><meta name='date' content='2024-03-01'></head><body>"
              b"<nav><a href='/'>Home</a></nav><article><h1>Nickel halt</h1><p>The ministry said it would "
              b"stop selling nickel abroad next year, and prices rose at once.</p></article></body></html>"),
    (".htm", b"<html><body><script>var a = 1;</script></body></html>"),
]
SUFFIXES = [".txt", ".jsonl", ".json", ".html", ".htm"]


def check(items: list, path: Path) -> None:
    """The ingest contract; an AssertionError here is a finding like any exception."""
    from geokg.articles import EARLIEST_DATE, MAX_ARTICLE_CHARS, Article, latest_date
    from geokg.errors import IngestError

    for item in items:
        assert isinstance(item, (Article, IngestError)), item
        assert item.path == str(path), item
        if isinstance(item, IngestError):
            assert item.code.startswith("GK10") and str(item).startswith(f"[{item.code}] {path}"), item
            continue
        assert item.id and item.text.strip() and "\x00" not in item.text, item
        assert len(item.text) <= MAX_ARTICLE_CHARS
        item.text.encode("utf-8")
        assert item.date is None or EARLIEST_DATE <= item.date <= latest_date(), item


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Other arguments (e.g. a crash file) go to libFuzzer.")
    parser.add_argument("--seconds", type=int, default=None, help="stop after this many seconds")
    parser.add_argument("--runs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (seeded when empty; default: a temporary one)")
    parser.add_argument("--artifacts", type=Path, default=Path.cwd(), help="where crash files go")
    parser.add_argument("--max-len", type=int, default=8192, help="largest input in bytes")
    args, rest = parser.parse_known_args(argv)

    import atheris  # the fuzz extra

    with atheris.instrument_imports():
        import trafilatura  # noqa: F401  instrumented too: HTML pages go through it

        from geokg.articles import iter_articles

    workdir = Path(tempfile.mkdtemp(prefix="geokg-fuzz-"))

    def one_input(data: bytes) -> None:
        if not data:
            return
        suffix = SUFFIXES[data[0] % len(SUFFIXES)]
        path = workdir / f"input{suffix}"
        path.write_bytes(data[1:])
        check(list(iter_articles([path])), path)

    libfuzzer = [sys.argv[0], f"-max_len={args.max_len}", f"-artifact_prefix={args.artifacts}/",
                 "-rss_limit_mb=2048", "-timeout=30", "-print_final_stats=1",
                 "-len_control=0"]  # long inputs from the start: real files are longer than a few bytes
    if args.seconds is not None:
        libfuzzer.append(f"-max_total_time={args.seconds}")
    if args.runs is not None:
        libfuzzer.append(f"-runs={args.runs}")
    replay = [arg for arg in rest if Path(arg).is_file()]
    if not replay:
        corpus = args.corpus or Path(tempfile.mkdtemp(prefix="geokg-fuzz-corpus-"))
        corpus.mkdir(parents=True, exist_ok=True)
        if not any(corpus.iterdir()):
            for i, (suffix, content) in enumerate(SEEDS):
                (corpus / f"seed-{i}").write_bytes(bytes([SUFFIXES.index(suffix)]) + content)
        libfuzzer.append(str(corpus))
    atheris.Setup(libfuzzer + rest, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
