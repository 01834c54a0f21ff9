"""`make eval`: run the pipeline on the invented dev corpus and score it against the gold.

Copies the repository's working tree (what a commit would hold, without data, seeds or VCS state) to a
scratch folder, puts tests/eval/corpus/ in place of seeds/, runs `dvc repro` there, scores the aggregated
tables (tests/eval/score.py) and writes reports/eval/results.json (deterministic) and results.md.

    python -m tests.eval.run                 # copy, run, score
    python -m tests.eval.run --keep          # keep the scratch copy (its path is printed)
    python -m tests.eval.run --root DIR      # only score a copy that has already run
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

from pipeline.common import read_table
from tests.eval.gold import CORPUS_DIR, corpus_summary, load_gold
from tests.eval.score import evaluate, false_conflict_lines, gold_doc_ids, map_items, missed_claim_causes, summary_markdown

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / "reports" / "eval"
# Never copied: environments, DVC outputs and caches, VCS data, the seeds (replaced by the corpus).
EXCLUDED_TOP_LEVEL = {".venv", ".tools", ".git", "data", "dvc.lock", ".pytest_cache", "seeds"}
AGGREGATED = ("claim_evidence", "conflicts")


def repository_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files of the working tree."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=root, check=True, capture_output=True).stdout.decode()
    return [rel for rel in sorted(set(filter(None, out.split("\0"))))
            if rel.split("/", 1)[0] not in EXCLUDED_TOP_LEVEL and "__pycache__" not in rel
            and not rel.startswith("reports/eval/") and (root / rel).is_file()]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEWS_AGREEMENT_ROOT", "PYTHONPATH")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(GIT_AUTHOR_NAME="eval", GIT_AUTHOR_EMAIL="eval@example.invalid",
               GIT_COMMITTER_NAME="eval", GIT_COMMITTER_EMAIL="eval@example.invalid")
    return env


def prepare_copy(dest: Path) -> None:
    for rel in repository_files(REPO_ROOT):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / rel, target)
        target.chmod(target.stat().st_mode | 0o200)
    shutil.copytree(CORPUS_DIR, dest / "seeds")
    env = child_env()
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "eval copy"]):
        subprocess.run(cmd, cwd=dest, env=env, check=True, capture_output=True)


def run_pipeline(root: Path) -> dict:
    """`dvc repro` in the copy; its output goes to root/eval_dvc.log."""
    done = subprocess.run([sys.executable, "-m", "dvc", "repro"], cwd=root, env=child_env(),
                          capture_output=True, text=True)
    (root / "eval_dvc.log").write_text(done.stdout + "\n" + done.stderr, encoding="utf-8")
    return {"command": "dvc repro", "returncode": done.returncode,
            "tail": (done.stdout + done.stderr).strip().splitlines()[-12:] if done.returncode else []}


def score_root(root: Path) -> dict:
    gold = load_gold()
    results = evaluate(
        gold,
        read_table("documents", root, ["doc_id", "path"]),
        read_table("sentences", root, ["sent_id", "doc_id", "text"]),
        read_table("claim_evidence", root, ["claim_id", "sent_id"]),
        read_table("conflicts", root),
    )
    return {"corpus": corpus_summary(gold), **results}


def print_claim_misses(root: Path) -> None:
    gold = load_gold()
    sentences = read_table("sentences", root, ["sent_id", "doc_id", "text"])
    item_sents = map_items(gold, sentences, gold_doc_ids(gold, read_table("documents", root, ["doc_id", "path"])))
    causes = missed_claim_causes(gold, read_table("claim_evidence", root, ["claim_id", "sent_id"]),
                                 read_table("facts", root), read_table("claims", root, ["claim_id", "event_id"]),
                                 sentences, item_sents)
    print(f"\nmissed gold claim pairs by cause ({sum(sum(c.values()) for c in causes.values())}):")
    for cause, by_claim in sorted(causes.items(), key=lambda kv: -sum(kv[1].values())):
        top = sorted(by_claim.items(), key=lambda kv: (-kv[1], kv[0]))
        print(f"  {cause}: {sum(by_claim.values())} — " + ", ".join(f"{c} {n}" for c, n in top))


def write_results(results: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    (out_dir / "results.md").write_text(summary_markdown(results, results["corpus"]), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="score this already-run copy instead of running one")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    parser.add_argument("--claim-misses", action="store_true",
                        help="also print the missed gold claim pairs by cause (tests.eval.score.missed_claim_causes)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for results.json and results.md")
    args = parser.parse_args(argv)

    pl.Config.set_tbl_rows(50)
    if args.root:
        root, pipeline = args.root.resolve(), {"command": "(scored an existing run)", "returncode": None, "tail": []}
    else:
        root = Path(tempfile.mkdtemp(prefix="news_agreement_eval_"))
        print(f"copying the repository to {root} with tests/eval/corpus as seeds/ …", flush=True)
        prepare_copy(root)
        print("running dvc repro …", flush=True)
        pipeline = run_pipeline(root)
    try:
        missing = [t for t in AGGREGATED if not (root / "data" / "aggregated" / f"{t}.parquet").exists()]
        if missing:
            print("\n".join(pipeline["tail"]), file=sys.stderr)
            print(f"dvc repro failed before aggregate wrote {missing}; see {root / 'eval_dvc.log'}", file=sys.stderr)
            return 1
        if pipeline["returncode"]:
            print(f"warning: dvc repro exited {pipeline['returncode']} after aggregate (scoring its tables anyway); "
                  "last lines:\n  " + "\n  ".join(pipeline["tail"]), file=sys.stderr)
        results = score_root(root)
        results["pipeline"] = {"command": pipeline["command"], "returncode": pipeline["returncode"]}
        write_results(results, args.out)
        print(summary_markdown(results, results["corpus"]).split("## False conflicts")[0].rstrip())
        print(f"\n{results['conflicts']['confirmed']['n_false']} false confirmed conflicts "
              f"(all false conflicts in {args.out / 'results.md'}):")
        for line in false_conflict_lines(results, limit=15):
            print("  " + line)
        if args.claim_misses:
            print_claim_misses(root)
        print(f"\nwrote {args.out / 'results.json'} and {args.out / 'results.md'}")
        return 0
    finally:
        if not args.root and not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        elif not args.root:
            print(f"kept the scratch copy: {root}")


if __name__ == "__main__":
    raise SystemExit(main())
