"""Stage `scan`: write the inventory of `seeds/` (pipeline.intake.inventory) that DVC watches.

It runs on every `dvc repro` (always_changed) and costs one read of each input file; when the
inventory's bytes are unchanged, DVC skips `ingest` and everything after it.
"""

from __future__ import annotations

import logging

from pipeline.common import ROOT, load_params, setup_logging
from pipeline.intake.inventory import INVENTORY_PATH, inventory_lines

log = logging.getLogger("pipeline.scan")


def main() -> None:
    setup_logging()
    seeds_dir = ROOT / load_params("ingest")["seeds_dir"]
    lines = inventory_lines(seeds_dir)
    path = ROOT / INVENTORY_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lines, encoding="utf-8")
    log.info("scan: %d entries in %s", lines.count("\n"), seeds_dir)


if __name__ == "__main__":
    main()
