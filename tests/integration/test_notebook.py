"""Every notebook in notebooks/ runs top to bottom (nbclient, a real kernel) on the seed build.

The store path (and, for one test, ``ROWS``) is injected after the cell tagged ``parameters`` (as papermill does);
``explore-the-graph`` also runs untouched, so its default (build seeds/ into a temporary
store) is exercised too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import geokg

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def execute(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: Path | None,
            rows: int | None = None):
    """Run the notebook in a fresh kernel; return the executed notebook (raises on the first failing cell).
    ``rows``: the page size its tables read (the notebook's ``ROWS``) instead of its default."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # Ignore any per-user kernelspec: "python3" then resolves to this environment's ipykernel.
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    # The kernel's temporary files (the default seed store) go under this test's folder, not /tmp.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    notebook = nbformat.read(path, as_version=4)
    if store is not None:
        at = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
        source = f"STORE = {str(store)!r}" + (f"\nROWS = {rows!r}" if rows is not None else "")
        injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
        injected.pop("id", None)  # the saved notebooks are nbformat 4.4, without cell ids
        notebook.cells.insert(at + 1, injected)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [out for cell in notebook.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors, errors
    return notebook


def text_of(notebook) -> str:
    """Everything the code cells printed or displayed, as one string."""
    parts = []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(value) for value in out.get("data", {}).values())
    return "\n".join(parts)


def images(notebook) -> int:
    return sum("image/png" in out.get("data", {}) for cell in notebook.cells for out in cell.get("outputs", []))


def test_notebooks_exist_and_are_saved_without_outputs() -> None:
    assert {path.stem for path in NOTEBOOKS} >= {"explore-the-graph", "commodities-and-countries"}
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [cell for cell in cells if cell["cell_type"] == "code"]
        assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code), path.name
        parameters = [cell for cell in code if "parameters" in cell["metadata"].get("tags", [])]
        assert len(parameters) == 1 and "STORE = None" in "".join(parameters[0]["source"]), path.name
        assert "ROWS = 10_000" in "".join(parameters[0]["source"]), path.name  # tables read a page


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_on_the_seed_build(path: Path, seed_store: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = execute(path, tmp_path, monkeypatch, seed_store)
    output = text_of(notebook)
    # offline: nothing the notebooks display loads a script or style from the network
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?:", output)
    if path.stem == "explore-the-graph":
        events = geokg.query("events", {}, geokg.Settings.from_env(store=seed_store))
        graph = geokg.to_networkx(seed_store)
        assert f"{len({row[1] for row in events.rows})} events in 1 article(s)" in output
        assert f"MultiDiGraph with {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges" in output
        assert f'data-nodes=&quot;{graph.number_of_nodes()}&quot;' in output  # the interactive page, in an iframe
        assert images(notebook) >= 1  # the communities figure
    if path.stem == "commodities-and-countries":
        flows = geokg.query("commodity-flows", {}, geokg.Settings.from_env(store=seed_store))
        assert len(flows) > 0
        assert "application/vnd.plotly.v1+json" in json.dumps([cell.get("outputs") for cell in notebook.cells])
        assert all(flow[key] in output for flow in flows.as_dicts() for key in ("from", "to", "commodity"))
        assert images(notebook) >= 2  # the flow graph and the timeline


def test_explore_notebook_builds_the_seeds_when_no_store_is_given(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = execute(ROOT / "notebooks" / "explore-the-graph.ipynb", tmp_path, monkeypatch, None)
    built = re.search(r"built 1 article\(s\) from .*seeds into (\S*seeds\.db)", text_of(notebook))
    assert built and Path(built.group(1)).is_relative_to(tmp_path)  # under the test's folder, not left in /tmp


def test_notebook_tables_read_one_page_and_say_more_rows_follow(seed_store: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    events = geokg.query("events", {}, geokg.Settings.from_env(store=seed_store))
    assert len(events) > 3  # else the seed build has no second page to leave out
    notebook = execute(ROOT / "notebooks" / "explore-the-graph.ipynb", tmp_path, monkeypatch, seed_store, rows=3)
    output = text_of(notebook)
    assert "events: rows 1-3, more follow (table('events', offset=3) for the next page)" in output
    assert f"{len({row[1] for row in events.rows[:3]})} events in 1 article(s)" in output
