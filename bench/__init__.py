"""Benchmark tooling (not a pipeline stage): the harness that times every stage on synthetic corpora
(`python -m bench`, module `bench.run`), its scoring against the generator's truth (`bench.score`),
its summary and chart (`bench.report`), the synthetic corpus generator (`python -m bench.synthetic`)
and the adversarial long articles (`python -m bench.long_articles`)."""
