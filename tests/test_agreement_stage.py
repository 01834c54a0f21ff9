"""End-to-end tests of the aggregate logic on small corpora whose truth we know.

`Corpus` writes the normalized tables the stage reads, to the schemas in pipeline.schemas,
from sentences annotated by hand (entities are found by name, dates and quantities are given).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.agreement.build import AggregateParams, aggregate, agreement_metrics
from pipeline.agreement.claims import ClaimParams
from pipeline.common import conform

ENTITIES = {
    "Trump": ("donald-trump", "person"),
    "Putin": ("vladimir-putin", "person"),
    "Zelensky": ("volodymyr-zelensky", "person"),
    "Peskov": ("dmitry-peskov", "person"),
    "Witkoff": ("steve-witkoff", "person"),
    "Hegseth": ("pete-hegseth", "person"),
    "Rutte": ("mark-rutte", "person"),
    "Anna Rossi": ("anna-rossi", "person"),
    "Rossi": ("paolo-rossi", "person"),  # a bare surname linked to another Rossi
    "Cremlino": ("cremlino", "org"),
    "NATO": ("nato", "org"),
    "Ucraina": ("ucraina", "place"),
    "Russia": ("russia", "place"),
    "Mosca": ("mosca", "place"),
    "Milano": ("milano", "place"),
    "Napoli": ("napoli", "place"),
}


class Corpus:
    def __init__(self) -> None:
        self.docs: list[tuple[str, str, dt.date | None]] = []
        self.sentences: list[dict] = []
        self.mentions: list[dict] = []
        self.times: list[dict] = []
        self.quantities: list[dict] = []
        self.quotes: list[dict] = []

    def doc(self, doc_id: str, source_id: str, published: dt.date | None = None) -> "Corpus":
        self.docs.append((doc_id, source_id, published))
        return self

    def sent(self, doc_id: str, text: str, dates=(), quantities=(), quotes=()) -> str:
        """Add a sentence; dates: (surface, date); quantities: (surface, kind, unit, noun, low, high,
        qualifier); quotes: (quoted text, speaker entity id)."""
        n = sum(1 for s in self.sentences if s["doc_id"] == doc_id)
        sent_id = f"{doc_id}:{n}:0"
        self.sentences.append({"sent_id": sent_id, "doc_id": doc_id, "block_no": n, "sent_no": n,
                               "text": text, "start": 0, "end": len(text)})
        for name, (eid, _) in ENTITIES.items():
            at = text.find(name)
            if at >= 0:
                self.mentions.append({"doc_id": doc_id, "sent_id": sent_id, "entity_id": eid, "surface": name,
                                      "start": at, "end": at + len(name), "method": "alias", "is_uncertain": False})
        for surface, value in dates:
            at = text.index(surface)
            self.times.append({"doc_id": doc_id, "sent_id": sent_id, "surface": surface, "start": at,
                               "end": at + len(surface), "value_date": value, "granularity": "day",
                               "is_relative": False})
        for surface, kind, unit, noun, low, high, qualifier in quantities:
            at = text.index(surface)
            self.quantities.append({"doc_id": doc_id, "sent_id": sent_id, "surface": surface, "start": at,
                                    "end": at + len(surface), "kind": kind, "unit": unit, "noun": noun,
                                    "low": low, "high": high, "qualifier": qualifier})
        for i, (quoted, speaker) in enumerate(quotes):
            self.quotes.append({"quote_id": f"{sent_id}:q{i}", "doc_id": doc_id, "sent_id": sent_id,
                                "text": quoted, "speaker_entity_id": speaker, "cue": "ha detto"})
        return sent_id

    def tables(self) -> dict[str, pl.DataFrame]:
        sources = sorted({s for _, s, _ in self.docs})
        return {
            "articles": conform("articles", pl.DataFrame(
                [{"doc_id": d, "source_id": s, "published_date": p, "n_blocks": 1, "n_chars": 1}
                 for d, s, p in self.docs], schema_overrides={"published_date": pl.Date})),
            "sources": conform("sources", pl.DataFrame({"source_id": sources, "name": sources,
                                                        "n_docs": [1] * len(sources)})),
            "sentences": conform("sentences", pl.DataFrame(self.sentences)),
            "entities": conform("entities", pl.DataFrame(
                [{"entity_id": eid, "name": name, "type": typ, "aliases": [name]}
                 for name, (eid, typ) in ENTITIES.items()])),
            "mentions": _frame("mentions", self.mentions),
            "time_expressions": _frame("time_expressions", self.times),
            "quantities": _frame("quantities", self.quantities),
            "quotes": _frame("quotes", self.quotes),
        }

    def run(self, **overrides) -> dict[str, pl.DataFrame]:
        return aggregate(self.tables(), AggregateParams(**overrides))


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    from pipeline.schemas import TABLES

    if not rows:
        return pl.DataFrame(schema=TABLES[name].polars_schema)
    return conform(name, pl.DataFrame(rows, schema_overrides={
        c.name: c.dtype for c in TABLES[name].columns if c.name in rows[0]
    }))


FEB12 = dt.date(2025, 2, 12)
AUG18 = dt.date(2025, 8, 18)


def claim_of(out: dict[str, pl.DataFrame], sent_id: str) -> set[str]:
    return set(out["claim_evidence"].filter(pl.col("sent_id") == sent_id)["claim_id"])


def same_claim(out, a: str, b: str) -> bool:
    return bool(claim_of(out, a) & claim_of(out, b))


def conflicts_of(out, kind: str) -> pl.DataFrame:
    return out["conflicts"].filter(pl.col("kind") == kind)


# --- claims ------------------------------------------------------------------------------------

def paraphrase_corpus() -> tuple[Corpus, str, str, str]:
    c = Corpus().doc("d1", "alfa").doc("d2", "beta").doc("d3", "gamma")
    a = c.sent("d1", "Trump ha definito la telefonata con Putin lunga ed estremamente produttiva.",
               dates=())
    b = c.sent("d2", "Per Trump quella con Putin è stata una telefonata lunga e altamente produttiva.")
    other = c.sent("d3", "Il Cremlino ha annunciato nuove sanzioni contro le banche europee.")
    c.sent("d1", "A Roma il prezzo del pane è aumentato per la siccità secondo Coldiretti.")
    return c, a, b, other


def test_paraphrases_from_different_sources_share_a_claim():
    c, a, b, other = paraphrase_corpus()
    out = c.run()
    assert same_claim(out, a, b)
    assert not same_claim(out, a, other)
    shared = out["claims"].filter(pl.col("claim_id").is_in(list(claim_of(out, a) & claim_of(out, b))))
    assert shared["n_sources"].to_list() == [2]
    assert out["conflicts"].height == 0  # all agree: no conflict rows
    assert set(out["claim_evidence"]["stance"]) == {"supports"}


def test_one_source_fact_stays_a_one_source_claim():
    c, a, b, other = paraphrase_corpus()
    out = c.run()
    claims = out["claims"].filter(pl.col("claim_id").is_in(list(claim_of(out, other))))
    assert claims.height == 1
    assert claims["n_sources"].to_list() == [1]


def test_ids_are_stable_and_output_deterministic():
    c, *_ = paraphrase_corpus()
    first, second = c.run(), c.run()
    for name in first:
        assert first[name].sort(first[name].columns).equals(second[name].sort(second[name].columns)), name


def test_paraphrase_with_synonyms_and_nominalisation_shares_a_claim():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta").doc("d3", "gamma")
    # only the paraphrase lexicon, the dropped intensifier and stemming make these two meet
    a = c.sent("d1", "Witkoff ha concordato di avviare subito le trattative sui prigionieri.")
    b = c.sent("d2", "Witkoff ha accettato di iniziare immediatamente i negoziati per i detenuti.")
    other = c.sent("d3", "Il Cremlino ha annunciato nuove sanzioni contro le banche europee.")
    out = c.run()
    assert same_claim(out, a, b)
    assert not same_claim(out, a, other)
    assert out["conflicts"].height == 0


def test_the_same_predicate_about_different_persons_is_two_claims():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    a = c.sent("d1", "Witkoff ha accettato di iniziare subito i negoziati sullo scambio dei prigionieri.")
    b = c.sent("d2", "Rutte ha accettato di iniziare subito i negoziati sullo scambio dei prigionieri.")
    assert not same_claim(c.run(), a, b)
    # with the persons' penalty switched off the two sentences read as one fact
    assert same_claim(c.run(claims=ClaimParams(disjoint_persons_factor=1.0)), a, b)


def test_a_call_and_a_meeting_described_alike_stay_apart():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    call = c.sent("d1", "La telefonata tra Trump e Putin è stata lunga e altamente produttiva.")
    meeting = c.sent("d2", "Il vertice tra Trump e Putin è stato lungo ed estremamente produttivo.")
    out = c.run()
    assert not same_claim(out, call, meeting)


def test_an_undated_report_without_publication_date_joins_the_dated_one():
    # d1 has no publication date, so its call may be the one d2 dates: the paraphrase matches
    c = Corpus().doc("d1", "alfa").doc("d2", "beta", dt.date(2025, 2, 12))
    undated = c.sent("d1", "Trump e Putin hanno concordato di lavorare insieme e di visitare le rispettive nazioni.")
    c.sent("d1", "Trump ha avuto una lunga telefonata con Putin.")
    dated = c.sent("d2", "Trump ha detto che con Putin lavoreranno insieme, compresa la visita reciproca delle nazioni.",
                   dates=())
    c.sent("d2", "Trump e Putin hanno avuto una telefonata il 12 febbraio.", dates=[("12 febbraio", FEB12)])
    out = c.run()
    assert same_claim(out, undated, dated)


# --- conflicts ---------------------------------------------------------------------------------

def test_changed_count_is_a_quantity_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    a = c.sent("d1", "La Russia ha liberato 175 prigionieri ucraini nello scambio con Kiev.",
               quantities=[("175 prigionieri", "count", "item", "prigionieri", 175, 175, "exact")])
    b = c.sent("d2", "Nello scambio con Kiev la Russia ha liberato 150 prigionieri ucraini.",
               quantities=[("150 prigionieri", "count", "item", "prigionieri", 150, 150, "exact")])
    out = c.run()
    q = conflicts_of(out, "quantity")
    assert q.height == 1
    row = q.row(0, named=True)
    assert {row["sent_id_a"], row["sent_id_b"]} == {a, b}
    assert {row["value_a"], row["value_b"]} == {"175 prigionieri", "150 prigionieri"}
    assert "do not overlap" in row["explanation"]
    stances = dict(zip(out["claim_evidence"]["sent_id"], out["claim_evidence"]["stance"]))
    assert sorted([stances[a], stances[b]]) == ["conflicts", "supports"]
    agreement = out["source_agreement"].row(0, named=True)
    assert (agreement["n_shared_claims"], agreement["n_conflicting"], agreement["agreement_rate"]) == (1, 1, 0.0)


def test_compatible_intervals_are_not_a_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    c.sent("d1", "Trump ha parlato al telefono con Putin per più di un'ora mercoledì 12 febbraio.",
           dates=[("12 febbraio", FEB12)],
           quantities=[("più di un'ora", "duration", "minute", None, 60, None, "more_than")])
    c.sent("d2", "Putin e Trump hanno parlato al telefono il 12 febbraio per circa un'ora e mezza.",
           dates=[("12 febbraio", FEB12)],
           quantities=[("circa un'ora e mezza", "duration", "minute", None, 90, 90, "about")])
    out = c.run()
    assert out["conflicts"].height == 0
    assert out["claims"]["n_sources"].max() == 2  # the same fact, agreeing


def test_different_calls_with_different_durations_never_conflict_or_merge():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    a = c.sent("d1", "La telefonata tra Trump e Putin del 12 febbraio è durata novanta minuti.",
               dates=[("12 febbraio", FEB12)],
               quantities=[("novanta minuti", "duration", "minute", None, 90, 90, "exact")])
    b = c.sent("d2", "La telefonata tra Trump e Putin del 18 agosto è durata tre ore.",
               dates=[("18 agosto", AUG18)],
               quantities=[("tre ore", "duration", "minute", None, 180, 180, "exact")])
    out = c.run()
    assert not same_claim(out, a, b)
    assert out["conflicts"].height == 0
    assert out["events"].height == 2
    assert set(out["events"]["event_date"]) == {FEB12, AUG18}


def test_different_subjects_sharing_a_number_do_not_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    a = c.sent("d1", "L'incontro di Witkoff con Putin a Mosca è durato tre ore, ha riferito il Cremlino.",
               quantities=[("tre ore", "duration", "minute", None, 180, 180, "exact")])
    b = c.sent("d2", "La telefonata di Trump con Putin è durata novanta minuti, ha riferito il Cremlino.",
               quantities=[("novanta minuti", "duration", "minute", None, 90, 90, "exact")])
    out = c.run()
    assert not same_claim(out, a, b)
    assert out["conflicts"].height == 0


def test_negated_statement_is_a_polarity_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta").doc("d3", "gamma")
    a = c.sent("d1", "Hegseth ha detto che l'ingresso dell'Ucraina nella NATO è irrealistico.")
    b = c.sent("d2", "Per Hegseth l'ingresso dell'Ucraina nella NATO non è realistico.")
    d = c.sent("d3", "Hegseth ha detto che l'ingresso dell'Ucraina nella NATO non era irrealistico.")
    out = c.run()
    assert same_claim(out, a, b) and same_claim(out, a, d)
    pol = conflicts_of(out, "polarity")
    pairs = {frozenset((r["sent_id_a"], r["sent_id_b"])) for r in pol.iter_rows(named=True)}
    # irrealistico == non realistico; the double negative is the dissenting view
    assert pairs == {frozenset((a, d)), frozenset((b, d))}
    stance = dict(zip(out["claim_evidence"]["sent_id"], out["claim_evidence"]["stance"]))
    assert stance[d] == "conflicts" and stance[a] == stance[b] == "supports"


def test_confirmed_versus_not_confirmed_is_a_polarity_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    c.sent("d1", "Il Cremlino ha confermato la telefonata tra Putin e Trump.")
    c.sent("d2", "Il Cremlino non ha confermato la telefonata tra Putin e Trump.")
    out = c.run()
    assert conflicts_of(out, "polarity")["value_a"].to_list() + conflicts_of(out, "polarity")["value_b"].to_list() \
        in (["confermare", "non confermare"], ["non confermare", "confermare"])


def test_different_date_for_the_same_event_is_a_date_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta").doc("d3", "gamma")
    a = c.sent("d1", "Trump e Putin hanno avuto una lunga telefonata il 12 febbraio, la prima in tre anni.",
               dates=[("12 febbraio", FEB12)])
    b = c.sent("d2", "Trump e Putin hanno avuto una lunga telefonata il 12 febbraio, la prima in tre anni.",
               dates=[("12 febbraio", FEB12)])
    wrong = c.sent("d3", "Trump e Putin hanno avuto una lunga telefonata il 13 febbraio, la prima in tre anni.",
                   dates=[("13 febbraio", dt.date(2025, 2, 13))])
    out = c.run()
    d = conflicts_of(out, "date")
    assert d.height == 2
    assert all(wrong in (r["sent_id_a"], r["sent_id_b"]) for r in d.iter_rows(named=True))
    assert {"2025-02-13"} <= set(d["value_a"]) | set(d["value_b"])
    stance = dict(zip(out["claim_evidence"]["sent_id"], out["claim_evidence"]["stance"]))
    assert stance[wrong] == "conflicts" and stance[a] == stance[b] == "supports"


def _two_call_reports(date_a: dt.date, date_b: dt.date) -> tuple[Corpus, str, str]:
    """Two articles on a Trump–Putin call; a sentence naming no event, negated in the second."""
    c = Corpus().doc("d1", "alfa", date_a).doc("d2", "beta", date_b)
    for doc, day in (("d1", date_a), ("d2", date_b)):
        surface = f"{day.day} {'febbraio' if day.month == 2 else 'agosto'}"
        c.sent(doc, f"Trump e Putin hanno avuto una telefonata il {surface}.", dates=[(surface, day)])
    a = c.sent("d1", "I due leader hanno concordato di rivedersi presto di persona a Mosca.")
    b = c.sent("d2", "I due leader non hanno concordato di rivedersi presto di persona a Mosca.")
    return c, a, b


def test_a_sentence_naming_no_event_is_held_to_its_articles_event():
    c, a, b = _two_call_reports(FEB12, FEB12)
    out = c.run()
    assert same_claim(out, a, b) and conflicts_of(out, "polarity").height == 1
    # the same words in reports of two calls months apart are two facts, not a contradiction
    c, a, b = _two_call_reports(FEB12, AUG18)
    out = c.run()
    assert not same_claim(out, a, b) and out["conflicts"].height == 0


def test_sentences_of_articles_without_events_meet_only_near_publication():
    def corpus(published_b):
        c = Corpus().doc("d1", "alfa", dt.date(2021, 2, 15)).doc("d2", "beta", published_b)
        c.sent("d1", "In piazza sono scese 35.000 persone, secondo gli organizzatori del corteo.",
               quantities=[("35.000 persone", "count", "item", "persone", 35000, 35000, "exact")])
        c.sent("d2", "In piazza sono scese 1.700 persone, secondo gli organizzatori del corteo.",
               quantities=[("1.700 persone", "count", "item", "persone", 1700, 1700, "exact")])
        return c.run()
    assert conflicts_of(corpus(dt.date(2021, 2, 16)), "quantity").height == 1
    assert corpus(dt.date(2020, 5, 19))["conflicts"].height == 0  # another demonstration, a year earlier


def test_a_count_noun_qualified_differently_is_another_measure():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta").doc("d3", "gamma")
    c.sent("d1", "Il Senato ha approvato la riforma con 124 voti favorevoli.",
           quantities=[("124 voti", "count", "item", "voti", 124, 124, "exact")])
    c.sent("d2", "Il Senato ha approvato la riforma, con 71 voti contrari.",
           quantities=[("71 voti", "count", "item", "voti", 71, 71, "exact")])
    wrong = c.sent("d3", "Il Senato ha approvato la riforma con 98 voti favorevoli.",
                   quantities=[("98 voti", "count", "item", "voti", 98, 98, "exact")])
    q = conflicts_of(c.run(), "quantity")
    assert q.height == 1  # favorevoli against favorevoli only
    assert wrong in (q["sent_id_a"][0], q["sent_id_b"][0]) and "d2:0:0" not in (q["sent_id_a"][0], q["sent_id_b"][0])


def test_each_sentence_dates_the_fact_itself_and_quoted_days_do_not_count():
    feb13 = dt.date(2025, 2, 13)
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", feb13).doc("d3", "gamma", feb13)
    # no event word in the first two: each gives its own day, which is what is compared
    a = c.sent("d1", "Mercoledì 12 febbraio a Roma si sono incontrati Rutte e Zelensky per due ore.",
               dates=[("12 febbraio", FEB12)])
    b = c.sent("d2", "Giovedì 13 febbraio a Roma si sono incontrati Rutte e Zelensky per due ore.",
               dates=[("13 febbraio", feb13)])
    # "oggi" inside the quotation is the day Rutte spoke, not the day of the meeting
    c.sent("d3", "«A Roma oggi ci siamo incontrati per due ore», ha detto Rutte di Zelensky.",
           dates=[("oggi", feb13)], quotes=[("A Roma oggi ci siamo incontrati per due ore", "mark-rutte")])
    d = conflicts_of(c.run(), "date")
    assert d.height == 1
    assert {d["sent_id_a"][0], d["sent_id_b"][0]} == {a, b}
    assert {d["value_a"][0], d["value_b"][0]} == {"2025-02-12", "2025-02-13"}


def test_short_sentences_stating_a_value_of_one_event_are_compared():
    # two words each ("astenuti" and a number): too short to be a claim without a value, and
    # they share one word only, but they give the same measure of the same vote
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Il Senato ha votato la riforma della giustizia il 12 febbraio.", dates=[("12 febbraio", FEB12)])
    a = c.sent("d1", "Gli astenuti sono stati quattro.",
               quantities=[("quattro", "count", "item", "astenuti", 4, 4, "exact")])
    b = c.sent("d2", "Si sono astenuti in nove.",
               quantities=[("nove", "count", "item", "astenuti", 9, 9, "exact")])
    out = c.run()
    assert same_claim(out, a, b)
    assert conflicts_of(out, "quantity").height == 1
    # with the stricter floor for every sentence they are not claims at all
    assert not claim_of(c.run(claims=ClaimParams(min_value_lemmas=3)), a)


def test_reports_of_one_vote_on_two_days_meet_though_their_words_are_common():
    feb13 = dt.date(2025, 2, 13)
    c = Corpus().doc("d1", "alfa", feb13).doc("d2", "beta", feb13).doc("d3", "gamma", feb13)
    a = c.sent("d1", "Il Senato ha votato la riforma della giustizia il 12 febbraio.", dates=[("12 febbraio", FEB12)])
    b = c.sent("d2", "Il Senato ha votato la riforma della giustizia il 13 febbraio.", dates=[("13 febbraio", feb13)])
    # an undated article uses the same words, so that plain word keys are too common to pair a and b
    for i in range(4):
        c.sent("d3", f"Il voto di febbraio al Senato sulla riforma della giustizia divide ancora, parte {i}.")
    params = ClaimParams(max_posting=4)
    out = c.run(claims=params)
    assert same_claim(out, a, b)
    assert conflicts_of(out, "date").height == 1


def test_one_events_count_of_one_noun_is_one_fact_however_worded():
    def corpus():
        c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
        for doc in ("d1", "d2"):
            c.sent(doc, "Un attacco con droni ha colpito un deposito di Odessa il 12 febbraio.",
                   dates=[("12 febbraio", FEB12)])
        c.sent("d1", "Le autorità locali hanno contato circa 43 droni nel corso della notte.",
               quantities=[("circa 43 droni", "count", "item", "droni", 43, 43, "about")])
        c.sent("d2", "Contro l'obiettivo sono stati lanciati 18 droni.",
               quantities=[("18 droni", "count", "item", "droni", 18, 18, "exact")])
        return c
    assert conflicts_of(corpus().run(), "quantity").height == 1
    assert corpus().run(claims=ClaimParams(event_measure_similarity=0.0))["conflicts"].height == 0


def test_same_quote_different_speaker_is_an_attribution_conflict():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    quote = "siamo sulla buona strada per ottenere la pace in Ucraina"
    c.sent("d1", "«Siamo sulla buona strada per ottenere la pace in Ucraina», ha detto Trump.",
           quotes=[(quote, "donald-trump")])
    c.sent("d2", "«Siamo sulla buona strada per ottenere la pace in Ucraina», ha detto Witkoff.",
           quotes=[(quote, "steve-witkoff")])
    out = c.run()
    att = conflicts_of(out, "attribution")
    assert att.height == 1
    assert set(att.row(0, named=True).values()) >= {"Trump", "Witkoff"}


def test_a_quotation_without_speaker_takes_the_one_person_named_outside_it():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    quote = "siamo sulla buona strada per ottenere la pace in Ucraina"
    c.sent("d1", "«Siamo sulla buona strada per ottenere la pace in Ucraina», ha detto Trump.",
           quotes=[(quote, "donald-trump")])
    c.sent("d2", "«Siamo sulla buona strada per ottenere la pace in Ucraina», ha scritto Witkoff sui social.",
           quotes=[(quote, None)])  # the quote finder linked no speaker
    att = conflicts_of(c.run(), "attribution")
    assert att.height == 1 and {att["value_a"][0], att["value_b"][0]} == {"Trump", "Witkoff"}


def test_a_speaker_named_by_surname_only_is_not_another_speaker():
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    quote = "il contratto della scuola è fermo da troppo tempo"
    c.sent("d1", "«Il contratto della scuola è fermo da troppo tempo», ha detto la sindacalista Anna Rossi.",
           quotes=[(quote, "anna-rossi")])
    c.sent("d2", "«Il contratto della scuola è fermo da troppo tempo», ha scritto Rossi sui social.",
           quotes=[(quote, "paolo-rossi")])
    assert conflicts_of(c.run(), "attribution").height == 0


# --- events ------------------------------------------------------------------------------------

def test_planned_call_is_a_different_event_from_the_past_one():
    c = Corpus().doc("d1", "alfa", dt.date(2025, 3, 1)).doc("d2", "beta", dt.date(2025, 3, 1))
    past = c.sent("d1", "Trump e Putin hanno avuto una telefonata il 12 febbraio.", dates=[("12 febbraio", FEB12)])
    planned = c.sent("d2", "Una nuova telefonata tra Trump e Putin è prevista per la prossima settimana.")
    out = c.run()
    ev = out["events"]
    assert ev.height == 2
    assert sorted(ev["is_planned"].to_list()) == [False, True]
    assert not same_claim(out, past, planned)


def test_undated_sentence_attaches_to_its_documents_event():
    c = Corpus().doc("d1", "alfa")
    c.sent("d1", "Trump e Putin hanno avuto una telefonata il 12 febbraio.", dates=[("12 febbraio", FEB12)])
    c.sent("d1", "Secondo Peskov la telefonata è durata un'ora e mezza.")
    c.sent("d1", "Peskov ha aggiunto che Mosca è pronta al dialogo.")
    out = c.run()
    assert out["events"].height == 1
    assert out["events"]["n_docs"].to_list() == [1]
    assert out["events"]["label"][0].startswith("telefonata")
    assert "12 febbraio 2025" in out["events"]["label"][0]


def test_two_strikes_on_one_day_in_two_cities_are_two_events():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12).doc("d3", "gamma", FEB12)
    for doc, city in (("d1", "Milano"), ("d2", "Napoli"), ("d3", "Milano")):
        c.sent(doc, f"Lo sciopero dei trasporti si è svolto il 12 febbraio a {city}.", dates=[("12 febbraio", FEB12)])
    c.sent("d1", "Al corteo hanno partecipato 6.000 persone.",
           quantities=[("6.000 persone", "count", "item", "persone", 6000, 6000, "exact")])
    c.sent("d2", "Al corteo hanno partecipato 900 persone.",
           quantities=[("900 persone", "count", "item", "persone", 900, 900, "exact")])
    out = c.run()
    strikes = out["events"].filter(pl.col("event_type") == "strike")
    assert strikes.height == 2 and sorted(strikes["n_docs"]) == [1, 2]
    assert out["conflicts"].height == 0  # 6.000 in Milano and 900 in Napoli do not contradict


def test_undated_events_of_one_article_naming_nobody_get_distinct_ids():
    # Two dated meetings in one article make its undated meeting sentences ambiguous: each founds
    # an event of its own, with no date and no participants. Their ids must still differ.
    sept5, sept7 = dt.date(2025, 9, 5), dt.date(2025, 9, 7)
    c = Corpus().doc("d1", "alfa", dt.date(2025, 9, 8))
    c.sent("d1", "L'incontro tra Trump e Putin a Ginevra si è tenuto il 5 settembre.", dates=[("5 settembre", sept5)])
    c.sent("d1", "Putin ha lasciato l'incontro di Vienna il 7 settembre.", dates=[("7 settembre", sept7)])
    c.sent("d1", "L'incontro si è chiuso senza domande dei giornalisti.")
    c.sent("d1", "Al termine dell'incontro è stata diffusa una dichiarazione congiunta.")
    out = c.run()
    events = out["events"]
    assert events["event_id"].n_unique() == events.height
    undated = events.filter(pl.col("event_date").is_null())
    assert undated.height == 2  # the situation the ids must tell apart
    claims = out["claims"].filter(pl.col("event_id").is_not_null())
    assert set(claims["event_id"]) <= set(events["event_id"])
    assert set(out["claim_evidence"]["claim_id"]) <= set(out["claims"]["claim_id"])


# --- agreement ---------------------------------------------------------------------------------

def test_every_pair_of_sources_has_a_row_even_with_nothing_shared():
    c, a, b, other = paraphrase_corpus()
    out = c.run()
    sa = out["source_agreement"].sort("source_a", "source_b")
    assert list(zip(sa["source_a"], sa["source_b"])) == [("alfa", "beta"), ("alfa", "gamma"), ("beta", "gamma")]
    rows = {(r["source_a"], r["source_b"]): r for r in sa.iter_rows(named=True)}
    assert rows[("alfa", "beta")]["n_shared_claims"] == 1
    assert rows[("alfa", "beta")]["agreement_rate"] == 1.0
    nothing = rows[("beta", "gamma")]
    assert nothing["n_shared_claims"] == 0 and nothing["agreement_rate"] is None
    assert nothing["coverage_jaccard"] == 0.0
    for r in rows.values():
        assert r["n_agreeing"] + r["n_conflicting"] == r["n_shared_claims"]


def test_near_duplicate_documents_are_flagged_and_not_independent_agreement():
    text = ("Il presidente americano Trump ha avuto una lunga telefonata con Putin dedicata alla guerra in "
            "Ucraina e alla sicurezza europea, ha riferito il Cremlino in una nota diffusa in serata.")
    c = Corpus().doc("d1", "alfa").doc("d2", "beta")
    c.sent("d1", text)
    c.sent("d1", "Il testo integrale della nota non è stato ancora pubblicato dalle autorità russe di Mosca.")
    c.sent("d2", text)
    c.sent("d2", "Il testo integrale della nota non è stato ancora pubblicato dalle autorità russe di Mosca.")
    out = c.run()
    dups = out["near_duplicates"]
    assert dups.height == 1 and dups["shingle_jaccard"][0] == 1.0
    row = out["source_agreement"].row(0, named=True)
    assert row["n_shared_claims"] == 0 and row["n_copied_claims"] >= 1
    assert agreement_metrics(out)["n_near_duplicate_pairs"] == 1


def test_entity_coverage_counts_mentions_per_source():
    c, *_ = paraphrase_corpus()
    out = c.run()
    cov = {(r["entity_id"], r["source_id"]): r for r in out["entity_coverage"].iter_rows(named=True)}
    assert cov[("donald-trump", "alfa")]["n_mentions"] == 1
    assert cov[("donald-trump", "alfa")]["first_sent_no"] == 0
    assert ("donald-trump", "gamma") not in cov


def test_output_tables_conform_to_the_contract():
    c, *_ = paraphrase_corpus()
    out = c.run()
    for name, df in out.items():
        conform(name, df)  # raises on a missing required column or an extra one
