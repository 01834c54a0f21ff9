"""Properties of the aggregate logic on generated corpora (Hypothesis, bounded examples).

Each example is a small corpus of articles on crowd events and calls: events of one kind on dates
far apart, articles dating their event or not, values stated as outcomes, forecasts, snapshots,
capacities, per side or in total, by the outlet or by an authority. Whatever the values:

- every conflict pairs two different facts once, of one event, one measure, one modality, with
  fitting scopes, from two different articles;
- no conflict ever joins dated articles of two different true events; an undated article (no
  year, no publication date) names its event's day without a year, and a confirmed conflict
  with it is always within its true event (its content identifies the event or it abstains);
- every fact row meets the contract, confidences lie in 0..1 and the status follows the threshold.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.agreement.build import AggregateParams
from pipeline.common import conform
from tests.helpers import Corpus

BASE = dt.date(2026, 3, 2)
# (sentence template, noun) per role: {n} is the number as written
ROLES = (
    ("Ai funerali hanno partecipato {n} persone.", "persone"),
    ("Per i funerali sono attese {n} persone.", "persone"),
    ("Alle 9 erano già {n} persone in piazza.", "persone"),
    ("La piazza può contenere {n} persone.", "persone"),
    ("Secondo la Questura ai funerali erano {n} persone.", "persone"),
    ("Per gli organizzatori ai funerali erano {n} persone.", "persone"),
    ("Lo scambio riguarda {n} prigionieri per parte.", "prigionieri"),
    ("In totale saranno liberati {n} prigionieri.", "prigionieri"),
    ("Sono stati liberati {n} prigionieri.", "prigionieri"),
)
OPENERS = {
    "funeral": "Oggi i funerali del sindaco in piazza Grande.",
    "call": "Trump e Putin hanno avuto oggi una telefonata.",
}
OPENERS_UNDATED = {  # the day named without a year, nothing to anchor the year
    "funeral": "Il {day} i funerali del sindaco in piazza Grande.",
    "call": "Il {day} Trump e Putin hanno avuto una telefonata.",
}
MONTH_NAMES = ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
               "dicembre").split()

article = st.tuples(
    st.integers(0, 2),                      # which true event (0..2), each 20 days apart
    st.booleans(),                          # the article dates its event
    st.lists(st.tuples(st.integers(0, len(ROLES) - 1), st.sampled_from([150, 175, 200, 350, 3000, 40000, 250000])),
             min_size=1, max_size=3),
)


def build(kind: str, articles: list) -> tuple[Corpus, dict[str, int]]:
    c = Corpus()
    truth = {}
    for i, (event, dated, values) in enumerate(articles):
        doc = f"d{i}"
        day = BASE + dt.timedelta(days=20 * event)
        c.doc(doc, f"src{i % 4}", day if dated else None)
        if dated:
            c.sent(doc, OPENERS[kind], dates=[("oggi" if kind == "call" else "Oggi", day)])
        else:
            named = f"{day.day} {MONTH_NAMES[day.month - 1]}"
            c.sent(doc, OPENERS_UNDATED[kind].format(day=named), dates=[(named, day)])
        truth[doc] = event
        for role, n in values:
            template, noun = ROLES[role]
            text = template.format(n=n)
            surface = f"{n} {noun}"
            c.sent(doc, text, quantities=[(surface, "count", "item", noun, n, n, "exact")])
    return c, truth


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["funeral", "call"]), articles=st.lists(article, min_size=2, max_size=6))
def test_conflicts_are_unique_within_one_event_measure_modality_and_scope(kind, articles):
    c, truth = build(kind, articles)
    dated = {f"d{i}" for i, (_, is_dated, _) in enumerate(articles) if is_dated}
    params = AggregateParams()
    out = c.run(params)
    facts = conform("facts", out["facts"])  # the rows meet the contract
    assert facts["fact_id"].n_unique() == facts.height
    conflicts = conform("conflicts", out["conflicts"])
    by_id = {r["fact_id"]: r for r in facts.iter_rows(named=True)}
    seen = set()
    for r in conflicts.iter_rows(named=True):
        a, b = by_id[r["fact_id_a"]], by_id[r["fact_id_b"]]
        pair = frozenset((a["fact_id"], b["fact_id"]))
        assert len(pair) == 2 and pair not in seen
        seen.add(pair)
        assert a["event_id"] is not None and a["event_id"] == b["event_id"]
        assert (a["measure"], a["modality"], a["kind"]) == (b["measure"], b["modality"], b["kind"])
        assert a["scope"] is None or b["scope"] is None or a["scope"] == b["scope"] or {a["scope"], b["scope"]} <= {
            "per_parte"}
        assert a["doc_id"] != b["doc_id"]
        if a["doc_id"] in dated and b["doc_id"] in dated:
            assert truth[a["doc_id"]] == truth[b["doc_id"]]  # dated articles: never across true events
        else:  # an undated article joins an event by its content: when confirmed, it is the right one
            assert r["status"] == "to_check" or truth[a["doc_id"]] == truth[b["doc_id"]]
        assert 0.0 <= r["confidence"] <= 1.0
        assert (r["status"] == "confirmed") == (r["confidence"] >= params.conflicts.min_conflict_confidence)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["funeral", "call"]), articles=st.lists(article, min_size=2, max_size=5))
def test_undated_articles_are_compared_only_within_the_event_their_content_identifies(kind, articles):
    c, truth = build(kind, articles)
    out = c.run()
    undated = {f"d{i}" for i, (_, dated, _) in enumerate(articles) if not dated}
    for a, b in zip(out["conflicts"]["doc_id_a"].to_list(), out["conflicts"]["doc_id_b"].to_list()):
        if a in undated or b in undated:
            assert truth[a] == truth[b]  # confirmed or to check: never another event's report


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(article, min_size=2, max_size=5))
def test_claims_never_span_two_true_events(articles):
    articles = [(event, True, values) for event, _, values in articles]  # every article dated
    c, truth = build("funeral", articles)
    out = c.run()
    docs = out["claim_evidence"].group_by("claim_id").agg(pl.col("doc_id").unique())
    for group in docs["doc_id"].to_list():
        assert len({truth[d] for d in group}) == 1
