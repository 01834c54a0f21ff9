"""Quotations, reported statements, cues and speakers, on Italian paragraphs written for these tests."""

import polars as pl

from pipeline.nlp.entities import link_mentions
from pipeline.nlp.quotes import extract_quotes, find_quote_spans
from pipeline.nlp.sentences import split_sentences


def quotes_of(*paragraphs: str, doc_id: str = "d") -> pl.DataFrame:
    blocks = pl.DataFrame(
        {
            "doc_id": [doc_id] * len(paragraphs),
            "block_no": list(range(len(paragraphs))),
            "kind": ["paragraph"] * len(paragraphs),
            "text": list(paragraphs),
        }
    )
    sentences = split_sentences(blocks)
    mentions, entities = link_mentions(sentences)
    return extract_quotes(sentences, mentions, entities)


def one(df: pl.DataFrame, contains: str) -> dict:
    rows = df.filter(pl.col("text").str.contains(contains, literal=True))
    assert rows.height == 1, df
    return rows.row(0, named=True)


def test_guillemets_with_inverted_speaker_after_the_quote():
    q = quotes_of("«Non lasceremo soli i lavoratori dell'acciaieria», ha detto Adolfo Urso ai sindacati.")
    row = one(q, "Non lasceremo soli")
    assert row["text"] == "Non lasceremo soli i lavoratori dell'acciaieria"
    assert row["speaker_entity_id"] == "adolfo-urso"
    assert row["cue"] == "ha detto"
    assert row["quote_id"] == f"{row['sent_id']}:q0"


def test_subject_before_the_verb_with_a_role_phrase():
    q = quotes_of('Il sindaco di Bologna Matteo Lepore ha dichiarato che "la città non si fermerà per il maltempo".')
    row = one(q, "la città non si fermerà")
    assert row["speaker_entity_id"] == "matteo-lepore"
    assert row["cue"] == "ha dichiarato"


def test_reported_speech_without_quotation_marks():
    q = quotes_of("La procuratrice Anna Conti ha spiegato che le indagini proseguiranno per tutto l'anno.")
    row = one(q, "le indagini proseguiranno")
    assert row["speaker_entity_id"] == "anna-conti"
    q = quotes_of("Le scuole resteranno chiuse fino a lunedì, ha annunciato il prefetto Carlo Sala.")
    row = one(q, "Le scuole resteranno chiuse")
    assert row["speaker_entity_id"] == "carlo-sala"


def test_secondo_attributes_the_clause():
    q = quotes_of("Secondo l'economista Paola Greco, l'inflazione scenderà entro l'estate.")
    row = one(q, "l'inflazione scenderà")
    assert row["speaker_entity_id"] == "paola-greco"
    assert row["cue"].lower() == "secondo"


def test_a_parlare_e_names_the_speaker_of_the_previous_quote():
    q = quotes_of("«Abbiamo giocato la partita perfetta, ora pensiamo al campionato». A parlare è il capitano Lorenzo Bianchi.")
    row = one(q, "Abbiamo giocato")
    assert row["speaker_entity_id"] == "lorenzo-bianchi"


def test_passive_with_agent():
    q = quotes_of("La notizia è stata confermata dal portavoce della Farnesina Giulio Marini: «Il connazionale è stato liberato».")
    row = one(q, "Il connazionale")
    assert row["speaker_entity_id"] == "giulio-marini"


def test_quote_spanning_sentences_is_recorded_where_it_starts():
    q = quotes_of("Il ct ha parlato a lungo. «Siamo pronti. La squadra sta bene. Vinceremo», ha detto Franco Neri.")
    row = one(q, "Siamo pronti")
    assert row["sent_id"] == "d:0:1"
    assert row["text"] == "Siamo pronti. La squadra sta bene. Vinceremo"
    assert row["speaker_entity_id"] == "franco-neri"


def test_subjectless_verb_takes_the_speaker_just_named():
    q = quotes_of(
        "L'assessore Marta Villa ha presentato il piano per le periferie.",
        "«Entro due anni apriremo dieci nuovi asili», ha aggiunto.",
    )
    assert one(q, "Entro due anni")["speaker_entity_id"] == "marta-villa"


def test_unnamed_or_unknown_speaker_stays_null():
    q = quotes_of("«Non abbiamo più niente da perdere», ha detto un residente del quartiere.")
    assert one(q, "Non abbiamo più niente")["speaker_entity_id"] is None
    q = quotes_of("Sui muri qualcuno ha scritto «la città è di tutti noi».")
    assert one(q, "la città è di tutti")["speaker_entity_id"] is None
    # a bare quotation in a sentence naming someone else is not given to the previous speaker
    q = quotes_of(
        "«La riforma è pronta», ha detto la ministra Elena Russo.",
        "Intanto il sindacato Fiom ha parlato di «una riforma scritta senza ascoltare nessuno».",
    )
    assert one(q, "una riforma scritta")["speaker_entity_id"] != "elena-russo"


def test_short_quoted_labels_are_not_statements():
    q = quotes_of('Il governo ha chiamato il piano "Italia Sicura" e l\'opposizione lo giudica "inutile".')
    assert q.filter(pl.col("text").is_in(["Italia Sicura", "inutile"])).height == 0


def test_headline_colon_names_the_speaker():
    q = quotes_of('Sinner: "Questa vittoria è per la mia famiglia"')
    row = one(q, "Questa vittoria")
    assert row["speaker_entity_id"] == "sinner"
    assert row["cue"] == ":"


def test_quote_ids_number_quotes_within_a_sentence():
    q = quotes_of("«Siamo stanchi di aspettare», ha detto Paolo Rota, e «vogliamo risposte subito», ha aggiunto Rota.")
    assert sorted(q["quote_id"].to_list()) == ["d:0:0:q0", "d:0:0:q1"]
    assert set(q["speaker_entity_id"].to_list()) == {"paolo-rota"}


def test_quote_mark_direction_comes_from_context():
    text = 'Ha detto "basta così" e poi “ancora una volta non ci siamo“, ha aggiunto.'
    spans = [text[q.start : q.end] for q in find_quote_spans(text.replace("“", '"'))]
    assert spans == ["basta così", "ancora una volta non ci siamo"]
    assert find_quote_spans("Era un 15\" di pausa e nulla più.") == []


def test_ordinal_secondo_is_not_a_cue():
    q = quotes_of("Nel suo secondo mandato il sindaco Luca Neri ha aperto tre scuole.", "Il secondo tempo è stato noioso e lento.")
    assert q.height == 0
    q = quotes_of("Secondo Luca Neri, le scuole apriranno a settembre in tutta la città.")
    assert one(q, "le scuole apriranno")["speaker_entity_id"] == "luca-neri"


def test_an_ambiguous_surname_is_not_a_speaker():
    blocks = pl.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "block_no": [0, 0, 0],
            "kind": ["paragraph"] * 3,
            "text": [
                "Il deputato Marco Galli ha votato contro.",
                "La senatrice Laura Galli ha votato a favore.",
                "«Non cambieremo idea su questa legge», ha scritto Galli sui social.",
            ],
        }
    )
    sentences = split_sentences(blocks)
    mentions, entities = link_mentions(sentences)
    assert mentions.filter(pl.col("doc_id") == "c")["is_uncertain"].to_list() == [True]
    q = extract_quotes(sentences, mentions, entities)
    assert one(q, "Non cambieremo idea")["speaker_entity_id"] is None


def test_a_person_inside_a_statement_is_not_its_speaker_when_the_speaker_follows_unnamed():
    # "…, ha spiegato l'ex tycoon": the subject follows the verb, by an epithet; Putin is named inside
    # the statement and must not be credited with it
    q = quotes_of("Donald Trump ha sentito Vladimir Putin. "
                  "Lui e Putin hanno un ottimo rapporto, ha spiegato l'ex tycoon ai giornalisti.")
    assert one(q, "hanno un ottimo rapporto")["speaker_entity_id"] is None
    q = quotes_of("La telefonata con Putin è andata molto bene, ha detto il presidente americano.")
    assert one(q, "è andata molto bene")["speaker_entity_id"] is None
    # positive controls: a named subject after the verb, and a named subject before it
    q = quotes_of("Lui e Putin hanno un ottimo rapporto, ha spiegato Donald Trump ai giornalisti.")
    assert one(q, "hanno un ottimo rapporto")["speaker_entity_id"] == "donald-trump"
    q = quotes_of("Il portavoce del Cremlino, Dmitry Peskov, ha dichiarato che la telefonata con Trump è stata utile.")
    assert one(q, "è stata utile")["speaker_entity_id"] == "dmitry-peskov"
