"""Reading the input folder: what is in `seeds/`, without leaving it (the logic of stages `scan` and
`ingest`): `inventory` (scan), `inputs` (entries and symbolic links), `decode` (bytes -> text),
`detect` (visible text, format, language), `manifest`, `collections` (CSV/JSONL/Parquet),
`classify` (accept or reject one file or row), `outcomes` (every entry in exactly one table),
`webpage` (HTML metadata and main text, for parse)."""
