"""The fuzz harness itself runs: a short libFuzzer session over the seeds finds no crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require_system

HARNESS = Path(__file__).resolve().parent / "fuzz_readers.py"
pytestmark = [pytest.mark.issue(4), pytest.mark.integration]


def test_fuzz_harness_smoke_run(tmp_path: Path) -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        require_system("atheris", "the fuzz extra is not installed (make install adds it)")
    # libFuzzer ends the process without cleaning up: its temporary folders go under tmp_path.
    done = subprocess.run([sys.executable, str(HARNESS), "--runs", "400", "--artifacts", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 400 runs" in done.stderr
    assert not list(tmp_path.glob("crash-*"))
