"""Shared fixtures. `pipeline_run` runs the real `dvc repro` once per test session on a copy of the
repository whose seeds/ holds, besides the five seeds, the problem files of `PROBLEM_FILES` (declared,
with what each must become, in tests/helpers.py).

Tests of any stage may use it: `pipeline_run` is the root of the copy after a successful run, so
its tables are read with `pipeline.common.read_table(name, root=pipeline_run)`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.helpers import (
    HIDDEN_FILE,
    ITALIAN_BODY,
    OUTSIDE_SENTINEL,
    PROBLEM_FILES,
    PROBLEM_LINKS,
    REPO_ROOT,
    RUN_MAX_BYTES,
    ProblemFile,
    pipeline_env,
)

# Never copied: environments, DVC outputs and caches, VCS data.
EXCLUDED_TOP_LEVEL = {".venv", ".tools", ".git", "data", "dvc.lock", ".pytest_cache"}

def _repository_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files of the working tree (what a commit would hold)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True,
    ).stdout.decode()
    files = []
    for rel in sorted(set(filter(None, out.split("\0")))):
        if rel.split("/", 1)[0] in EXCLUDED_TOP_LEVEL or "__pycache__" in rel:
            continue
        if (root / rel).is_file():  # deleted-but-tracked files are skipped
            files.append(rel)
    return files


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def problem_files() -> tuple[ProblemFile, ...]:
    return PROBLEM_FILES


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Root of a copy of the repository after a successful `dvc repro` (fails with DVC's output otherwise)."""
    root = tmp_path_factory.mktemp("pipeline_run")
    for rel in _repository_files(REPO_ROOT):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / rel, target)
        shutil.copymode(REPO_ROOT / rel, target)
        target.chmod(target.stat().st_mode | 0o200)  # seeds are read-only in the source tree

    params_path = root / "params.yaml"
    params = yaml.safe_load(params_path.read_text(encoding="utf-8"))
    params["ingest"]["max_bytes"] = RUN_MAX_BYTES
    params_path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")

    for problem in PROBLEM_FILES:
        path = root / problem.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(problem.content)
    (root / HIDDEN_FILE).write_bytes(b"")
    outside = root.parent / "outside"  # beside the copy: what the links below point at
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(f"{ITALIAN_BODY} {OUTSIDE_SENTINEL}.\n", encoding="utf-8")
    if not (outside / "pipe").exists():
        os.mkfifo(outside / "pipe")  # whoever opens it for reading waits forever: the run would hang
    for link in PROBLEM_LINKS:
        (root / link.path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(link.target.replace("{outside}", str(outside)), root / link.path)
    manifest = root / "seeds" / "sources.csv"
    seeds_dir = root / "seeds"
    with open(manifest, "a", encoding="utf-8", newline="") as fh:
        if not manifest.read_text(encoding="utf-8").endswith("\n"):
            fh.write("\n")
        for problem in PROBLEM_FILES:
            if problem.outlet:
                rel = (root / problem.path).relative_to(seeds_dir).as_posix()
                fh.write(f"{rel},{problem.outlet},,{problem.published_date or ''},it\n")

    env = pipeline_env()
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "fixture copy"]):
        done = _run(cmd, root, env)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed in {root}:\n{done.stdout}\n{done.stderr}")
    done = _run(["dvc", "repro"], root, env)
    if done.returncode != 0:
        pytest.fail(f"dvc repro failed in {root} (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return root
