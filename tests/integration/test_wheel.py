"""The built wheel carries the resource folders (hatch_build.py copies them to geokg/_resources)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = [
    "geokg/_resources/ontology/geokg.ttl",
    "geokg/_resources/ontology/reference/countries.ttl",
    "geokg/_resources/shapes/geokg-shapes.ttl",
    "geokg/_resources/queries/events.rq",
    "geokg/cli.py",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("build", "hatchling"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (pip install -e '.[test]')")
    outdir = tmp_path_factory.mktemp("wheel")
    # --no-isolation: use the hatchling already installed, no network and no temporary venv.
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(ROOT)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(outdir.glob("geokg-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_the_resources(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in REQUIRED if name not in names]
    assert not missing, f"{wheel.name} lacks {missing}"


def test_wheel_contains_every_resource_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for kind in ("ontology", "shapes", "queries"):
        for path in (ROOT / kind).rglob("*"):
            if path.is_file():
                inside = f"geokg/_resources/{path.relative_to(ROOT).as_posix()}"
                assert inside in names, inside


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        text = archive.read(entry_points).decode()
    assert "geokg = geokg.cli:main" in text
