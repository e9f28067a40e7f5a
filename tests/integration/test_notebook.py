"""notebooks/explore.ipynb runs top to bottom on a store it builds itself from seeds/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_explore_notebook_runs_without_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")

    store = tmp_path / "notebook.db"
    monkeypatch.setenv("GEOKG_STORE", str(store))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # Ignore any per-user kernelspec: "python3" then resolves to this environment's ipykernel
    # (its installed spec, whose argv "python" jupyter_client maps to sys.executable, or
    # ipykernel's native spec when none is installed, as on a bare CI machine).
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError naming the cell on the first error

    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors, errors
    assert store.exists(), "the notebook should have built its own store at $GEOKG_STORE"
    first = "".join(output.get("text", "") for output in notebook.cells[1].outputs)
    assert "event rows;" in first
