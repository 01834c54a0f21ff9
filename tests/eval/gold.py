"""The evaluation gold (tests/eval/gold.yaml): loading, text folding and internal consistency checks.

An evidence item is (document id, substring). Items name sentences: the scorer maps each one to the
pipeline sentence of its document that contains the substring, after both are folded by `sentence_key`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parent
GOLD_PATH = EVAL_DIR / "gold.yaml"
CORPUS_DIR = EVAL_DIR / "corpus"
MANIFEST_NAME = "sources.csv"

Item = tuple[str, str]  # (document id, substring)


def sentence_key(text: str) -> str:
    """Text as gold and pipeline sentences can agree on: NFC, one kind of quote and apostrophe, no
    bold/underline markup, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[«»“”„\"]", '"', text)
    text = text.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Document:
    doc: str  # gold id, e.g. "t01"
    story: str
    path: str  # relative to the seeds folder
    outlet: str
    date: str  # true publication date
    dated: bool  # the manifest gives the date
    event: str  # main event key
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    event: str
    story: str
    date: str
    kind: str
    planned: bool


@dataclass(frozen=True)
class Claim:
    claim: str
    event: str
    measure: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Disagreement:
    """A true conflict: every pair of an item of `a` and an item of `b` is a conflicting pair."""

    conflict: str
    kind: str
    claim: str
    a: tuple[Item, ...]
    b: tuple[Item, ...]


@dataclass(frozen=True)
class MustNot:
    """Pairs that look alike but must not be reported as conflicts (every a x b pair)."""

    pair: str
    why: str
    a: tuple[Item, ...]
    b: tuple[Item, ...]


@dataclass(frozen=True)
class Gold:
    stories: tuple[str, ...]
    documents: dict[str, Document]
    events: dict[str, Event]
    claims: tuple[Claim, ...]
    conflicts: tuple[Disagreement, ...]
    must_not: tuple[MustNot, ...]

    def items(self) -> set[Item]:
        """Every evidence item the gold names."""
        out: set[Item] = set()
        for claim in self.claims:
            out.update(claim.items)
        for entry in (*self.conflicts, *self.must_not):
            out.update(entry.a)
            out.update(entry.b)
        return out

    def item_events(self) -> dict[Item, set[str]]:
        """Events each item speaks of (through the claims it is evidence for)."""
        out: dict[Item, set[str]] = {}
        for claim in self.claims:
            for item in claim.items:
                out.setdefault(item, set()).add(claim.event)
        return out


def _items(raw: list) -> tuple[Item, ...]:
    return tuple((str(doc), str(sub)) for doc, sub in raw)


def parse_gold(data: dict) -> Gold:
    """Gold from the parsed YAML (one top-level key per story)."""
    documents: dict[str, Document] = {}
    events: dict[str, Event] = {}
    claims: list[Claim] = []
    conflicts: list[Disagreement] = []
    must_not: list[MustNot] = []
    for story, block in data.items():
        for key, ev in (block.get("events") or {}).items():
            events[key] = Event(key, story, str(ev.get("date", "")), str(ev.get("kind", "")), bool(ev.get("planned")))
        for key, d in (block.get("documents") or {}).items():
            documents[key] = Document(key, story, d["path"], d["outlet"], str(d["date"]), bool(d["dated"]),
                                      d["event"], tuple(d.get("mentions") or ()))
        for c in block.get("claims") or ():
            claims.append(Claim(c["id"], c["event"], c.get("measure", ""), _items(c["evidence"])))
        for c in block.get("conflicts") or ():
            conflicts.append(Disagreement(c["id"], c["kind"], c["claim"], _items(c["a"]), _items(c["b"])))
        for m in block.get("must_not_conflict") or ():
            must_not.append(MustNot(m["id"], m["why"], _items(m["a"]), _items(m["b"])))
    return Gold(tuple(data), documents, events, tuple(claims), tuple(conflicts), tuple(must_not))


def load_gold(path: Path = GOLD_PATH) -> Gold:
    return parse_gold(yaml.safe_load(path.read_text(encoding="utf-8")))


def read_manifest(corpus_dir: Path = CORPUS_DIR) -> list[dict[str, str]]:
    with open(corpus_dir / MANIFEST_NAME, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def corpus_summary(gold: Gold) -> dict:
    """The counts the brief sets floors on."""
    real_events = {e.event for e in gold.events.values() if not e.planned}
    main_events_by_story: dict[str, set[str]] = {}
    for d in gold.documents.values():
        main_events_by_story.setdefault(d.story, set()).add(d.event)
    n_docs = len(gold.documents)
    n_undated = sum(not d.dated for d in gold.documents.values())
    return {
        "n_documents": n_docs,
        "n_outlets": len({d.outlet for d in gold.documents.values()}),
        "n_stories": len(gold.stories),
        "n_events": len(real_events),
        "events_per_story": {s: len(ev & real_events) for s, ev in sorted(main_events_by_story.items())},
        "n_undated": n_undated,
        "undated_share": round(n_undated / n_docs, 4) if n_docs else 0.0,
        "n_markdown": sum(d.path.endswith(".md") for d in gold.documents.values()),
        "n_claims": len(gold.claims),
        "n_true_conflicts": len(gold.conflicts),
        "n_true_conflict_pairs": sum(len(c.a) * len(c.b) for c in gold.conflicts),
        "n_must_not_sets": len(gold.must_not),
        "n_must_not_pairs": sum(len(m.a) * len(m.b) for m in gold.must_not),
    }


def check_gold(gold: Gold, corpus_dir: Path = CORPUS_DIR) -> list[str]:
    """Problems with the gold, as sentences (empty when consistent)."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    for d in gold.documents.values():
        file = corpus_dir / d.path
        if not file.is_file():
            problems.append(f"{d.doc}: {d.path} does not exist")
            continue
        texts[d.doc] = sentence_key(file.read_text(encoding="utf-8"))
        for ev in (d.event, *d.mentions):
            if ev not in gold.events:
                problems.append(f"{d.doc}: unknown event {ev}")
            elif gold.events[ev].story != d.story:
                problems.append(f"{d.doc}: event {ev} belongs to story {gold.events[ev].story}, not {d.story}")
        if d.event in gold.events and gold.events[d.event].planned:
            problems.append(f"{d.doc}: main event {d.event} is a planned event")

    for doc, sub in sorted(gold.items()):
        if doc not in gold.documents:
            problems.append(f"item ({doc}, {sub!r}): unknown document")
            continue
        if doc not in texts:
            continue
        n = texts[doc].count(sentence_key(sub))
        if n != 1:
            problems.append(f"item ({doc}, {sub!r}): occurs {n} times in {gold.documents[doc].path}, not once")
        elif "\n" in sub or len(sentence_key(sub)) < 5:
            problems.append(f"item ({doc}, {sub!r}): too short or spans lines")

    claims = {c.claim: c for c in gold.claims}
    if len(claims) != len(gold.claims):
        problems.append("claim ids are not unique")
    for c in gold.claims:
        if c.event not in gold.events:
            problems.append(f"claim {c.claim}: unknown event {c.event}")
        for doc, _ in c.items:
            d = gold.documents.get(doc)
            if d and c.event not in (d.event, *d.mentions):
                problems.append(f"claim {c.claim}: document {doc} does not list event {c.event}")
    in_claims = {item for c in gold.claims for item in c.items}
    for entry in gold.conflicts:
        claim = claims.get(entry.claim)
        if claim is None:
            problems.append(f"conflict {entry.conflict}: unknown claim {entry.claim}")
            continue
        if not entry.a or not entry.b:
            problems.append(f"conflict {entry.conflict}: a side is empty")
        if set(entry.a) & set(entry.b):
            problems.append(f"conflict {entry.conflict}: an item is on both sides")
        for item in (*entry.a, *entry.b):
            if item not in claim.items:
                problems.append(f"conflict {entry.conflict}: {item} is not evidence of claim {entry.claim}")
        if not any(a[0] != b[0] for a in entry.a for b in entry.b):
            problems.append(f"conflict {entry.conflict}: no pair across two documents")
    for entry in gold.must_not:
        for item in (*entry.a, *entry.b):
            if item not in in_claims:
                problems.append(f"must_not {entry.pair}: {item} is evidence of no claim")
        for c in gold.conflicts:
            for a in entry.a:
                for b in entry.b:
                    if (a in c.a and b in c.b) or (a in c.b and b in c.a):
                        problems.append(f"must_not {entry.pair}: {a} x {b} is also true conflict {c.conflict}")
    ids = [c.conflict for c in gold.conflicts] + [m.pair for m in gold.must_not]
    if len(ids) != len(set(ids)):
        problems.append("conflict / must_not ids are not unique")

    by_path = {d.path: d for d in gold.documents.values()}
    manifest = read_manifest(corpus_dir)
    listed = {row["path"] for row in manifest}
    for row in manifest:
        d = by_path.get(row["path"])
        if d is None:
            problems.append(f"manifest: {row['path']} is not a gold document")
            continue
        if row["outlet"] != d.outlet or not row["url"]:
            problems.append(f"manifest: {row['path']} outlet/url do not match the gold")
        expected_date = d.date if d.dated else ""
        if row["published_date"] != expected_date:
            problems.append(f"manifest: {row['path']} date {row['published_date']!r}, gold says {expected_date!r}")
    for path in sorted(set(by_path) - listed):
        problems.append(f"manifest: {path} is missing")
    on_disk = {p.relative_to(corpus_dir).as_posix() for p in corpus_dir.rglob("*")
               if p.is_file() and p.name != MANIFEST_NAME}
    for path in sorted(on_disk - set(by_path)):
        problems.append(f"corpus file {path} has no gold entry")
    return problems
