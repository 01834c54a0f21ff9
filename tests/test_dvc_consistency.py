"""dvc.yaml against the code: each stage's outs, deps and params say what its module really does.

Everything is read statically (yaml.safe_load, `ast`): no stage module is imported, nothing runs.
The checker functions return readable problem lines; the positive controls feed them a broken
copy of dvc.yaml and assert that they report it.
"""

from __future__ import annotations

import ast
import copy
from functools import cache
from pathlib import Path

import pytest
import yaml

from pipeline.schemas import TABLES

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "pipeline"


@cache
def dvc_yaml() -> dict:
    return yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))


@cache
def params_yaml() -> dict:
    return yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))


@cache
def _tree(rel: str) -> ast.Module:
    return ast.parse((ROOT / rel).read_text(encoding="utf-8"), filename=rel)


def module_constant(rel: str, name: str) -> str:
    """The string a module binds `name` to at top level (`NAME = "..."` or `NAME = Path("...")`)."""
    for node in _tree(rel).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and len(value.args) == 1:
                value = value.args[0]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    raise AssertionError(f"{rel} has no top-level string constant {name}")


def non_table_outputs() -> dict[str, set[str]]:
    """Files (not contract tables) each stage writes, from the constants that name them in the code."""
    report_dir = module_constant("pipeline/report.py", "REPORT_DIR")
    return {
        "scan": {module_constant("pipeline/intake/inventory.py", "INVENTORY_PATH")},
        "aggregate": {module_constant("pipeline/aggregate.py", "METRICS_PATH")},
        "validate": {module_constant("pipeline/validate.py", "SUMMARY_PATH"),
                     module_constant("pipeline/validate.py", "PAGE_PATH")},
        "warehouse": {module_constant("pipeline/warehouse.py", "WAREHOUSE")},
        # report.py writes these three names into REPORT_DIR and the charts into REPORT_DIR/FIGURES_DIR.
        "report": {f"{report_dir}/report.html", f"{report_dir}/report.md", f"{report_dir}/metrics.json",
                   f"{report_dir}/{module_constant('pipeline/report.py', 'FIGURES_DIR')}"},
    }


# --- reading dvc.yaml entries -------------------------------------------------------------------

def _paths(entries) -> list[str]:
    """Paths of an outs/deps/metrics/plots list (an entry is a path or {path: options})."""
    out = []
    for entry in entries or []:
        out.extend([entry] if isinstance(entry, str) else list(entry))
    return out


def stage_module(name: str, stage: dict) -> str:
    """pipeline/<x>.py for a stage whose cmd is `python -m pipeline.<x>`."""
    parts = str(stage.get("cmd", "")).split()
    assert parts[:2] == ["python", "-m"] and parts[2].startswith("pipeline."), \
        f"stage {name}: cmd {stage.get('cmd')!r} is not `python -m pipeline.<module>`"
    return parts[2].replace(".", "/") + ".py"


def _covered(path: str, deps: list[str]) -> bool:
    """A dep covers a path when it is that path or a folder holding it."""
    path = path.rstrip("/")
    return any(path == d.rstrip("/") or path.startswith(d.rstrip("/") + "/") for d in deps)


# --- static import walk --------------------------------------------------------------------------

def _module_file(dotted: str) -> str | None:
    """Repository-relative file of a `pipeline...` module or package, None when there is none."""
    base = Path(*dotted.split("."))
    if (ROOT / base.with_suffix(".py")).is_file():
        return base.with_suffix(".py").as_posix()
    if (ROOT / base / "__init__.py").is_file():
        return (base / "__init__.py").as_posix()
    return None


def _has_code(rel: str) -> bool:
    """False for an `__init__.py` holding at most a docstring (importing it changes nothing)."""
    body = _tree(rel).body
    return any(not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)) for n in body)


def _imported_modules(rel: str) -> set[str]:
    """Dotted `pipeline` modules a file imports anywhere (top level, in functions, lazily)."""
    found = set()
    for node in ast.walk(_tree(rel)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "pipeline")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            found.add(node.module)
            # `from pipeline.reporting import data` imports the submodule pipeline.reporting.data
            found.update(f"{node.module}.{a.name}" for a in node.names if _module_file(f"{node.module}.{a.name}"))
    with_parents = set()
    for dotted in found:
        parts = dotted.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return with_parents


def reachable_files(start: str) -> set[str]:
    """Every `pipeline` file `start` imports, directly or transitively (docstring-only packages left out)."""
    seen, todo = set(), [start]
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        for dotted in _imported_modules(rel):
            target = _module_file(dotted)
            if target and target not in seen:
                todo.append(target)
    return {rel for rel in seen if _has_code(rel)}


def _string_constants(rel: str) -> set[str]:
    return {n.value for n in ast.walk(_tree(rel)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def other_stage_modules(name: str) -> set[str]:
    """Other stages' modules: importing one for a helper does not run its main(), nor read its params."""
    return {stage_module(other, s) for other, s in dvc_yaml()["stages"].items() if other != name}


def params_read(files: set[str]) -> dict[str, set[str]]:
    """Params blocks read with load_params("<block>") -> the block's top-level keys named in that file."""
    blocks: dict[str, set[str]] = {}
    for rel in sorted(files):
        for node in ast.walk(_tree(rel)):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "load_params"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                block = node.args[0].value
                keys = set((params_yaml().get(block) or {}))
                blocks.setdefault(block, set()).update(keys & _string_constants(rel))
    return blocks


def _param_value(dotted: str):
    value = params_yaml()
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def _param_entries(stage: dict) -> tuple[list[str], list[str]]:
    """(dotted params.yaml keys, problems with entries naming other files)."""
    keys, problems = [], []
    for entry in stage.get("params") or []:
        if isinstance(entry, str):
            keys.append(entry)
        else:
            for file, names in entry.items():
                if file != "params.yaml":
                    problems.append(f"params from {file}: only params.yaml is read by the stages")
                else:
                    keys.extend(names or [])
    return keys, problems


# --- the checks ------------------------------------------------------------------------------------

def check_outs(name: str, stage: dict) -> list[str]:
    """Parquet outs equal the paths of the tables pipeline/schemas.py says this stage writes; the other
    outs (outs, metrics, plots) equal the files the code names."""
    declared = _paths(stage.get("outs")) + _paths(stage.get("metrics")) + _paths(stage.get("plots"))
    tables = {t.path for t in TABLES.values() if t.stage == name}
    parquet = {p for p in declared if p.endswith(".parquet")}
    others = set(declared) - parquet
    expected_others = non_table_outputs().get(name, set())
    problems = []
    for path in sorted(tables - parquet):
        problems.append(f"stage {name}: table {path} (schemas.py, stage={name!r}) is not in its outs")
    for path in sorted(parquet - tables):
        owner = next((t.stage for t in TABLES.values() if t.path == path), None)
        why = f"schemas.py says stage {owner!r} writes it" if owner else "no table in schemas.py has this path"
        problems.append(f"stage {name}: out {path} is not a table it writes ({why})")
    for path in sorted(expected_others - others):
        problems.append(f"stage {name}: the code writes {path}, which is not in its outs/metrics")
    for path in sorted(others - expected_others):
        problems.append(f"stage {name}: out {path} is not a file the code names as this stage's output")
    return problems


def check_deps(name: str, stage: dict) -> list[str]:
    """Deps cover the stage module and every `pipeline` file it imports, directly or transitively,
    and the data files it reads that no stage produces."""
    deps = _paths(stage.get("deps"))
    problems = []
    for path in deps:
        if not (ROOT / path).exists() and not _produced_by_a_stage(path):
            problems.append(f"stage {name}: dep {path} does not exist and no stage produces it")
    module = stage_module(name, stage)
    for rel in sorted(reachable_files(module)):
        if not _covered(rel, deps):
            how = "is the stage module" if rel == module else f"is imported by {module} (directly or not)"
            problems.append(f"stage {name}: {rel} {how} but no dep covers it")
    for rel, why in sorted(data_files_read(name, stage).items()):
        if not _covered(rel, deps):
            problems.append(f"stage {name}: reads {rel} ({'; '.join(why)}) but no dep covers it")
        elif any(w.startswith("params ") for w in why) and rel not in deps:
            # a params key can point anywhere: the file it names is listed by its own path
            problems.append(f"stage {name}: reads {rel} ({'; '.join(why)}), covered only by a folder: list it as a dep")
    return problems


def _produced_by_a_stage(path: str) -> bool:
    return any(_covered(path, _paths(s.get("outs")) + _paths(s.get("metrics")))
               or _covered(out, [path]) for s in dvc_yaml()["stages"].values()
               for out in _paths(s.get("outs")) + _paths(s.get("metrics")))


def data_files_read(name: str, stage: dict) -> dict[str, list[str]]:
    """Repository files the stage reads that are not outputs of a stage -> why we think it reads them:
    files inside `pipeline/` that are not Python, named in a module it imports (e.g. aliases.csv), and
    existing paths given by a params key it reads (e.g. normalize.alias_table). The seeds folder is
    exempt: DVC watches it through the inventory the `scan` stage writes."""
    files = reachable_files(stage_module(name, stage))
    params_files = files - other_stage_modules(name)
    package_data = {p for p in PIPELINE.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}
                    and "__pycache__" not in p.parts}
    found = {}
    for data in sorted(package_data):
        for rel in sorted(files):
            if data.name in _string_constants(rel) and Path(rel).parent == data.parent.relative_to(ROOT):
                found.setdefault(data.relative_to(ROOT).as_posix(), []).append(f"named in {rel}")
    seeds = str(params_yaml()["ingest"]["seeds_dir"]).rstrip("/")
    for block, keys in params_read(params_files).items():
        listed_whole = block in _param_entries(stage)[0]
        for key in sorted(set(params_yaml().get(block) or {}) if listed_whole else keys):
            value = params_yaml()[block][key]
            if (isinstance(value, str) and value and (ROOT / value).is_file()
                    and not _produced_by_a_stage(value) and not _covered(value, [seeds])):
                found.setdefault(value, []).append(f"params {block}.{key}")
    return found


def check_params(name: str, stage: dict) -> list[str]:
    """Params name existing keys of params.yaml; each block the stage reads is listed whole or key by
    key (every key of it the reading module names); no param of a block the stage does not read."""
    keys, problems = _param_entries(stage)
    problems = [f"stage {name}: {p}" for p in problems]
    for key in keys:
        try:
            _param_value(key)
        except KeyError:
            problems.append(f"stage {name}: param {key} is not a key of params.yaml")
    read = params_read(reachable_files(stage_module(name, stage)) - other_stage_modules(name))
    for block, used in sorted(read.items()):
        if block in keys:
            continue
        listed = {k.split(".")[1] for k in keys if k.startswith(block + ".")}
        if not used and not listed:
            problems.append(f"stage {name}: reads params block {block!r} but lists neither it nor any key of it")
        for key in sorted(used - listed):
            problems.append(f"stage {name}: reads {block}.{key} (load_params({block!r})) but its params do not "
                            f"list {block!r} or {block}.{key}")
    for key in keys:
        if key.split(".")[0] not in read:
            problems.append(f"stage {name}: param {key} belongs to block {key.split('.')[0]!r}, "
                            "which the stage never reads with load_params")
    return problems


CHECKS = (check_outs, check_deps, check_params)


def all_problems(dvc: dict) -> list[str]:
    return [p for name, stage in dvc["stages"].items() for check in CHECKS for p in check(name, stage)]


# --- tests -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("stage", sorted(dvc_yaml()["stages"]))
def test_dvc_yaml_matches_code(stage, check):
    problems = check(stage, dvc_yaml()["stages"][stage])
    assert not problems, "dvc.yaml disagrees with the code:\n" + "\n".join(problems)


def test_every_table_has_a_stage_that_writes_it():
    outs = {p for s in dvc_yaml()["stages"].values() for p in _paths(s.get("outs"))}
    assert {t.path for t in TABLES.values()} <= outs
    assert {t.stage for t in TABLES.values()} <= set(dvc_yaml()["stages"])


def test_import_walk_follows_lazy_and_submodule_imports():
    files = reachable_files("pipeline/report.py")
    assert "pipeline/reporting/figures.py" in files  # `from pipeline.reporting import data, figures`
    assert "pipeline/schemas.py" in files  # through pipeline.common
    assert "pipeline/reporting/__init__.py" not in files  # docstring only
    assert "pipeline/nlp/pubdate.py" in reachable_files("pipeline/parse.py")  # imported inside a function
    assert "pipeline/parsing/rules.py" in reachable_files("pipeline/parse.py")  # through pipeline.parsing.document


def test_positive_control_missing_dep_is_reported():
    broken = copy.deepcopy(dvc_yaml())
    deps = broken["stages"]["aggregate"]["deps"]
    deps.remove("pipeline/agreement")
    deps.append("pipeline/agreement/build.py")  # the entry point alone: its own imports are missed
    problems = check_deps("aggregate", broken["stages"]["aggregate"])
    assert "stage aggregate: pipeline/agreement/conflicts.py is imported by pipeline/aggregate.py (directly or not)" \
           " but no dep covers it" in problems
    assert not any("build.py" in p for p in problems)


def test_positive_control_missing_data_file_is_reported():
    broken = copy.deepcopy(dvc_yaml())
    stage = broken["stages"]["normalize"]
    stage["deps"] = [d for d in stage["deps"] if d not in ("pipeline/nlp", "pipeline/nlp/aliases.csv")]
    stage["deps"] += [p.relative_to(ROOT).as_posix() for p in sorted((PIPELINE / "nlp").glob("*.py"))]
    problems = check_deps("normalize", stage)
    assert problems == ["stage normalize: reads pipeline/nlp/aliases.csv (named in pipeline/nlp/entities.py; "
                        "params normalize.alias_table) but no dep covers it"]
    stage["deps"].append("pipeline/nlp")  # the folder covers it, but a params path is listed by itself
    assert check_deps("normalize", stage) == [
        "stage normalize: reads pipeline/nlp/aliases.csv (named in pipeline/nlp/entities.py; params "
        "normalize.alias_table), covered only by a folder: list it as a dep"]


def test_positive_control_extra_and_missing_outs_are_reported():
    broken = copy.deepcopy(dvc_yaml())
    outs = broken["stages"]["parse"]["outs"]
    outs.remove("data/parsed/links.parquet")
    outs.append("data/normalized/quotes.parquet")
    outs.append("data/parsed/stray.json")
    assert check_outs("parse", broken["stages"]["parse"]) == [
        "stage parse: table data/parsed/links.parquet (schemas.py, stage='parse') is not in its outs",
        "stage parse: out data/normalized/quotes.parquet is not a table it writes (schemas.py says stage "
        "'normalize' writes it)",
        "stage parse: out data/parsed/stray.json is not a file the code names as this stage's output",
    ]


def test_positive_control_params_are_reported():
    broken = copy.deepcopy(dvc_yaml())
    validate = broken["stages"]["validate"]
    validate["params"] = ["validate", "ingest.seeds_dir", "ingest.collection_columns", "report.no_such_key"]
    problems = check_params("validate", validate)
    assert problems == [
        "stage validate: param report.no_such_key is not a key of params.yaml",
        "stage validate: reads ingest.manifest (load_params('ingest')) but its params do not list 'ingest' or "
        "ingest.manifest",
        "stage validate: param report.no_such_key belongs to block 'report', which the stage never reads with "
        "load_params",
    ]
    scan = copy.deepcopy(broken["stages"]["scan"])
    scan["params"] = []
    assert check_params("scan", scan) == ["stage scan: reads ingest.seeds_dir (load_params('ingest')) but its "
                                          "params do not list 'ingest' or ingest.seeds_dir"]
