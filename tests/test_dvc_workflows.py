"""DVC workflows on copies of the end-to-end fixture's repository after its `dvc repro` (fixture
`pipeline_run`, shared with tests/test_end_to_end.py within one pytest session):

- sharing data through a DVC remote (README, "Sharing data: DVC remote"): push a run's tables to
  a remote that is a local folder (the same commands as with an S3 bucket or a shared folder),
  lose them and the cache, pull them back byte for byte. The repository's own .dvc/config is
  never touched;
- `dvc exp run -S execution.engine=dask` (README, "Scale-out"): the same outputs, the same
  dvc.lock hashes as the default run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pipeline.schemas import TABLES
from tests.helpers import pipeline_env


def _dvc(args: list[str], cwd: Path) -> str:
    done = subprocess.run(["dvc", *args], cwd=cwd, env=pipeline_env(), capture_output=True, text=True)
    assert done.returncode == 0, f"dvc {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _data_hashes(root: Path) -> dict[str, str]:
    data = root / "data"
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file() and p.name != ".gitignore"}


def _lock_outs(root: Path) -> dict[str, str]:
    """{out path: md5} of every stage in dvc.lock."""
    lock = yaml.safe_load((root / "dvc.lock").read_text(encoding="utf-8"))
    return {out["path"]: out.get("md5", "") for stage in lock["stages"].values() for out in stage.get("outs", [])}


@pytest.fixture
def repo(pipeline_run: Path, tmp_path: Path) -> Path:
    """A copy of the end-to-end run (git history, DVC cache and outputs included)."""
    copy = tmp_path / "repo"
    shutil.copytree(pipeline_run, copy, symlinks=True)  # seeds/ holds links that must not be followed
    return copy


def test_push_then_pull_restores_every_table_byte_for_byte(repo: Path, tmp_path: Path):
    remote = tmp_path / "remote"
    before = _data_hashes(repo)
    assert {t.path for t in TABLES.values()} <= set(before)
    assert "data/warehouse.duckdb" in before

    _dvc(["remote", "add", "-d", "shared", str(remote)], repo)
    _dvc(["push"], repo)
    assert any(p.is_file() for p in remote.rglob("*"))

    shutil.rmtree(repo / "data")
    shutil.rmtree(repo / ".dvc" / "cache")
    assert not (repo / "data").exists()
    _dvc(["pull"], repo)

    assert _data_hashes(repo) == before
    # a colleague's clone is then up to date: only `scan` (always_changed) would run again
    assert set(json.loads(_dvc(["status", "--json"], repo))) <= {"scan"}


def test_experiment_on_the_dask_engine_gives_the_default_run_s_outputs(repo: Path):
    before, lock_before = _data_hashes(repo), _lock_outs(repo)
    out = _dvc(["exp", "run", "-S", "execution.engine=dask", "-S", "execution.n_workers=2",
                "-S", "execution.partition_docs=3"], repo)
    # the engine is a param of these stages: they really ran again
    assert "Running stage 'normalize'" in out and "Running stage 'aggregate'" in out
    assert yaml.safe_load((repo / "params.yaml").read_text(encoding="utf-8"))["execution"]["engine"] == "dask"
    assert _data_hashes(repo) == before
    assert _lock_outs(repo) == lock_before
