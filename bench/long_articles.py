"""Adversarial long articles for the benchmark: one huge paragraph, or thousands of short ones.

A real input may be a single article of up to `ingest.max_bytes` (2,000,000 bytes): a pasted
live blog, a transcript, a document dump. Every stage must handle it in time linear in its
length. `long_article(layout, n_bytes, seed)` writes such an article from varied templates of
Italian news sentences (invented names and roles, counts, money, percentages, durations, day
dates, weekdays, clock times, abbreviations and initials, quotations in « »), so that every
extractor has work to do everywhere in the text:

- `single-paragraph`: a title line, then one paragraph of sentences with no line break;
- `short-paragraphs`: a title line, then paragraphs of one or two sentences separated by a blank
  line (2 MB gives about 20,000 paragraphs).

The text is UTF-8 and at most `n_bytes` bytes (it stops at the last whole sentence that fits).
Same arguments, same text. This is benchmark tooling, not a stage: nothing in the pipeline
imports it.
"""

from __future__ import annotations

import random

LAYOUTS = ("single-paragraph", "short-paragraphs")

_FIRST = ("Marco", "Giulia", "Luca", "Francesca", "Andrea", "Chiara", "Paolo", "Elena", "Stefano", "Silvia",
          "Davide", "Martina", "Giorgio", "Valentina", "Roberto", "Alessandra", "Matteo", "Federica")
_LAST = ("Bellini", "Ferraro", "Colombo", "Marchetti", "Galli", "Testa", "Lombardi", "Moretti", "Barbieri",
         "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferri", "Serra", "Conti", "De Luca")
_ROLES = ("il ministro dell'Economia", "la sindaca", "il presidente della Regione", "l'assessore ai Trasporti",
          "la portavoce della Protezione civile", "il segretario del sindacato", "il questore",
          "la presidente dell'associazione dei consumatori", "il prefetto", "il direttore dell'ospedale")
_TITLES = ("il dott.", "la prof.ssa", "l'avv.", "l'ing.", "il sen.", "la dott.ssa")
_PLACES = ("Roma", "Milano", "Napoli", "Torino", "Bologna", "Firenze", "Palermo", "Genova", "Bari", "Venezia",
           "Verona", "Padova", "Trieste", "Cagliari", "Perugia", "Ancona")
_ORGS = ("l'Istat", "la Cgil", "Confindustria", "la Banca d'Italia", "il Comune", "la Regione", "l'Inps",
         "la Protezione civile", "il Tar del Lazio", "la Corte dei conti", "Trenitalia", "l'Asl")
_MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre")
_WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
_COUNTED = ("persone", "manifestanti", "lavoratori", "passeggeri", "studenti", "famiglie", "pazienti",
            "volontari", "agenti", "residenti")
_TOPICS = ("il nuovo piano per il trasporto pubblico", "la riforma delle pensioni", "il bilancio comunale",
           "la gara per la manutenzione delle strade", "il contratto dei metalmeccanici",
           "i lavori sulla linea ferroviaria", "la riapertura del pronto soccorso", "il caro affitti")
_SPEECH = ("ha detto", "ha dichiarato", "ha spiegato", "ha affermato", "ha commentato", "ha sottolineato")
_QUOTES = ("Non possiamo più aspettare, servono risposte concrete", "Abbiamo fatto tutto il possibile",
           "I numeri ci danno ragione e andremo avanti", "È una giornata importante per la città",
           "Chiediamo un incontro urgente con il governo", "Nessuno sarà lasciato indietro",
           "La situazione è sotto controllo ma serve prudenza")
_DURATIONS = ("per quasi due ore", "per circa quaranta minuti", "per un'ora e mezza", "per oltre tre ore",
              "per 45 minuti", "per più di un'ora", "per due giorni", "per alcune settimane")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(rng: random.Random) -> str:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    name = f"{first} {last}"
    other = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    role, place, org = rng.choice(_ROLES), rng.choice(_PLACES), rng.choice(_ORGS)
    day, month, year = rng.randint(1, 28), rng.choice(_MONTHS), rng.choice((2023, 2024, 2025))
    weekday = rng.choice(_WEEKDAYS)
    count = rng.choice((12, 45, 130, 250, 480, 1200, 3500, 15000, 40000))
    counted = rng.choice(_COUNTED)
    pct = rng.choice(("3,5", "12", "7,2", "48", "0,8", "21,4", "65"))
    money = rng.choice(("2,5 milioni di euro", "300 mila euro", "1,2 miliardi di euro", "45.000 euro",
                        "18 milioni di euro"))
    quote = rng.choice(_QUOTES)
    speech = rng.choice(_SPEECH)
    hour = f"{rng.randint(7, 22)}.{rng.choice(('00', '15', '30', '45'))}"
    topic = rng.choice(_TOPICS)
    templates = (
        f"Secondo {org}, {_thousands(count)} {counted} hanno partecipato all'iniziativa di {place} il {day} {month} {year}.",
        f"«{quote}», {speech} {role} di {place}, {name}, al termine dell'incontro.",
        f"{_cap(role)} {name} {speech} che {topic} costerà {money}.",
        f"Il tasso di adesione allo sciopero ha raggiunto il {pct}% secondo i dati diffusi {weekday} {day} {month}.",
        f"La riunione con {org} è durata {rng.choice(_DURATIONS)[4:]}, poi {name} ha lasciato la sede senza dichiarazioni.",
        f"Alle {hour} di {weekday} circa {_thousands(count)} {counted} si sono radunati davanti alla prefettura di {place}.",
        f"Tra il {day} e il {day + 2} {month} sono attesi tra {count} e {count * 2} {counted} nei padiglioni della fiera.",
        f"Nel {year} la spesa è cresciuta del {pct} per cento rispetto all'anno precedente, ha reso noto {org}.",
        f"{_cap(rng.choice(_TITLES))} {last}, sentito come testimone, ha parlato {rng.choice(_DURATIONS)} davanti ai giudici.",
        f"L'art. {rng.randint(2, 90)} del regolamento, citato a pag. {rng.randint(3, 200)} della delibera n. {rng.randint(1, 400)}, resta in vigore.",
        f"{first[0]}. {last} ha ricordato che già il {day} {month} {year - 1} {org} aveva chiesto un rinvio.",
        f"Dopo {rng.choice(('tre', 'cinque', 'sette', 'dieci'))} giorni di trattative l'accordo vale {money}, ha confermato {name}.",
        f"Ieri a {place} {role} ha incontrato i rappresentanti di {rng.choice(_ORGS)} {rng.choice(_DURATIONS)}.",
        f"«{quote}. Lo ripeteremo anche {weekday} prossimo», ha aggiunto {name} parlando con i cronisti.",
        f"I feriti sono {rng.randint(2, 40)}, di cui {rng.randint(1, 5)} in gravi condizioni, secondo il bollettino delle {hour}.",
        f"{_cap(weekday)} {day} {month} la seduta del consiglio comunale di {place} si è chiusa dopo mezzanotte.",
        f"Per {org} il numero dei {counted} coinvolti supera i {_thousands(count)}, mentre gli organizzatori parlano di {_thousands(count * 3)}.",
        f"Il prezzo medio è salito a {rng.randint(2, 9)},{rng.randint(10, 99)} euro al chilo, il {pct}% in più in un mese.",
        f"La S.p.A. che gestisce il servizio ha annunciato {rng.randint(2, 30)} nuove assunzioni entro {month}.",
        f"Sono passati quasi {rng.choice(('due', 'tre', 'sei'))} mesi dall'ultimo incontro tra {name} e {role} di {place}.",
        f"Cosa succederà adesso? {_cap(role)} {name} non lo ha ancora chiarito.",
        f"Aggiornamento delle {hour}.",
        f"{place}, {day} {month} {year}.",
        f"Nessun ferito a {place}.",
        f"La manifestazione si è svolta senza incidenti! Lo ha confermato {org} in una nota diffusa alle {hour}.",
        f"La telefonata tra {name} e {other} è durata {rng.choice(_DURATIONS)[4:]}, secondo fonti vicine al governo.",
        f"Il vertice tra {name} e {other} si terrà {weekday} prossimo a {place}, ha annunciato {org}.",
        f"{name} e {other} si erano già visti in un incontro riservato lo scorso {day} {month}.",
    )
    return rng.choice(templates)


def long_article(layout: str, n_bytes: int, seed: int = 0) -> str:
    """An article of at most `n_bytes` UTF-8 bytes in `layout` (see LAYOUTS); deterministic."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
    rng = random.Random(f"{layout}:{seed}")
    title = f"Sciopero e proteste a {rng.choice(_PLACES)}: la cronaca della giornata"
    parts = [title, "\n\n"]
    size = len(title.encode("utf-8")) + 2
    per_paragraph = 0
    while True:
        sentence = _sentence(rng)
        if layout == "single-paragraph":
            sep = " " if per_paragraph else ""
        else:
            # mostly one sentence per paragraph, about 100 bytes each: 2 MB ≈ 20,000 paragraphs
            new_paragraph = per_paragraph >= 2 or (per_paragraph == 1 and rng.random() < 0.95)
            sep = "\n\n" if new_paragraph else (" " if per_paragraph else "")
            if new_paragraph:
                per_paragraph = 0
        piece = sep + sentence
        n = len(piece.encode("utf-8"))
        if size + n + 1 > n_bytes:  # + 1: the final newline
            break
        parts.append(piece)
        size += n
        per_paragraph += 1
    parts.append("\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> None:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Write one adversarial long article (benchmark input).")
    parser.add_argument("--layout", choices=LAYOUTS, default=LAYOUTS[0])
    parser.add_argument("--bytes", type=int, default=1_999_000, help="largest size in UTF-8 bytes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    args = parser.parse_args(argv)
    args.out.write_text(long_article(args.layout, args.bytes, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()
