"""Regression floor: the extractors must keep their measured quality on the labelled set.

The floors sit below the measured values (see README, "Measured quality") so that a rule change
that costs real precision or recall fails here, while a single new miss does not.
"""

import pytest

from tests.quality.labelled import CASES
from tests.quality.measure import measure

FLOORS = {
    "mentions (span)": (0.90, 0.85),
    "mentions (linked)": (0.85, 0.80),
    "time expressions": (0.80, 0.75),
    "quantities": (0.80, 0.75),
}


@pytest.fixture(scope="module")
def results():
    return measure()


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_precision_and_recall_floors(results, category):
    min_precision, min_recall = FLOORS[category]
    r = results[category]
    assert r["n_labelled"] > 0
    assert r["precision"] >= min_precision, f"{category}: precision {r['precision']:.3f} < {min_precision}"
    assert r["recall"] >= min_recall, f"{category}: recall {r['recall']:.3f} < {min_recall}"


def test_entity_types_mostly_right(results):
    assert results["mentions (span)"]["type_accuracy"] >= 0.8


def test_labelled_set_is_substantial_and_varied():
    assert 40 <= len(CASES) <= 80
    assert sum(len(c["mentions"]) for c in CASES) >= 80
    assert sum(len(c["times"]) for c in CASES) >= 15
    assert sum(len(c["quantities"]) for c in CASES) >= 25
    assert any(not c["mentions"] for c in CASES)  # sentences where nothing must be found
