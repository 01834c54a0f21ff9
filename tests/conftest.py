"""Shared fixtures. `pipeline_run` runs the real `dvc repro` once per test session on a copy of the
repository whose seeds/ holds, besides the five seeds, the problem files of `PROBLEM_FILES`.

Tests of any stage may use it: `pipeline_run` is the root of the copy after a successful run, so
its tables are read with `pipeline.common.read_table(name, root=pipeline_run)`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.helpers import pipeline_env

REPO_ROOT = Path(__file__).resolve().parent.parent
# Never copied: environments, DVC outputs and caches, VCS data.
EXCLUDED_TOP_LEVEL = {".venv", ".tools", ".git", "data", "dvc.lock", ".pytest_cache"}
# ingest.max_bytes in the copy, so that an oversize file stays small.
RUN_MAX_BYTES = 20_000

_ITALIAN_BODY = (
    "Il Consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità cittadina, dopo una "
    "seduta durata più di cinque ore. «È una scelta che cambierà la città», ha detto l’assessora ai "
    "trasporti, mentre l’opposizione ha annunciato un ricorso al Tar. Il piano prevede nuove piste "
    "ciclabili, un aumento delle corse dei bus notturni e una zona a traffico limitato più ampia – "
    "con una spesa di circa 12 milioni di euro nei prossimi tre anni."
)
_ITALIAN_BODY_2 = (
    "I commercianti del centro si sono detti preoccupati per le possibili ripercussioni sulle vendite. "
    "Secondo l’associazione di categoria, la chiusura al traffico di alcune strade potrebbe ridurre "
    "gli accessi nei negozi, almeno nei primi mesi. Il sindaco ha promesso un tavolo di confronto già "
    "dalla prossima settimana."
)
_ENGLISH = (
    "City council approved the new urban mobility plan last night after a meeting that lasted more than "
    "five hours. The opposition said it would appeal to the regional administrative court. The plan "
    "includes new cycle lanes, more night buses and a larger limited traffic zone, at a cost of about "
    "twelve million euros over the next three years."
)


@dataclass(frozen=True)
class ProblemFile:
    """A file the fixture adds to seeds/, and what ingest and parse must make of it."""

    path: str  # relative to the repository root
    content: bytes
    reason: str | None  # expected rejection reason; None when the file must be accepted
    title: str | None = None  # expected article title of an accepted file
    encoding: str | None = None  # expected detected encoding of an accepted file
    outlet: str | None = None  # manifest row added for the file, when set
    published_date: str | None = None


def _problem_files() -> tuple[ProblemFile, ...]:
    seed_003 = REPO_ROOT / "seeds" / "003_e53c9e50c8586f4d.txt"
    mojibake = f"Nuovo piano per la mobilità in città\n\n{_ITALIAN_BODY}\n\n{_ITALIAN_BODY_2}\n"
    html = (
        "<!DOCTYPE html><html><head><title>Mobilità</title>"
        "<script>window.dataLayer = ['TRACCIAMENTO SEGRETO'];</script><style>p{margin:0}</style></head>"
        "<body><h1>Traffico, la città cambia volto</h1>"
        f"<p>{_ITALIAN_BODY.replace('«', '&laquo;').replace('»', '&raquo;')}</p>"
        f"<p>{_ITALIAN_BODY_2}</p><p>Riproduzione riservata</p></body></html>"
    )
    return (
        ProblemFile("seeds/problems/empty.txt", b"", "empty"),
        ProblemFile("seeds/problems/blank.txt", b"  \r\n\n\t\n", "empty"),
        ProblemFile("seeds/problems/image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ProblemFile(
            "seeds/problems/cp1252.txt",
            f"Mobilità, approvato il piano – e ora il Tar\n\n{_ITALIAN_BODY}\n\n{_ITALIAN_BODY_2} “Costa 12 €”.\n"
            .encode("cp1252"),
            None, title="Mobilità, approvato il piano – e ora il Tar", encoding="cp1252",
            outlet="Gazzetta di Prova", published_date="2025-02-13",
        ),
        ProblemFile(
            "seeds/problems/bom_crlf.txt",
            b"\xef\xbb\xbf" + f"Piano mobilità, le reazioni\r\n\r\n{_ITALIAN_BODY}\r\n\r\n{_ITALIAN_BODY_2}\r\n".encode(),
            None, title="Piano mobilità, le reazioni", encoding="utf-8-sig",
        ),
        ProblemFile("seeds/problems/page.html", html.encode(), None, title="Traffico, la città cambia volto",
                    encoding="utf-8", outlet="Gazzetta di Prova"),
        ProblemFile("seeds/problems/copy_of_003.txt", seed_003.read_bytes(), "duplicate"),
        ProblemFile("seeds/problems/oversize.txt",
                    ("Titolo\n\n" + (_ITALIAN_BODY + "\n\n") * (RUN_MAX_BYTES // len(_ITALIAN_BODY) + 2)).encode(),
                    "too_large"),
        ProblemFile("seeds/problems/english.txt", f"Mobility plan approved\n\n{_ENGLISH}\n".encode(),
                    "unsupported_language"),
        ProblemFile("seeds/problems/mojibake.txt", mojibake.encode("utf-8").decode("cp1252").encode("utf-8"),
                    None, title="Nuovo piano per la mobilità in città", encoding="utf-8+mojibake-repaired"),
    )


# A word that only the file outside seeds/ holds: no table may ever contain it.
OUTSIDE_SENTINEL = "Zirconatorio"


@dataclass(frozen=True)
class ProblemLink:
    """A symbolic link the fixture adds to seeds/, and the reason ingest must reject it for.
    `target` is written as is; `{outside}` stands for a folder beside the copy, outside seeds/."""

    path: str
    target: str
    reason: str


def _adversarial_files() -> tuple[ProblemFile, ...]:
    """Italian articles of the shapes real scraped corpora bring, all of which must be read."""
    body = f"{_ITALIAN_BODY}\n\n{_ITALIAN_BODY_2}\n"
    deep = "<div>" * 1500 + f"<p>{_ITALIAN_BODY}</p>" + "</div>" * 1500  # deeper than lxml (256) and Python (1000) limits
    spaced = "\n".join("  ".join(" ".join(word) for word in line.split()) for line in body.splitlines())
    payload = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg" * 80
    ranges = ("date 2025-04\nStagione 2024-25, i numeri del Comune\n\n"
              "I residenti iscritti sono scesi da 300 a 200 persone in dieci anni, con un calo tra il 5 e il 3 "
              "per cento l'anno. La partita di sabato è finita 3-1 e la prossima è fissata per il 10/12. "
              f"{_ITALIAN_BODY}\n")
    live = ("Ore 10.32 – Diretta\n\nOre 10.32 – " + _ITALIAN_BODY + "\n\n•••\n\nOre 11.05 – " + _ITALIAN_BODY_2
            + "\n\nCondividi su Facebook\nLeggi anche\n")
    return (
        ProblemFile("seeds/adversarial/scraped_ranges.txt", ranges.encode(), None),
        ProblemFile("seeds/adversarial/deep.html", f"<html><body>{deep}</body></html>".encode(), None),
        ProblemFile("seeds/adversarial/data_uri.md",
                    f"# Mobilità, il piano\n\n![grafico](data:image/png;base64,{payload})\n\n{body}".encode(), None),
        ProblemFile("seeds/adversarial/letter_spaced.txt", spaced.encode(), None,
                    encoding="utf-8+letter-spacing-collapsed"),
        ProblemFile("seeds/adversarial/controls.txt",
                    body.replace("mobilità", "mobi\x00lità", 1).replace("opposizione", "oppo\x07sizione").encode(),
                    None, encoding="utf-8+controls-removed"),
        ProblemFile("seeds/adversarial/live_blog.txt", live.encode(), None),
        ProblemFile("seeds/adversarial/long_line.txt",
                    (" ".join(_ITALIAN_BODY.replace(".", "").split()) + " ") .encode() * 12, None),
        ProblemFile("seeds/adversarial/utf16_no_bom.txt", ("Il piano e le reazioni\n\n" + body).encode("utf-16-le"),
                    None, encoding="utf-16-le"),
        ProblemFile("seeds/adversarial/cr_only.txt", body.replace("\n", "\r").encode(), None),
        ProblemFile("seeds/adversarial/notizia è #1 (copia).txt",
                    ("Zero\u200bwidth e \u200emarchi\n\n" + _ITALIAN_BODY_2 + " Il sindaco ha promes").encode(), None),
        ProblemFile("seeds/adversarial/markup_only.html", b"<div><span></span><br/></div>", "empty"),
        ProblemFile("seeds/adversarial/binary_tail.txt",
                    _ITALIAN_BODY.encode() + bytes(range(0, 32)) * 400, "binary"),
    )


@dataclass(frozen=True)
class ExpectedArticle:
    """What the tables must say about one article read from its own metadata (a collection row or
    a web page): `path` is the documents path (`<file>#<row id>` for a row)."""

    path: str
    outlet: str
    url: str
    published_date: str
    date_source: str
    title: str


def _collection_files() -> tuple[tuple[ProblemFile, ...], dict[str, str], tuple[ExpectedArticle, ...]]:
    """Article collections (CSV, JSON Lines, Parquet) and a saved page with JSON-LD metadata:
    (files, {row path: rejection reason} for the rows that must be rejected, expected articles)."""
    import io
    import json

    import polars as pl

    csv_text = (
        "\ufeffid;titolo;data;testata;link;testo\n"
        f'c1;Bus notturni, più corse;2025-02-20T08:00:00+01:00;Corriere di Prova;https://www.corrieredp.it/bus;"{_ITALIAN_BODY}\n\n{_ITALIAN_BODY_2}"\n'
        f'c1;Bus notturni, più corse;2025-02-20T08:00:00+01:00;Corriere di Prova;https://www.corrieredp.it/bus;"{_ITALIAN_BODY}\n\n{_ITALIAN_BODY_2}"\n'
        "c3;Senza testo;2025-02-20;Corriere di Prova;;\n"
    )
    jsonl = "\n".join([
        json.dumps({"id": "j1", "title": "Mobilità, la protesta dei commercianti", "date_publish": "2025-02-21 09:15:00",
                    "source_domain": "Il Quotidiano di Prova", "url": "https://www.quotidianodp.it/commercianti",
                    "maintext": f"{_ITALIAN_BODY_2}\n\n{_ITALIAN_BODY}", "authors": ["Anna Neri"]}, ensure_ascii=False),
        '{"id": "j2", "maintext": "riga spezzata',
        json.dumps({"id": "j3", "title": "Mobility plan", "maintext": _ENGLISH}),
    ]) + "\n"
    parquet = io.BytesIO()
    pl.DataFrame({
        "article_id": [101],
        "headline": ["Piano della mobilità, il voto in Consiglio"],
        "content": [f"{_ITALIAN_BODY}\n\nIl voto finale è atteso per la prossima settimana."],
        "media_name": ["Radio Prova"],
        "publish_date": [__import__("datetime").date(2025, 2, 22)],
        "url": ["https://www.radioprova.it/piano-mobilita"],
    }).write_parquet(parquet)
    page = (
        "<!DOCTYPE html><html lang='it'><head><title>Ciclabili | Notizie di Prova</title>"
        "<link rel='canonical' href='https://www.notiziediprova.it/ciclabili-nord'>"
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Ciclabili, dieci chilometri nella zona nord", "datePublished": "2025-02-23T07:30:00+01:00", '
        '"author": {"@type": "Person", "name": "Paola Blu"}, '
        '"publisher": {"@type": "Organization", "name": "Notizie di Prova"}}</script></head><body>'
        "<nav><a href='/'>Home</a> <a href='/cronaca'>Cronaca</a></nav>"
        f"<div class='testo'><p>{_ITALIAN_BODY}</p><p>{_ITALIAN_BODY_2}</p></div>"
        "<div class='commenti'><p>Franco: speriamo che questa volta i lavori finiscano in tempo.</p></div>"
        "</body></html>"
    )
    files = (
        ProblemFile("seeds/collections/export.csv", csv_text.encode(), None),
        ProblemFile("seeds/collections/scrape.jsonl", jsonl.encode(), None),
        ProblemFile("seeds/collections/dump.parquet", parquet.getvalue(), None),
        ProblemFile("seeds/collections/ciclabili.html", page.encode(), None,
                    title="Ciclabili, dieci chilometri nella zona nord"),
    )
    rejected_rows = {
        "seeds/collections/export.csv#c1@2": "duplicate",
        "seeds/collections/export.csv#c3": "empty",
        "seeds/collections/scrape.jsonl#2": "malformed_row",
        "seeds/collections/scrape.jsonl#j3": "unsupported_language",
    }
    expected = (
        ExpectedArticle("seeds/collections/export.csv#c1", "Corriere di Prova", "https://www.corrieredp.it/bus",
                        "2025-02-20", "collection", "Bus notturni, più corse"),
        ExpectedArticle("seeds/collections/scrape.jsonl#j1", "Il Quotidiano di Prova",
                        "https://www.quotidianodp.it/commercianti", "2025-02-21", "collection",
                        "Mobilità, la protesta dei commercianti"),
        ExpectedArticle("seeds/collections/dump.parquet#101", "Radio Prova", "https://www.radioprova.it/piano-mobilita",
                        "2025-02-22", "collection", "Piano della mobilità, il voto in Consiglio"),
        ExpectedArticle("seeds/collections/ciclabili.html", "Notizie di Prova", "https://www.notiziediprova.it/ciclabili-nord",
                        "2025-02-23", "html_meta", "Ciclabili, dieci chilometri nella zona nord"),
    )
    return files, rejected_rows, expected


COLLECTION_FILES, COLLECTION_REJECTED_ROWS, EXPECTED_ARTICLES = _collection_files()
# Inputs whose outcome rows are their rows (`<file>#<row id>`), not the file itself.
COLLECTION_PATHS = frozenset(p.path for p in COLLECTION_FILES if not p.path.endswith(".html"))
PROBLEM_FILES: tuple[ProblemFile, ...] = _problem_files() + _adversarial_files() + COLLECTION_FILES
PROBLEM_LINKS: tuple[ProblemLink, ...] = (
    ProblemLink("seeds/adversarial/to_outside_file.txt", "{outside}/secret.txt", "outside_seeds"),
    ProblemLink("seeds/adversarial/to_outside_pipe.txt", "{outside}/pipe", "outside_seeds"),
    ProblemLink("seeds/adversarial/to_outside_folder", "{outside}", "outside_seeds"),
    ProblemLink("seeds/adversarial/up_and_out.txt", "../../../outside/secret.txt", "outside_seeds"),
    ProblemLink("seeds/adversarial/to_seed_003.txt", "../003_e53c9e50c8586f4d.txt", "duplicate"),
    ProblemLink("seeds/adversarial/to_problems_folder", "../problems", "duplicate"),
    ProblemLink("seeds/adversarial/broken.txt", "no_such_file.txt", "unreadable"),
    ProblemLink("seeds/adversarial/loop_a", "loop_b", "unreadable"),
    ProblemLink("seeds/adversarial/loop_b", "loop_a", "unreadable"),
)
# A hidden file in seeds/ that must end in neither table.
HIDDEN_FILE = "seeds/problems/.gitkeep"


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
    (outside / "secret.txt").write_text(f"{_ITALIAN_BODY} {OUTSIDE_SENTINEL}.\n", encoding="utf-8")
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
