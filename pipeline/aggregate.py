"""Stage `aggregate`: events, facts, claims, evidence, typed conflicts and source agreement.

Reads data/parsed/{articles,sources} and data/normalized/{sentences,entities,mentions,quotes,
time_expressions,quantities}; writes the aggregated tables (pipeline.schemas, stage
`aggregate`) and reports/agreement.json. The logic lives in pipeline.agreement.
"""

from __future__ import annotations

import json
import sys

from pipeline.agreement.build import INPUT_TABLES, OUTPUT_TABLES, AggregateParams, aggregate, agreement_metrics
from pipeline.common import ROOT, load_params, read_table, settings_from_params, write_table

METRICS_PATH = "reports/agreement.json"


def main() -> None:
    params = settings_from_params(AggregateParams, load_params("aggregate"), "aggregate")
    inputs = {name: read_table(name) for name in INPUT_TABLES}
    tables = aggregate(inputs, params)
    for name in OUTPUT_TABLES:
        write_table(name, tables[name])
    metrics = agreement_metrics(tables)
    path = ROOT / METRICS_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"aggregate: {metrics['n_events']} events, {metrics['n_facts']} facts, {metrics['n_claims']} claims "
        f"({metrics['n_multi_source_claims']} multi-source), {metrics['n_conflicts']} confirmed conflicts "
        f"({metrics['n_conflicts_to_check']} to check), "
        f"{metrics['n_near_duplicate_pairs']} near-duplicate pairs",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
