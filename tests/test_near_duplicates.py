"""Near-duplicate documents (pipeline.agreement.scores.near_duplicate_documents) on pairs we wrote.

One agency dispatch about an invented flood, reworded by three outlets the way Italian sites
rework wire copy (their own headline and lead, words swapped, a paragraph cut or added, the
order changed); a letter-spaced copy collapsed back by ingest; and three articles written
independently about the same flood, with the same names and figures, which are not copies.
Every copy must pair with the dispatch, and copies with one another where their word 5-shingles
overlap by at least `min_jaccard` (0.3); no independent article may pair with anything.

Measured shingle Jaccard (size 5): dispatch and copies 0.36-1.0, copies with one another
0.23-0.72, independent articles with anything 0.000. The two most reworded copies (0.23) are
linked only through the dispatch: reaching them would take LSH bands of two rows, whose
candidate pairs on the 100,000-file synthetic corpus did not fit in 4 GB.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from pipeline.agreement.scores import near_duplicate_documents, shingles
from pipeline.intake.decode import collapse_letter_spacing

WIRE = """Maltempo, esonda il torrente Lavagnola: evacuate 340 persone nel Tigullio

(AGI) - Genova, 14 novembre - Il torrente Lavagnola è esondato nella notte in due punti tra Carasco e \
Chiavari, allagando le strade del centro e i piani terra di decine di abitazioni. Secondo la Protezione \
civile regionale, tra le 2 e le 5 sono caduti oltre 180 millimetri di pioggia, un valore che non si \
registrava in zona dal 2014.

Il sindaco di Chiavari, Andrea Ferrando, ha firmato un'ordinanza che chiude le scuole di ogni ordine e \
grado fino a sabato e vieta il transito sui tre ponti cittadini. "Abbiamo evacuato 340 persone dalle \
zone più basse, nessuno è rimasto ferito", ha detto Ferrando al termine del vertice in prefettura.

I vigili del fuoco hanno compiuto più di 120 interventi, soprattutto per prosciugare cantine e garage e \
per liberare automobilisti rimasti bloccati nei sottopassi. Due squadre di soccorritori fluviali sono \
arrivate da Alessandria e da Piacenza per dare il cambio ai colleghi liguri.

L'assessore regionale alla Protezione civile, Giulia Parodi, ha annunciato che la Regione chiederà lo \
stato di emergenza e ha stimato i primi danni in circa 25 milioni di euro. L'allerta rossa resta in \
vigore fino alla mezzanotte di domani su tutto il levante, mentre per il pomeriggio è attesa una nuova \
perturbazione con temporali forti sulla costa.

La linea ferroviaria tra Sestri Levante e Chiavari è stata interrotta per tre ore a causa di una frana \
caduta sui binari all'altezza di Lavagna; i treni regionali hanno ripreso a circolare alle 9 con \
ritardi fino a un'ora.
"""

# Outlet 1: its own headline and lead, the body kept, one closing sentence added.
OUTLET_1 = """Chiavari sott'acqua dopo la notte di pioggia: 340 evacuati, scuole chiuse fino a sabato

La notte scorsa il torrente Lavagnola è uscito dagli argini in due punti tra Carasco e Chiavari, e \
l'acqua ha invaso le strade del centro e i piani terra di decine di case. Secondo la Protezione \
civile regionale, tra le 2 e le 5 sono caduti oltre 180 millimetri di pioggia, un valore che non si \
registrava in zona dal 2014.

Il sindaco di Chiavari, Andrea Ferrando, ha firmato un'ordinanza che chiude le scuole di ogni ordine e \
grado fino a sabato e vieta il transito sui tre ponti cittadini. "Abbiamo evacuato 340 persone dalle \
zone più basse, nessuno è rimasto ferito", ha detto Ferrando al termine del vertice in prefettura.

I vigili del fuoco hanno compiuto più di 120 interventi, soprattutto per prosciugare cantine e garage e \
per liberare automobilisti rimasti bloccati nei sottopassi. Due squadre di soccorritori fluviali sono \
arrivate da Alessandria e da Piacenza per dare il cambio ai colleghi liguri.

L'assessore regionale alla Protezione civile, Giulia Parodi, ha annunciato che la Regione chiederà lo \
stato di emergenza e ha stimato i primi danni in circa 25 milioni di euro. L'allerta rossa resta in \
vigore fino alla mezzanotte di domani su tutto il levante, mentre per il pomeriggio è attesa una nuova \
perturbazione con temporali forti sulla costa.

La linea ferroviaria tra Sestri Levante e Chiavari è stata interrotta per tre ore a causa di una frana \
caduta sui binari all'altezza di Lavagna; i treni regionali hanno ripreso a circolare alle 9 con \
ritardi fino a un'ora.

Chi ha bisogno di assistenza può chiamare il numero verde attivato dal Comune, in funzione giorno e notte.
"""

# Outlet 2: words swapped in most sentences, the railway paragraph cut, a sentence of context added.
OUTLET_2 = """Alluvione nel Tigullio, il Lavagnola rompe gli argini: 340 sfollati

Genova - Il torrente Lavagnola è esondato questa notte in due punti tra Carasco e Chiavari, \
allagando le vie del centro e i piani terra di decine di abitazioni. Secondo la Protezione civile \
della Liguria, tra le 2 e le 5 sono caduti più di 180 millimetri di pioggia, un dato che non si \
registrava nella zona dal 2014, l'anno dell'ultima alluvione.

Il primo cittadino di Chiavari, Andrea Ferrando, ha firmato un'ordinanza che chiude le scuole di ogni \
ordine e grado fino a sabato e vieta il passaggio sui tre ponti cittadini. "Abbiamo evacuato 340 \
persone dalle zone più basse, nessuno è rimasto ferito", ha spiegato Ferrando al termine del vertice \
in prefettura.

I vigili del fuoco hanno effettuato più di 120 interventi, soprattutto per svuotare cantine e garage e \
per soccorrere automobilisti rimasti bloccati nei sottopassi. Due squadre di soccorritori fluviali sono \
giunte da Alessandria e da Piacenza per dare il cambio ai colleghi liguri.

L'assessore regionale alla Protezione civile, Giulia Parodi, ha annunciato che la Regione chiederà lo \
stato di emergenza e ha stimato i primi danni in circa 25 milioni di euro. L'allerta rossa resta in \
vigore fino alla mezzanotte di domani su tutto il levante ligure, mentre nel pomeriggio è attesa una \
nuova perturbazione con forti temporali lungo la costa.
"""

# Outlet 3: the order changed, the lead rewritten, some sentences split or merged, one paragraph cut.
OUTLET_3 = """Esonda il Lavagnola, Chiavari allagata. La Regione chiede lo stato di emergenza

Danni per circa 25 milioni di euro: è la prima stima dell'assessore regionale alla Protezione civile, \
Giulia Parodi, che ha annunciato che la Regione chiederà lo stato di emergenza. Nella notte il torrente \
Lavagnola è esondato in due punti tra Carasco e Chiavari, allagando le strade del centro e i piani \
terra di decine di abitazioni.

Il sindaco di Chiavari, Andrea Ferrando, ha firmato un'ordinanza che chiude le scuole di ogni ordine e \
grado fino a sabato e vieta il transito sui tre ponti cittadini. "Abbiamo evacuato 340 persone dalle \
zone più basse, nessuno è rimasto ferito", ha detto Ferrando al termine del vertice in prefettura.

Tra le 2 e le 5, secondo la Protezione civile regionale, sono caduti oltre 180 millimetri di pioggia. \
Un valore che in zona non si registrava dal 2014.

L'allerta rossa resta in vigore fino alla mezzanotte di domani su tutto il levante, mentre per il \
pomeriggio è attesa una nuova perturbazione con temporali forti sulla costa. I vigili del fuoco hanno \
compiuto più di 120 interventi, soprattutto per prosciugare cantine e garage e per liberare \
automobilisti rimasti bloccati nei sottopassi.
"""

# Written independently about the same flood: the same names and figures, other words.
INDEPENDENT = {
    "own-1": """Chiavari, la notte della paura: il Lavagnola fuori dagli argini

Alle tre di notte le sirene hanno svegliato il quartiere delle Grazie. In pochi minuti l'acqua del \
Lavagnola ha raggiunto i marciapiedi e poi le vetrine dei negozi di corso Dante. "Ho visto galleggiare \
le auto davanti a casa", racconta una residente che ha passato la notte da una vicina al terzo piano.

Il Comune ha fatto uscire dalle case 340 persone, ospitate nella palestra della scuola media e in due \
alberghi del lungomare. Il sindaco Andrea Ferrando ha chiuso le scuole fino a sabato e ha vietato il \
passaggio sui ponti. Nessun ferito, ma molti commercianti hanno perso la merce dei magazzini.

La Regione, per bocca dell'assessore Giulia Parodi, parla di almeno 25 milioni di danni e prepara la \
richiesta dello stato di emergenza. I pompieri hanno lavorato fino all'alba: oltre 120 le chiamate.
""",
    "own-2": """Pioggia record sul levante ligure, il sindaco: "Nessuno si avvicini ai torrenti"

I pluviometri di Carasco hanno segnato 180 millimetri in tre ore, più di quanto cade di solito in un \
mese intero. Per i meteorologi dell'agenzia regionale si tratta di un temporale autorigenerante, fermo \
per ore sulla stessa valle. L'ultima volta che il Lavagnola aveva fatto tanti danni era il 2014.

Andrea Ferrando, sindaco di Chiavari, ha riunito il centro operativo comunale subito dopo l'esondazione \
e ha disposto l'evacuazione delle vie vicine all'argine: 340 residenti hanno lasciato le abitazioni. \
Le lezioni sono sospese fino a sabato. Secondo l'assessore Giulia Parodi i danni superano i 25 milioni \
e la giunta chiederà al governo lo stato di emergenza. L'allerta resta rossa fino a domani notte.
""",
    "own-3": """Frana sui binari e strade chiuse: il Tigullio isolato per una mattina

Chi doveva prendere il treno per Genova ieri mattina è rimasto a terra: una frana si è staccata sopra \
la ferrovia a Lavagna e la circolazione è rimasta ferma per tre ore. Sulla via Aurelia le code sono \
arrivate fino a Sestri Levante, mentre i ponti di Chiavari restavano chiusi per ordine del sindaco \
Andrea Ferrando dopo l'esondazione del Lavagnola.

I vigili del fuoco, rinforzati da squadre arrivate dal Piemonte e dall'Emilia, hanno svuotato \
scantinati e sottopassi per tutta la giornata. Le persone evacuate sono 340. La Regione stima danni \
per 25 milioni di euro e aspetta una nuova ondata di temporali nel pomeriggio.
""",
}


def letter_spaced(text: str) -> str:
    return "\n".join("  ".join(" ".join(word) for word in line.split(" ")) for line in text.split("\n"))


def corpus() -> dict[str, str]:
    collapsed, changed = collapse_letter_spacing(letter_spaced(WIRE))
    assert changed
    return {"wire": WIRE, "outlet-1": OUTLET_1, "outlet-2": OUTLET_2, "outlet-3": OUTLET_3,
            "wire-spaced": collapsed, **INDEPENDENT}


COPIES = ("wire", "outlet-1", "outlet-2", "outlet-3", "wire-spaced")
TOO_REWORDED = ("outlet-2", "outlet-3")  # Jaccard 0.23 with each other, below min_jaccard
EXPECTED_PAIRS = {tuple(sorted(pair)) for pair in combinations(COPIES, 2)} - {TOO_REWORDED}


def jaccard(x: str, y: str, size: int = 5) -> float:
    a, b = shingles(x, size), shingles(y, size)
    inter = np.intersect1d(a, b).size
    return inter / (a.size + b.size - inter)


def test_every_copy_pairs_with_the_dispatch_and_no_independent_article_pairs():
    found = set(near_duplicate_documents(corpus()).select("doc_id_a", "doc_id_b").iter_rows())
    assert found == EXPECTED_PAIRS


def test_the_reworded_copies_lie_between_the_threshold_and_the_old_one():
    # Positive control for the threshold: at the former min_jaccard 0.5 the reworded copies are missed.
    texts = corpus()
    for outlet in ("outlet-2", "outlet-3"):
        assert 0.3 <= jaccard(texts["wire"], texts[outlet]) < 0.5
    strict = set(near_duplicate_documents(texts, min_jaccard=0.5).select("doc_id_a", "doc_id_b").iter_rows())
    assert ("outlet-2", "wire") not in strict and ("outlet-1", "wire") in strict


def test_independent_articles_on_the_same_story_are_far_below_the_threshold():
    texts = corpus()
    for own in INDEPENDENT:
        for other in texts:
            if other != own:
                assert jaccard(texts[own], texts[other]) < 0.1, (own, other)


def test_the_reported_similarity_is_the_exact_shingle_jaccard():
    texts = corpus()
    for row in near_duplicate_documents(texts).iter_rows(named=True):
        assert row["shingle_jaccard"] == pytest.approx(jaccard(texts[row["doc_id_a"]], texts[row["doc_id_b"]]), abs=1e-6)


def test_output_is_the_same_for_the_same_input_in_any_order():
    texts = corpus()
    first = near_duplicate_documents(texts)
    again = near_duplicate_documents(dict(reversed(list(texts.items()))))
    assert first.equals(again) and first.height == len(EXPECTED_PAIRS)
    pairs = first.select("doc_id_a", "doc_id_b").rows()
    assert pairs == sorted(pairs) and all(a < b for a, b in pairs)


def test_documents_without_words_and_corpora_of_one_document_give_no_pairs():
    assert near_duplicate_documents({"a": "", "b": "...", "c": WIRE}).height == 0
    assert near_duplicate_documents({}).columns == ["doc_id_a", "doc_id_b", "shingle_jaccard"]
