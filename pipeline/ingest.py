"""Stage `ingest`: read every input file once, decode it, and accept or reject it.

Outputs (grain in `pipeline.schemas`):
- `documents`: one row per accepted input file (decoded text, NFC, `\\n` line ends, no BOM).
- `rejected`: one row per input file that was not accepted, with a reason and a sentence saying why.

Every entry under `seeds_dir` (except hidden files and folders and the manifest) ends in exactly one
of the two tables; one bad file never stops the run. An entry is a regular file, a symbolic link (to
a file or a folder, broken or looping) or a special file (named pipe, socket, device). Nothing
outside `seeds_dir` is ever opened or stat'ed: symbolic links are resolved one link at a time with
`os.readlink` (`resolve_link`), and one that leads outside is rejected (`outside_seeds`) before any
part of its target outside is touched. A link to another input file, or to a folder of input files,
is one `duplicate` row (the files are read under their own paths; links to folders are never walked).

The logic lives in `pipeline.intake`, in pure functions on bytes and strings (`decode.decode_bytes`,
`decode.collapse_letter_spacing`, `detect.visible_text`, `detect.detect_format`, `detect.detect_language`,
`classify.classify_file`, `outcomes.settle_duplicates`); `main` only runs `outcomes.iter_folder` and
writes the two tables. The files are decided (decoded, language identified) in partitions on the
execution engine (params `execution`, pipeline/execution.py); listing, link resolution, reading,
collections (streamed row by row) and duplicates stay in this process, so the tables are the same
on any engine and workers never open a file.
"""

from __future__ import annotations

import logging

from pipeline.common import ROOT, frame, load_params, setup_logging, table_path, write_table
from pipeline.execution import load_execution, open_engine
from pipeline.intake.classify import IngestConfig
from pipeline.intake.outcomes import DocumentWriter, iter_folder

log = logging.getLogger("pipeline.ingest")


def main() -> None:
    setup_logging()
    params = load_params("ingest")
    config = IngestConfig.from_params(params)
    seeds_dir = ROOT / params["seeds_dir"]
    if not seeds_dir.is_dir():
        log.warning("seeds_dir %s does not exist: no input files", seeds_dir)
    manifest_path = ROOT / params["manifest"] if params.get("manifest") else None
    writer = DocumentWriter(table_path("documents"))
    rejected_rows: list[dict] = []
    with open_engine(load_execution()) as engine:
        for table, row in iter_folder(seeds_dir, manifest_path, config, ROOT, engine):
            if table == "document":
                writer.add(row)
            else:
                rejected_rows.append(row)
    n_documents = writer.close()
    rejected = frame("rejected", rejected_rows)
    write_table("rejected", rejected)
    log.info("ingest: %d documents accepted, %d files or rows rejected", n_documents, rejected.height)
    for row in rejected.head(200).iter_rows(named=True):
        log.info("rejected %s (%s): %s", row["path"], row["reason"], row["detail"])


if __name__ == "__main__":
    main()
