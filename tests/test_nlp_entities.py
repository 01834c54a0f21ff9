"""Name finding and linking, on Italian sentences written for these tests.

Most tests run with an EMPTY alias table, so they prove that variants are linked by rule
(transliteration, nicknames, surnames), not because the table lists them.
"""

import csv

import polars as pl
import pytest

from pipeline.common import slugify
from pipeline.nlp.entities import (
    ALIASES_CSV,
    default_lexicon,
    find_names,
    lexicon_from_rows,
    link_mentions,
    name_key,
    translit_key,
)
from pipeline.schemas import ENTITY_TYPES

EMPTY = lexicon_from_rows([])


def sentences(docs: dict[str, list[str]]) -> pl.DataFrame:
    rows = []
    for doc_id, texts in docs.items():
        for n, text in enumerate(texts):
            rows.append({"doc_id": doc_id, "sent_id": f"{doc_id}:0:{n}", "sent_no": n, "text": text})
    return pl.DataFrame(rows)


def link(docs, lexicon=EMPTY):
    return link_mentions(sentences(docs), lexicon)


def entity_of(mentions: pl.DataFrame, surface: str) -> set[str]:
    return set(mentions.filter(pl.col("surface") == surface)["entity_id"].to_list())


def surfaces(text: str, lexicon=EMPTY) -> list[str]:
    return [c.surface for c in find_names(text, lexicon) if not c.weak]


@pytest.mark.parametrize(
    "variants",
    [
        ["Zelensky", "Zelenskyy", "Zelenskyj", "Zelenskij", "Zelenskiy"],
        ["Dmitry", "Dmitrij", "Dmitri"],
        ["Yuri", "Yury", "Jurij"],
        ["Navalny", "Navalnyj", "Navalnij"],
        ["Khodorkovsky", "Hodorkovskij"],
    ],
)
def test_transliteration_key_unifies_spellings(variants):
    assert len({translit_key(v) for v in variants}) == 1


def test_keys_keep_different_names_apart():
    assert translit_key("Rossi") != translit_key("Russo")
    assert name_key(["Mike", "Pence"]) == name_key(["Michael", "Pence"])
    assert name_key(["Mike", "Pence"]) != name_key(["Mark", "Pence"])


def test_transliterated_full_names_and_surnames_are_one_entity():
    mentions, entities = link(
        {
            "a": ["Il ministro Sergej Šojgu ha incontrato Dmitrij Peskov a Minsk."],
            "b": ["Il portavoce del Cremlino Dmitry Peskov ha smentito.", "Peskov ha poi aggiunto altro."],
            "c": ["Anche Peskow ha parlato ieri sera."],
        }
    )
    peskov = entity_of(mentions, "Dmitrij Peskov") | entity_of(mentions, "Dmitry Peskov")
    assert len(peskov) == 1
    assert entity_of(mentions, "Peskov") == peskov
    assert entity_of(mentions, "Peskow") == peskov
    methods = dict(zip(mentions["surface"], mentions["method"]))
    assert methods["Peskov"] == "surname_in_doc"
    assert methods["Peskow"] == "surname_in_corpus"
    assert entities.filter(pl.col("entity_id") == next(iter(peskov)))["type"].item() == "person"


def test_nickname_links_first_name_forms():
    mentions, _ = link({"a": ["Il senatore Bob Menendez ha parlato."], "b": ["Robert Menendez ha votato contro."]})
    assert entity_of(mentions, "Bob Menendez") == entity_of(mentions, "Robert Menendez") == {"robert-menendez"}
    assert "nickname" in mentions.filter(pl.col("surface") == "Bob Menendez")["method"].to_list()


def test_surname_prefers_the_same_article_and_marks_ambiguity():
    mentions, _ = link(
        {
            "a": ["L'attaccante Marco Ferri ha segnato due gol.", "Ferri è stato il migliore in campo."],
            "b": ["La giudice Laura Ferri ha emesso la sentenza.", "Ferri ha respinto il ricorso."],
            "c": ["Ferri non ha commentato."],
        }
    )
    by_doc = {(r["doc_id"], r["surface"]): r for r in mentions.iter_rows(named=True)}
    assert by_doc[("a", "Ferri")]["entity_id"] == "marco-ferri"
    assert by_doc[("b", "Ferri")]["entity_id"] == "laura-ferri"
    assert by_doc[("a", "Ferri")]["is_uncertain"] is False
    # in an article naming neither, the corpus has two candidates: a deterministic pick, flagged
    assert by_doc[("c", "Ferri")]["method"] == "surname_in_corpus"
    assert by_doc[("c", "Ferri")]["is_uncertain"] is True
    assert by_doc[("c", "Ferri")]["entity_id"] in {"marco-ferri", "laura-ferri"}


def test_role_phrases_lists_and_apposition_make_persons():
    text = (
        "Il ministro degli Esteri francese, Jean-Noel Barrot, ha parlato con i colleghi "
        "di Germania e Spagna, Annalena Baerbock e José Manuel Albares Bueno."
    )
    mentions, entities = link({"a": [text, "Poi Albares Bueno ha lasciato la sala."]})
    types = dict(zip(entities["entity_id"], entities["type"]))
    for eid in ("jean-noel-barrot", "annalena-baerbock", "jose-manuel-albares-bueno"):
        assert types[eid] == "person"
    assert mentions.filter(pl.col("surface") == "Jean-Noel Barrot")["method"].item() == "role_phrase"
    assert entity_of(mentions, "Albares Bueno") == {"jose-manuel-albares-bueno"}
    m2, e2 = link({"a": ["Lo ha detto Carla Verdi, portavoce della questura."]})
    assert dict(zip(e2["entity_id"], e2["type"]))["carla-verdi"] == "person"


def test_role_phrase_separates_the_complement_from_the_holder():
    assert surfaces("Ha parlato il segretario di Stato Marco Rubio.") == ["Marco Rubio"]
    assert surfaces("Il direttore della Cia John Ratcliffe ha taciuto.") == ["Cia", "John Ratcliffe"]
    found = {c.surface: c.hint for c in find_names("Parla l'allenatore del Napoli Antonio Conte.", EMPTY)}
    assert found.get("Antonio Conte") == "person" and found.get("Napoli") != "person"


def test_particles_and_initials_stay_inside_names():
    assert surfaces("Ieri Ursula von der Leyen ha firmato.") == ["Ursula von der Leyen"]
    assert surfaces("Il vicepresidente J. D. Vance ha risposto.") == ["J. D. Vance"]
    assert surfaces("Il presidente egiziano al-Sisi ha ricevuto Mohammed bin Salman.") == ["al-Sisi", "Mohammed bin Salman"]
    # Italian "di" is not a particle between two names ...
    assert surfaces("La visita a Kiev di Blinken è durata poco.", default_lexicon()) == ["Kiev", "Blinken"]
    # ... but belongs to institution names
    assert surfaces("Il Ministero degli Esteri ha convocato l'ambasciatore.") == ["Ministero degli Esteri"]


def test_sentence_starters_months_and_common_words_are_not_names():
    assert surfaces("Secondo fonti locali, Lunedì il Paese ha votato.") == []
    assert surfaces("Il Governo e la Procura hanno parlato a Marzo.") == []
    assert surfaces("Dopo la partita, Il Tecnico ha parlato.") == []
    # a capitalized word opening the sentence is kept only if it links to a name seen elsewhere
    mentions, _ = link({"a": ["Grasso ha vinto la gara.", "Ne è contento anche Pietro Grasso."]})
    assert entity_of(mentions, "Grasso") == {"pietro-grasso"}
    mentions, _ = link({"a": ["Grasso e pesante, il piatto non piace."]})
    assert mentions.height == 0


def test_entity_types_from_context():
    found = {c.surface: c.hint for c in find_names("Lo scrive il quotidiano Il Tirreno, citato dall'agenzia Adnkronos.", EMPTY)}
    assert found.get("Adnkronos") == "media"
    found = {c.surface: c.hint for c in find_names("Il Partito Socialista ha vinto a Lubiana.", EMPTY)}
    assert found["Partito Socialista"] == "org"
    assert found["Lubiana"] == "place"
    found = {c.surface: c.hint for c in find_names("Il gruppo ILKO Democratic Initiative Foundation ha pubblicato il rapporto.", EMPTY)}
    assert found["ILKO Democratic Initiative Foundation"] == "org"


def test_alias_table_links_place_variants_and_splits_compounds():
    mentions, entities = link({"a": ["Missili su Kyiv e su Kiev.", "Vertice Trump-Putin a Mosca, poi Moscow risponde."]}, default_lexicon())
    assert entity_of(mentions, "Kyiv") == entity_of(mentions, "Kiev") == {"kiev"}
    assert entity_of(mentions, "Moscow") == entity_of(mentions, "Mosca") == {"mosca"}
    assert {"donald-trump", "vladimir-putin"} <= set(mentions["entity_id"].to_list())


def test_mention_offsets_index_the_sentence_text():
    docs = {"a": ["Secondo l'inviato Steve Witkoff, il presidente russo Vladimir Putin vuole la pace con l'Ucraina."]}
    mentions, _ = link(docs, default_lexicon())
    text = docs["a"][0]
    assert mentions.height >= 3
    for row in mentions.iter_rows(named=True):
        assert text[row["start"] : row["end"]] == row["surface"]


def test_entities_table_has_one_row_per_entity_with_its_surfaces():
    mentions, entities = link({"a": ["Zelensky ha parlato.", "Volodymyr Zelenskyy ha ringraziato."]}, default_lexicon())
    assert entities["entity_id"].is_unique().all()
    row = entities.filter(pl.col("entity_id") == "volodymyr-zelensky").row(0, named=True)
    assert row["name"] == "Volodymyr Zelensky" and row["type"] == "person"
    assert set(row["aliases"]) == {"Zelensky", "Volodymyr Zelenskyy"}
    assert set(mentions["entity_id"]) <= set(entities["entity_id"])


def test_linking_is_deterministic():
    docs = {"a": ["Ferri ha vinto."], "b": ["Marco Ferri ha perso.", "Luca Ferri ha pareggiato."], "c": ["Il sindaco Anna Ferri."]}
    first = link(docs)
    second = link(dict(reversed(list(docs.items()))))
    assert first[0].sort(["sent_id", "start"]).equals(second[0].sort(["sent_id", "start"]))
    assert first[1].sort("entity_id").equals(second[1].sort("entity_id"))


def test_alias_table_is_well_formed():
    with open(ALIASES_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) == {"entity_id", "name", "type", "alias"}
    names: dict[str, str] = {}
    owner: dict[str, str] = {}
    for row in rows:
        assert row["entity_id"] == slugify(row["name"])
        assert row["type"] in ENTITY_TYPES
        assert names.setdefault(row["entity_id"], row["name"]) == row["name"]
        assert owner.setdefault(row["alias"], row["entity_id"]) == row["entity_id"], f"{row['alias']} is ambiguous"


def test_seed_articles_name_every_person_once_whatever_the_spelling():
    """Done-when on the five seed articles: each person is found and is ONE entity."""
    from pathlib import Path

    from pipeline.nlp.sentences import split_sentences

    rows = []
    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("seeds").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for n, line in enumerate(lines):
            rows.append({"doc_id": path.stem, "block_no": n, "kind": "paragraph", "text": line})
    mentions, entities = link_mentions(split_sentences(pl.DataFrame(rows)), default_lexicon())
    groups = {
        "volodymyr-zelensky": {"Zelensky", "Zelenskyy", "Volodymyr Zelensky", "VolodyMyr Zelenskyy"},
        "michael-waltz": {"Mike Waltz", "Michael Waltz", "Waltz"},
        "dmitry-peskov": {"Dmitry Peskov", "Peskov"},
        "donald-trump": {"Trump", "Donald Trump"},
        "kiev": {"Kiev", "Kyiv"},
        "vladimir-putin": {"Putin", "Vladimir Putin"},
        "jose-manuel-albares-bueno": {"José Manuel Albares Bueno", "Albares Bueno"},
    }
    for entity_id, names in groups.items():
        for name in names:
            assert entity_of(mentions, name) == {entity_id}, name
    persons = set(entities.filter(pl.col("type") == "person")["entity_id"])
    for entity_id in (
        "steve-witkoff", "pete-hegseth", "marco-rubio", "john-ratcliffe", "jean-noel-barrot", "annalena-baerbock",
        "mark-rutte", "scott-bessent", "boris-pistorius", "sebastien-lecornu", "mariia-zolkina", "pam-bondi", "marc-fogel",
    ):
        assert entity_id in persons, entity_id


def test_surname_of_an_untyped_full_name_links_but_not_of_a_place_or_org():
    mentions, _ = link(
        {
            "a": ["Ha segnato Romelu Lukaku nel finale.", "Lukaku ha poi esultato."],
            "b": ["Il Partito Radicale ha votato contro.", "Radicale è anche il nuovo piano."],
        }
    )
    assert entity_of(mentions, "Lukaku") == {"romelu-lukaku"}
    assert "Radicale" not in mentions["surface"].to_list()


def test_apostrophe_names_and_elisions():
    assert surfaces("Ha parlato con Conan O'Brien e con Massimo D'Alema.") == ["Conan O'Brien", "Massimo D'Alema"]
    assert surfaces("D'Alema ha parlato.") == ["D'Alema"]
    assert surfaces("L'Ucraina chiede aiuto all'Onu.", default_lexicon()) == ["Ucraina", "Onu"]


def test_an_entity_id_is_never_empty():
    from pipeline.nlp.entities import entity_slug

    assert entity_slug("Dmitrij Peskov") == "dmitrij-peskov"
    assert entity_slug("", "Lavrov") == "lavrov"
    no_ascii = entity_slug("Ƣƣƣ Ƥƥƥ")
    assert no_ascii.startswith("entity-") and no_ascii != entity_slug("Ǝǝǝ Ɣɣɣ")
    assert no_ascii == entity_slug("Ƣƣƣ Ƥƥƥ")  # deterministic


def types_of(mentions: pl.DataFrame, entities: pl.DataFrame) -> dict[str, str]:
    kinds = dict(zip(entities["entity_id"].to_list(), entities["type"].to_list()))
    return {s: kinds[e] for s, e in zip(mentions["surface"].to_list(), mentions["entity_id"].to_list())}


def test_a_town_or_region_that_is_also_a_common_word_is_a_place_after_a_place_preposition():
    # "Camerino", "Marche", "Macerata" are also Italian words; inside a sentence, after "a",
    # "nelle" or "provincia di", they are places, and so is an area named "nel Maceratese"
    mentions, entities = link({"a": [
        "I vigili del fuoco hanno controllato le scuole a Camerino.",
        "La scossa è stata avvertita nelle Marche e in provincia di Macerata.",
        "Molte famiglie hanno dormito in auto nel Maceratese.",
    ]})
    found = types_of(mentions, entities)
    assert {k: found.get(k) for k in ("Camerino", "Marche", "Macerata", "Maceratese")} == {
        "Camerino": "place", "Marche": "place", "Macerata": "place", "Maceratese": "place"}


def test_a_place_the_corpus_knows_is_found_where_no_preposition_marks_it():
    mentions, entities = link({"a": ["Le verifiche sono in corso a Camerino."],
                               "b": ["La scossa ha colpito tra Camerino e Muccia."]})
    b = mentions.filter(pl.col("doc_id") == "b")
    assert types_of(b, entities).get("Camerino") == "place"


def test_institutions_after_in_and_a_common_word_never_marked_as_a_place_stay_unnamed():
    # control: "in Aula", "nel Paese" are not places; "Camerino" with no place cue anywhere in the
    # corpus is the common word (a dressing room) and no name
    mentions, entities = link({"a": [
        "Il decreto arriva in Aula la prossima settimana.",
        "La fiducia nel Paese è tornata a crescere.",
        "L'attore si è chiuso nel suo Camerino dopo lo spettacolo.",
    ]})
    found = types_of(mentions, entities)
    assert "Aula" not in found and "Paese" not in found
    assert found.get("Camerino") != "place"


def test_a_square_named_with_common_words_is_not_made_a_town():
    # control: "piazza Grande della Loggia" may be a square of any town; it ties no two reports
    mentions, entities = link({"a": ["Erano 17mila le persone presenti in piazza Grande della Loggia."],
                               "b": ["Il corteo è arrivato in piazza Grande della Loggia a Napoli."]})
    found = types_of(mentions, entities)
    assert not any("Grande" in s or "Loggia" in s for s in found) and found.get("Napoli") == "place"
