"""The warehouse: every table present as a view, read-only from Python and the DuckDB shell."""

import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl

from pipeline.common import write_table
from pipeline.warehouse import build_warehouse


def _tiny_tables(root: Path) -> None:
    write_table("documents", pl.DataFrame({
        "doc_id": ["d1"], "path": ["seeds/a.txt"], "sha256": ["f" * 64], "n_bytes": [12],
        "encoding": ["utf-8"], "text": ["Titolo\n\nTesto."], "format": ["text"], "lang": ["it"],
    }), root=root)
    write_table("rejected", pl.DataFrame({
        "path": ["seeds/b.bin"], "sha256": ["0" * 64], "n_bytes": [4], "reason": ["binary"],
        "detail": ["contains NUL bytes"],
    }), root=root)


def test_views_are_queryable_read_only_and_bytes_are_stable(tmp_path, monkeypatch):
    _tiny_tables(tmp_path)
    db = tmp_path / "data" / "warehouse.duckdb"
    views = build_warehouse(tmp_path, db)
    assert {"documents", "rejected"} <= set(views)
    first = db.read_bytes()
    build_warehouse(tmp_path, db)
    assert db.read_bytes() == first

    monkeypatch.chdir(tmp_path)  # views read the Parquet files relative to the repository root
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.sql("SELECT reason FROM rejected").fetchall() == [("binary",)]
        kinds = dict(con.sql(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall())
        assert kinds == {"documents": "VIEW", "rejected": "VIEW"}
    finally:
        con.close()


def test_duckdb_shell_opens_the_warehouse(tmp_path):
    _tiny_tables(tmp_path)
    db = tmp_path / "data" / "warehouse.duckdb"
    build_warehouse(tmp_path, db)
    shell = Path(sys.executable).parent / "duckdb"
    out = subprocess.run(
        [str(shell), "-readonly", "-csv", "data/warehouse.duckdb", "-c", "SELECT doc_id, lang FROM documents"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    assert out.stdout.split() == ["doc_id,lang", "d1,it"]


def test_the_warehouse_does_not_depend_on_where_the_repository_is(tmp_path):
    for place in ("one", "two"):
        _tiny_tables(tmp_path / place)
        build_warehouse(tmp_path / place, tmp_path / place / "data" / "warehouse.duckdb")
    one, two = ((tmp_path / p / "data" / "warehouse.duckdb").read_bytes() for p in ("one", "two"))
    assert one == two
