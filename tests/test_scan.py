"""The seeds inventory (stage `scan`) that DVC watches instead of the seeds folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.intake.inventory import inventory, inventory_lines


def _rows(folder: Path) -> dict[str, dict]:
    return {row["path"]: row for row in inventory(folder)}


def test_links_are_recorded_by_their_text_and_never_followed(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SEGRETO", encoding="utf-8")
    os.mkfifo(outside / "pipe")  # opening it for reading would block the test forever
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "a.txt").write_text("Articolo uno.", encoding="utf-8")
    (seeds / "sub" / "b.txt").write_text("Articolo due.", encoding="utf-8")
    os.symlink(outside / "secret.txt", seeds / "out.txt")
    os.symlink(outside / "pipe", seeds / "pipe.txt")
    os.symlink(outside, seeds / "outdir")
    os.symlink("nowhere.txt", seeds / "broken.txt")
    os.symlink("loop2", seeds / "loop1")
    os.symlink("loop1", seeds / "loop2")
    os.symlink("sub", seeds / "again")
    os.mkfifo(seeds / "fifo.txt")

    rows = _rows(seeds)

    assert set(rows) == {"a.txt", "sub/b.txt", "out.txt", "pipe.txt", "outdir", "broken.txt", "loop1", "loop2",
                         "again", "fifo.txt"}
    assert rows["a.txt"]["kind"] == "file" and len(rows["a.txt"]["detail"]) == 64
    assert rows["out.txt"] == {"path": "out.txt", "kind": "link", "detail": str(outside / "secret.txt")}
    assert rows["outdir"]["kind"] == rows["again"]["kind"] == rows["loop1"]["kind"] == "link"
    assert rows["broken.txt"]["detail"] == "nowhere.txt"
    assert rows["fifo.txt"]["kind"] == "special"
    assert "SEGRETO" not in inventory_lines(seeds)


def test_inventory_changes_exactly_when_the_folder_does(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Articolo uno.", encoding="utf-8")
    (seeds / "sources.csv").write_text("path,outlet\na.txt,Gazzetta\n", encoding="utf-8")
    first = inventory_lines(seeds)
    assert inventory_lines(seeds) == first  # same folder, same bytes
    os.utime(seeds / "a.txt", (0, 0))
    assert inventory_lines(seeds) == first  # a touched file is not a changed file
    (seeds / "a.txt").write_text("Articolo uno, corretto.", encoding="utf-8")
    second = inventory_lines(seeds)
    assert second != first
    (seeds / "sources.csv").write_text("path,outlet\na.txt,Corriere\n", encoding="utf-8")
    assert inventory_lines(seeds) != second  # the manifest is watched too
    assert all(json.loads(line)["path"] for line in second.splitlines())


def test_a_missing_folder_has_an_empty_inventory(tmp_path: Path):
    assert inventory_lines(tmp_path / "nope") == ""
