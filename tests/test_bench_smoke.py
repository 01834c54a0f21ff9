"""The benchmark harness: its scoring on tiny hand-made cases, and one small real run (no timings asserted)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl
import pytest

from bench.long_articles import LAYOUTS, long_article
from bench.report import log_log_slope
from bench.run import main, run_measured, stage_commands
from bench.score import TARGETS, conflict_scores, pairwise_cluster_scores, partition_pair_scores, scores


def _members(rows: list[tuple[int, int, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"item": pl.Int64, "doc": pl.Int64, "cluster": pl.Utf8}, orient="row")


def test_claim_pairs_count_only_cross_document_pairs():
    # truth: items 0,1,2 state claim A (docs 0,1,2); items 3,4 state claim B (docs 0,1)
    truth = _members([(0, 0, "A"), (1, 1, "A"), (2, 2, "A"), (3, 0, "B"), (4, 1, "B")])
    # predicted: {0,1} together, {2,3,4} together; item 9 is not in the truth and is ignored
    predicted = _members([(0, 0, "x"), (1, 1, "x"), (2, 2, "y"), (3, 0, "y"), (4, 1, "y"), (9, 2, "y")])
    result = pairwise_cluster_scores(truth, predicted)
    # truth pairs: (0,1) (0,2) (1,2) (3,4) = 4; predicted: (0,1) (2,3) (2,4) (3,4) = 4; shared: (0,1) (3,4)
    assert (result["tp"], result["n_predicted"], result["n_truth"]) == (2, 4, 4)
    assert result["precision"] == 0.5 and result["recall"] == 0.5 and result["exact"]
    # with events: claim A is event e1 and claim B event e2; the wrong pairs (2,3) (2,4) cross events
    groups = pl.DataFrame({"item": [0, 1, 2, 3, 4], "group": ["e1", "e1", "e1", "e2", "e2"]})
    split = pairwise_cluster_scores(truth, predicted, groups)["false_positives"]
    assert split == {"same_group": 0, "other_group": 2}


def test_same_document_pairs_are_not_claim_pairs():
    truth = _members([(0, 0, "A"), (1, 0, "A")])
    predicted = _members([(0, 0, "x"), (1, 0, "x")])
    result = pairwise_cluster_scores(truth, predicted)
    assert result["n_truth"] == 0 and result["n_predicted"] == 0 and result["precision"] == 1.0


def test_conflict_scores_match_unordered_pairs_and_kinds():
    truth = pl.DataFrame({"a": [1, 3, 5], "b": [2, 4, 6], "kind": ["quantity", "date", "polarity"]})
    predicted = pl.DataFrame({"a": [2, 4, 7], "b": [1, 3, 8], "kind": ["quantity", "polarity", "date"]})
    result = conflict_scores(truth, predicted)
    assert result["overall"]["tp"] == 2  # (1,2) and (3,4), whatever the order
    assert result["typed"]["tp"] == 1  # (3,4) has the wrong kind
    assert result["typed"]["precision"] == round(1 / 3, 4) and result["typed"]["recall"] == round(1 / 3, 4)
    assert result["by_kind"]["quantity"]["recall"] == 1.0 and result["by_kind"]["polarity"]["recall"] == 0.0


def test_nothing_predicted_is_zero_precision_when_truth_has_pairs():
    assert scores(0, 0, 5)["precision"] == 0.0
    assert scores(0, 0, 0)["precision"] == 1.0


def test_partition_pairs_by_counting():
    frame = pl.DataFrame({"truth": ["e1", "e1", "e1", "e2"], "pred": ["p", "p", "q", "q"]})
    result = partition_pair_scores(frame)
    # truth pairs 3, predicted pairs 2 (p: 1, q: 1), shared 1
    assert (result["tp"], result["n_predicted"], result["n_truth"]) == (1, 2, 3)


def test_log_log_slope_of_linear_and_quadratic_growth():
    assert log_log_slope([1000, 10000, 100000], [2, 20, 200]) == 1.0
    assert log_log_slope([1000, 10000], [1, 100]) == 2.0
    assert log_log_slope([1000], [1]) is None


def test_stage_order_follows_dependencies(tmp_path):
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n"
        "  report:\n    cmd: python -m pipeline.report\n    deps: [data/b.parquet]\n    outs: [reports/r.html]\n"
        "  second:\n    cmd: python -m pipeline.second\n    deps: [data/a]\n    outs: [data/b.parquet]\n"
        "  first:\n    cmd: python -m pipeline.first\n    deps: [seeds]\n    outs: [data/a]\n",
        encoding="utf-8",
    )
    assert [name for name, _ in stage_commands(tmp_path)] == ["first", "second", "report"]


def test_run_measured_reports_exit_code_and_memory(tmp_path):
    ok = run_measured([sys.executable, "-c", "x = bytearray(50_000_000); print('done')"], tmp_path, {}, tmp_path / "ok.log")
    assert ok.status == "ok" and ok.max_rss_mb >= 50 and (tmp_path / "ok.log").read_text().strip() == "done"
    bad = run_measured([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, {}, tmp_path / "bad.log")
    assert bad.status == "failed" and bad.returncode == 3


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("bench")
    results = main(["--case", "corpus", "--sizes", "100", "--no-dvc", "--until", "aggregate", "--out", str(out),
                    "--workdir", str(out / "work")])
    return results, out


def _in_unit_interval(value) -> bool:
    return isinstance(value, float | int) and 0.0 <= value <= 1.0


def test_small_run_writes_results_with_stage_measures(small_run):
    results, out = small_run
    on_disk = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert on_disk["sizes"] == results["sizes"]
    (run,) = results["sizes"]
    assert run["n_files"] == 100 and run["generate"]["status"] == "ok"
    assert list(run["stages"])[:5] == ["scan", "ingest", "parse", "normalize", "aggregate"]
    for stage in run["stages"].values():
        assert stage["status"] == "ok", stage.get("error")
        assert stage["wall_s"] > 0 and stage["max_rss_mb"] > 0 and stage["files_per_s"] > 0
    assert set(results["targets"]) == set(TARGETS)
    assert all(t["met"] in (True, False, None) for t in results["targets"].values())
    assert (out / "scaling.png").stat().st_size > 0
    assert not (out / "work" / "n100").exists()  # scratch removed


def test_small_run_scores_the_pipeline_against_the_truth(small_run):
    results, _ = small_run
    truth = results["sizes"][0]["truth"]
    assert truth["sentences"]["n_truth_body_sentences"] > 0
    assert _in_unit_interval(truth["sentences"]["match_rate"])
    for block in (truth["claims"], truth["events"], truth["conflicts"]["overall"], truth["conflicts"]["typed"]):
        assert _in_unit_interval(block["precision"]) and _in_unit_interval(block["recall"])
        assert block["n_truth"] > 0
    assert set(truth["conflicts"]["by_kind"]) <= {"quantity", "date", "polarity", "attribution"}
    assert _in_unit_interval(truth["ingest"]["status_accuracy"])


def test_long_articles_are_deterministic_bounded_and_shaped_as_asked():
    for layout in LAYOUTS:
        text = long_article(layout, 50_000, seed=1)
        assert text == long_article(layout, 50_000, seed=1)
        assert 49_500 < len(text.encode("utf-8")) <= 50_000
        assert "«" in text and "%" in text and "." in text
    assert long_article("single-paragraph", 50_000).count("\n\n") == 1  # the title, then one paragraph
    big = long_article("short-paragraphs", 1_999_000)
    assert 18_000 <= big.count("\n\n") <= 22_000  # about 20,000 short paragraphs in 2 MB
    assert max(len(p) for p in big.split("\n\n")) < 500
    with pytest.raises(ValueError):
        long_article("two-columns", 1000)


def test_long_article_case_runs_every_stage_on_one_article(tmp_path):
    results = main(["--case", "long-article", "--long-bytes", "30000", "--out", str(tmp_path),
                    "--workdir", str(tmp_path / "work")])
    runs = results["long_articles"]["runs"]
    assert sorted(r["layout"] for r in runs) == sorted(LAYOUTS)
    for run in runs:
        assert run["complete"], {k: v.get("error") for k, v in run["stages"].items()}
        assert list(run["stages"])[:5] == ["scan", "ingest", "parse", "normalize", "aggregate"]
        assert run["rows"]["documents"] == 1 and run["rows"]["rejected"] == 0
        assert run["rows"]["sentences"] > 200 and run["rows"]["quantities"] > 0
        assert run["peak_rss_mb"] > 0 and run["end_to_end_cpu_s"] > 0
    assert results["sizes"] == []  # the corpus case did not run
    assert not results.get("collections")  # nor the 100,000-article collections of the full benchmark
    assert {"long_article_under_30s", "long_article_linear"} <= set(results["targets"])


def test_worker_runs_cover_the_wired_stages_and_their_speedup():
    from bench.report import workers_speedup, workers_summary
    from bench.run import wired_stages

    repo = Path(__file__).resolve().parent.parent
    wired = wired_stages(repo)
    assert {"ingest", "parse", "normalize"} <= set(wired)
    order = [name for name, _ in stage_commands(repo)]
    assert wired == [name for name in order if name in wired]  # in run order: the worker runs stop at the last
    result = {"n_files": 10, "workers": {
        "1": {"stages": {"scan": {"status": "ok", "wall_s": 1.0, "cpu_s": 1.0},
                         "ingest": {"status": "ok", "wall_s": 12.0, "cpu_s": 11.0,
                                    "workers": [{"max_rss_mb": 200.0, "cpu_s": 9.0}]}}},
        "2": {"stages": {"scan": {"status": "ok", "wall_s": 1.0, "cpu_s": 1.0},
                         "ingest": {"status": "ok", "wall_s": 8.0, "cpu_s": 13.0,
                                    "workers": [{"max_rss_mb": 190.0, "cpu_s": 5.0},
                                                {"max_rss_mb": 180.0, "cpu_s": 5.5}]}}},
        "4": {"stages": {"scan": {"status": "ok", "wall_s": 1.0, "cpu_s": 1.0},
                         "ingest": {"status": "failed", "wall_s": 3.0, "cpu_s": 2.0}}},
    }}
    speedup = workers_speedup(result)
    assert speedup["ingest"] == {"1": 1.0, "2": 1.5, "4": None}  # a failed run has no speed-up
    assert speedup["total"] == {"1": 1.0, "2": round(13 / 9, 2), "4": None}
    result["speedup"] = speedup
    assert "ingest 8.0/13.0 x1.5 [190/180]" in workers_summary([result])
