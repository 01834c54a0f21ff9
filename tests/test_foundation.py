"""The shared foundation: schema declarations, table IO and the README's data dictionary."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipeline.common import conform, read_table, slugify, stable_id, write_table
from pipeline.schemas import DICT_BEGIN, DICT_END, TABLES, render_readme

ROOT = Path(__file__).resolve().parent.parent


def test_every_contract_table_is_declared():
    contract = {
        "documents", "rejected", "articles", "blocks", "links", "sources", "sentences", "entities",
        "mentions", "quotes", "time_expressions", "quantities", "anomalies", "events", "claims",
        "claim_evidence", "conflicts", "source_agreement", "entity_coverage",
    }
    assert contract <= set(TABLES)


def test_refs_point_at_declared_columns():
    for table in TABLES.values():
        assert set(table.key) <= set(table.column_names), table.name
        for ref in table.refs:
            assert set(ref.columns) <= set(table.column_names), (table.name, ref)
            assert set(ref.to_columns) <= set(TABLES[ref.table].column_names), (table.name, ref)


def test_readme_data_dictionary_is_generated_from_the_schemas():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert DICT_BEGIN in readme and DICT_END in readme
    assert render_readme(readme) == readme, "run `python -m pipeline.schemas` to refresh the README"


def test_conform_orders_columns_fills_nullable_and_sorts_rows():
    df = pl.DataFrame({"n_docs": [2, 1], "name": ["B", "A"], "source_id": ["b", "a"]})
    out = conform("sources", df)
    assert out.columns == ["source_id", "name", "n_docs"]
    assert out["source_id"].to_list() == ["a", "b"]

    rejected = pl.DataFrame({"path": ["seeds/x"], "n_bytes": [0], "reason": ["empty"], "detail": ["empty file"]})
    assert conform("rejected", rejected)["sha256"].to_list() == [None]


def test_conform_refuses_unknown_and_missing_required_columns():
    with pytest.raises(ValueError, match="not in the schema"):
        conform("sources", pl.DataFrame({"source_id": ["a"], "name": ["A"], "n_docs": [1], "oops": [1]}))
    with pytest.raises(ValueError, match="required columns missing"):
        conform("sources", pl.DataFrame({"source_id": ["a"]}))


def test_write_table_is_byte_deterministic_whatever_the_row_order(tmp_path):
    rows = {
        "doc_id": ["b", "a"], "source_id": ["s", "s"], "title": ["T2", None],
        "published_date": [date(2025, 2, 12), None], "n_blocks": [3, 1], "n_chars": [30, 10],
    }
    first = write_table("articles", pl.DataFrame(rows), root=tmp_path / "one").read_bytes()
    reversed_rows = {k: list(reversed(v)) for k, v in rows.items()}
    second = write_table("articles", pl.DataFrame(reversed_rows), root=tmp_path / "two").read_bytes()
    assert first == second
    back = read_table("articles", root=tmp_path / "one")
    assert back.schema["published_date"] == pl.Date and back["doc_id"].to_list() == ["a", "b"]


def test_stable_id_and_slugify():
    assert stable_id("a", 1) == stable_id("a", 1) != stable_id("a", 2)
    assert stable_id("a", "b") != stable_id("ab")
    assert len(stable_id("x", n=8)) == 8
    assert slugify("Dmitrij Peskov") == "dmitrij-peskov"
    assert slugify("Fanpage.it") == "fanpage-it"
    assert slugify("Zelens'kyj, Volodymyr") == "zelens-kyj-volodymyr"
    assert slugify("José Manuel Albares Bueno") == "jose-manuel-albares-bueno"


def _contract_columns(contract_text: str) -> dict[str, set[str]]:
    """Table -> column names, read from the bullets of ../shared/CONTRACT.md.

    A bullet is "- `table`: … `column` (…), `column` …"; value sets and examples stand in
    parentheses, so backticked words outside parentheses are the columns.
    """
    import re

    tables: dict[str, set[str]] = {}
    bullets = re.split(r"\n(?=- `)", contract_text)
    for bullet in bullets:
        head = re.match(r"- `(\w+)`:", bullet)
        if not head:
            continue
        body = bullet[head.end():].split("\n## ")[0]
        while re.search(r"\([^()]*\)", body):
            body = re.sub(r"\([^()]*\)", "", body)
        tables[head.group(1)] = set(re.findall(r"`(\w+)`", body))
    # a bullet may name other tables ("every input file is in `documents` or `rejected`")
    return {name: columns - set(tables) for name, columns in tables.items()}


SHARED_CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"  # beside the repository on CI and in the team's checkouts
CONTRACT = ROOT / "tests" / "CONTRACT.md"  # the repository's copy (a test fixture), so that a clean clone checks it too


def contract_text() -> str:
    """The shared contract when it is beside the repository, else the repository's copy of it."""
    return (SHARED_CONTRACT if SHARED_CONTRACT.exists() else CONTRACT).read_text(encoding="utf-8")


def undeclared(contract: dict[str, set[str]]) -> list[str]:
    """Contract tables and columns that pipeline.schemas does not declare."""
    problems = [f"contract table {table} is not declared" for table in contract if table not in TABLES]
    for table, columns in contract.items():
        missing = columns - set(TABLES[table].column_names) if table in TABLES else set()
        if missing:
            problems.append(f"{table}: contract columns not declared: {sorted(missing)}")
    return problems


def test_schemas_declare_every_table_and_column_of_the_contract():
    contract = _contract_columns(contract_text())
    assert len(contract) >= 19
    assert undeclared(contract) == []


def test_positive_control_a_column_the_schemas_lack_is_reported():
    text = contract_text().replace("`lang` (ISO 639-1", "`lang`, `paywall_kind` (ISO 639-1", 1)
    assert "`paywall_kind`" in text
    assert undeclared(_contract_columns(text)) == ["documents: contract columns not declared: ['paywall_kind']"]


def test_the_repository_copy_of_the_contract_is_the_shared_one():
    # Without ../shared the copy is all there is (and is what the test above reads).
    copy = CONTRACT.read_text(encoding="utf-8")
    assert copy == contract_text()
    assert "## aggregated (stage `aggregate`)" in copy


def test_contract_reader_finds_columns_not_values():
    text = (
        "- `rejected`: one row per file. `path`, `sha256` (null if unreadable),\n"
        "  `reason` (`empty`|`binary`|…), `detail` (e.g. \"same bytes\").\n"
        "- `quantities`: `low`, `high` (an interval: [60, null) minutes), `qualifier` (`exact`|`about`).\n"
    )
    assert _contract_columns(text) == {
        "rejected": {"path", "sha256", "reason", "detail"},
        "quantities": {"low", "high", "qualifier"},
    }
