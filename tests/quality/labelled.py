"""A hand-labelled set of Italian news sentences (written for this project, not taken from the
seeds), covering politics, foreign affairs, crime, sport, economy, weather and culture.

Each case is one paragraph of one article published on `published`. Labels:

- `mentions`: (surface, entity_id, type) for every named person, organisation, place or medium
  (and named things labelled `other`); entity_id is the slug of the canonical name, so spelling
  variants of one entity share it ("Zelenskyj" → volodymyr-zelensky; a surname alone → the
  full name's id when the article gives it).
- `times`: (surface, value_date) with value_date the first day of the period meant, resolved
  against `published` (None when it cannot be resolved).
- `quantities`: (surface, kind, unit, low, high): an interval in canonical units (minutes for
  seconds, minutes and hours; days for days and weeks; months; years for years and ages; items
  for counts; EUR/USD; percent; km; other units as named); "about N" is [N, N], "more than N"
  is [N, None], "almost N" is [0.8·N, N] (the convention documented in
  pipeline/nlp/quantities.py).

Surfaces are matched by overlap, so "il 12 febbraio" and "12 febbraio" are the same label.
"""

from __future__ import annotations

CASES: list[dict] = [
    # --- politics (Italy) ---
    {
        "published": "2025-03-05",
        "text": "La premier Giorgia Meloni ha incontrato ieri a Palazzo Chigi il leader della Cgil Maurizio Landini. "
        "Secondo Landini, il governo deve alzare i salari del 10%.",
        "mentions": [
            ("Giorgia Meloni", "giorgia-meloni", "person"),
            ("Palazzo Chigi", "palazzo-chigi", "org"),
            ("Cgil", "cgil", "org"),
            ("Maurizio Landini", "maurizio-landini", "person"),
            ("Landini", "maurizio-landini", "person"),
        ],
        "times": [("ieri", "2025-03-04")],
        "quantities": [("10%", "percent", "percent", 10.0, 10.0)],
    },
    {
        "published": "2025-03-05",
        "text": "Il ministro dell'Economia Giancarlo Giorgetti ha detto che la manovra vale 30 miliardi di euro. "
        "Giorgetti ha escluso nuove tasse.",
        "mentions": [
            ("Giancarlo Giorgetti", "giancarlo-giorgetti", "person"),
            ("Giorgetti", "giancarlo-giorgetti", "person"),
        ],
        "times": [],
        "quantities": [("30 miliardi di euro", "money", "EUR", 30e9, 30e9)],
    },
    {
        "published": "2025-06-11",
        "text": "Il presidente della Repubblica Sergio Mattarella ha firmato il decreto lunedì 9 giugno, "
        "dopo un colloquio di circa mezz'ora con il ministro Carlo Nordio.",
        "mentions": [
            ("Sergio Mattarella", "sergio-mattarella", "person"),
            ("Carlo Nordio", "carlo-nordio", "person"),
        ],
        "times": [("lunedì 9 giugno", "2025-06-09")],
        "quantities": [("circa mezz'ora", "duration", "minute", 30.0, 30.0)],
    },
    {
        "published": "2025-06-11",
        "text": "Alla Camera il decreto è passato con 201 voti favorevoli e 117 contrari. "
        "La segretaria del Pd Elly Schlein ha parlato di «una pagina buia per il Parlamento».",
        "mentions": [
            ("Camera", "camera-dei-deputati", "org"),
            ("Pd", "partito-democratico", "org"),
            ("Elly Schlein", "elly-schlein", "person"),
        ],
        "times": [],
        "quantities": [("201 voti", "count", "item", 201.0, 201.0), ("117 contrari", "count", "item", 117.0, 117.0)],
    },
    {
        "published": "2025-10-02",
        "text": "Il vicepremier Antonio Tajani volerà a Bruxelles la prossima settimana per incontrare "
        "l'Alto rappresentante Kaja Kallas.",
        "mentions": [
            ("Antonio Tajani", "antonio-tajani", "person"),
            ("Bruxelles", "bruxelles", "place"),
            ("Kaja Kallas", "kaja-kallas", "person"),
        ],
        "times": [("la prossima settimana", "2025-10-06")],
        "quantities": [],
    },
    {
        "published": "2025-10-02",
        "text": "Il governatore della Campania Vincenzo De Luca ha attaccato il ministro Matteo Salvini: "
        "«I treni per Napoli arrivano con due ore di ritardo».",
        "mentions": [
            ("Campania", "campania", "place"),
            ("Vincenzo De Luca", "vincenzo-de-luca", "person"),
            ("Matteo Salvini", "matteo-salvini", "person"),
            ("Napoli", "napoli", "place"),
        ],
        "times": [],
        "quantities": [("due ore", "duration", "minute", 120.0, 120.0)],
    },
    # --- foreign affairs ---
    {
        "published": "2025-02-13",
        "text": "Il presidente ucraino Volodymyr Zelenskyj ha ricevuto a Kyjiv il segretario al Tesoro Scott Bessent. "
        "Zelenskij ha chiesto garanzie di sicurezza agli Stati Uniti.",
        "mentions": [
            ("Volodymyr Zelenskyj", "volodymyr-zelensky", "person"),
            ("Kyjiv", "kiev", "place"),
            ("Scott Bessent", "scott-bessent", "person"),
            ("Zelenskij", "volodymyr-zelensky", "person"),
            ("Stati Uniti", "stati-uniti", "place"),
        ],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-02-13",
        "text": "Il portavoce del Cremlino Dmitrij Peskov ha detto che la telefonata è durata quasi due ore. "
        "Peskov non ha fornito altri dettagli.",
        "mentions": [
            ("Cremlino", "cremlino", "org"),
            ("Dmitrij Peskov", "dmitrij-peskov", "person"),
            ("Peskov", "dmitrij-peskov", "person"),
        ],
        "times": [],
        "quantities": [("quasi due ore", "duration", "minute", 96.0, 120.0)],
    },
    {
        "published": "2025-04-16",
        "text": "Il cancelliere tedesco Friedrich Merz e il presidente francese Emmanuel Macron si sono visti a Parigi "
        "martedì 15 aprile.",
        "mentions": [
            ("Friedrich Merz", "friedrich-merz", "person"),
            ("Emmanuel Macron", "emmanuel-macron", "person"),
            ("Parigi", "parigi", "place"),
        ],
        "times": [("martedì 15 aprile", "2025-04-15")],
        "quantities": [],
    },
    {
        "published": "2025-04-16",
        "text": "A Gaza almeno 40 persone sono morte nei raid della notte, secondo il ministero della Salute di Hamas.",
        "mentions": [("Gaza", "gaza", "place"), ("Hamas", "hamas", "org")],
        "times": [],
        "quantities": [("almeno 40 persone", "count", "item", 40.0, None)],
    },
    {
        "published": "2025-05-21",
        "text": "Il segretario generale della Nato Mark Rutte ha chiesto agli alleati di portare la spesa militare al 5% del Pil entro il 2035.",
        "mentions": [("Nato", "nato", "org"), ("Mark Rutte", "mark-rutte", "person")],
        "times": [("2035", "2035-01-01")],
        "quantities": [("5%", "percent", "percent", 5.0, 5.0)],
    },
    {
        "published": "2025-05-21",
        "text": "Mike Waltz, consigliere per la sicurezza nazionale, ha lasciato l'incarico. "
        "Michael Waltz sarà nominato ambasciatore all'Onu.",
        "mentions": [
            ("Mike Waltz", "michael-waltz", "person"),
            ("Michael Waltz", "michael-waltz", "person"),
            ("Onu", "nazioni-unite", "org"),
        ],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-05-21",
        "text": "Il premier israeliano Benjamin Netanyahu ha sentito al telefono Donald Trump per circa un'ora. "
        "Lo riferisce il quotidiano Haaretz.",
        "mentions": [
            ("Benjamin Netanyahu", "benjamin-netanyahu", "person"),
            ("Donald Trump", "donald-trump", "person"),
            ("Haaretz", "haaretz", "media"),
        ],
        "times": [],
        "quantities": [("circa un'ora", "duration", "minute", 60.0, 60.0)],
    },
    {
        "published": "2025-09-03",
        "text": "Il ministro degli Esteri russo Sergej Lavrov è arrivato a Pechino, dove incontrerà Wang Yi domani.",
        "mentions": [
            ("Sergej Lavrov", "sergej-lavrov", "person"),
            ("Pechino", "pechino", "place"),
            ("Wang Yi", "wang-yi", "person"),
        ],
        "times": [("domani", "2025-09-04")],
        "quantities": [],
    },
    {
        "published": "2025-09-03",
        "text": "Secondo l'agenzia Reuters, Washington valuta nuove sanzioni contro Mosca.",
        "mentions": [
            ("Reuters", "reuters", "media"),
            ("Washington", "washington", "place"),
            ("Mosca", "mosca", "place"),
        ],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-09-03",
        "text": "La presidente della Commissione europea Ursula von der Leyen ha annunciato aiuti per 2,5 miliardi di euro.",
        "mentions": [
            ("Commissione europea", "commissione-europea", "org"),
            ("Ursula von der Leyen", "ursula-von-der-leyen", "person"),
        ],
        "times": [],
        "quantities": [("2,5 miliardi di euro", "money", "EUR", 2.5e9, 2.5e9)],
    },
    {
        "published": "2025-11-12",
        "text": "Il vicepresidente J. D. Vance ha parlato con i giornalisti sull'Air Force One. "
        "Vance ha detto che l'accordo sul cessate il fuoco è vicino.",
        "mentions": [
            ("J. D. Vance", "jd-vance", "person"),
            ("Air Force One", "air-force-one", "other"),
            ("Vance", "jd-vance", "person"),
        ],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-11-12",
        "text": "Il principe ereditario saudita Mohammed bin Salman sarà a Washington il 18 novembre.",
        "mentions": [
            ("Mohammed bin Salman", "mohammed-bin-salman", "person"),
            ("Washington", "washington", "place"),
        ],
        "times": [("il 18 novembre", "2025-11-18")],
        "quantities": [],
    },
    # --- crime and courts ---
    {
        "published": "2025-01-22",
        "text": "I carabinieri di Palermo hanno arrestato 12 persone accusate di estorsione. "
        "L'inchiesta è coordinata dal procuratore Maurizio de Lucia.",
        "mentions": [
            ("Palermo", "palermo", "place"),
            ("Maurizio de Lucia", "maurizio-de-lucia", "person"),
        ],
        "times": [],
        "quantities": [("12 persone", "count", "item", 12.0, 12.0)],
    },
    {
        "published": "2025-01-22",
        "text": "La Guardia di Finanza ha sequestrato beni per oltre 3 milioni di euro a un imprenditore di Brescia.",
        "mentions": [("Guardia di Finanza", "guardia-di-finanza", "org"), ("Brescia", "brescia", "place")],
        "times": [],
        "quantities": [("oltre 3 milioni di euro", "money", "EUR", 3e6, None)],
    },
    {
        "published": "2025-01-22",
        "text": "Il processo riprenderà il 3 febbraio davanti alla Corte d'Assise di Milano. "
        "L'avvocato della famiglia, Giulia Ferraro, ha chiesto una nuova perizia.",
        "mentions": [
            ("Corte d'Assise di Milano", "corte-d-assise-di-milano", "org"),
            ("Giulia Ferraro", "giulia-ferraro", "person"),
        ],
        "times": [("il 3 febbraio", "2025-02-03")],
        "quantities": [],
    },
    {
        "published": "2025-07-09",
        "text": "Un uomo di 45 anni è stato fermato a Torino dopo un inseguimento di 20 minuti. "
        "Lo ha reso noto la Questura.",
        "mentions": [("Torino", "torino", "place")],
        "times": [],
        "quantities": [("45 anni", "age", "year", 45.0, 45.0), ("20 minuti", "duration", "minute", 20.0, 20.0)],
    },
    {
        "published": "2025-07-09",
        "text": "Secondo la polizia, la rapina è avvenuta sabato sera in una gioielleria del centro di Bari.",
        "mentions": [("Bari", "bari", "place")],
        "times": [("sabato sera", "2025-07-05")],
        "quantities": [],
    },
    {
        "published": "2025-07-09",
        "text": "Il gip di Roma ha convalidato il fermo. Il giovane, difeso dall'avvocato Marco Sala, resterà in carcere.",
        "mentions": [("Roma", "roma", "place"), ("Marco Sala", "marco-sala", "person")],
        "times": [],
        "quantities": [],
    },
    # --- sport ---
    {
        "published": "2025-03-10",
        "text": "L'allenatore del Napoli Antonio Conte ha spiegato che Romelu Lukaku tornerà in campo domenica. "
        "Conte ha lodato anche Scott McTominay.",
        "mentions": [
            ("Napoli", "napoli", "place"),
            ("Antonio Conte", "antonio-conte", "person"),
            ("Romelu Lukaku", "romelu-lukaku", "person"),
            ("Conte", "antonio-conte", "person"),
            ("Scott McTominay", "scott-mctominay", "person"),
        ],
        "times": [("domenica", "2025-03-16")],
        "quantities": [],
    },
    {
        "published": "2025-03-10",
        "text": "Jannik Sinner ha battuto Carlos Alcaraz in tre set dopo 2 ore e 40 minuti di gioco.",
        "mentions": [
            ("Jannik Sinner", "jannik-sinner", "person"),
            ("Carlos Alcaraz", "carlos-alcaraz", "person"),
        ],
        "times": [],
        "quantities": [("tre set", "count", "item", 3.0, 3.0), ("2 ore e 40 minuti", "duration", "minute", 160.0, 160.0)],
    },
    {
        "published": "2025-03-10",
        "text": "La Juventus ha pagato 25 milioni di euro per l'attaccante Jonathan David. "
        "Il club bianconero ha annunciato l'accordo venerdì.",
        "mentions": [
            ("Juventus", "juventus", "org"),
            ("Jonathan David", "jonathan-david", "person"),
        ],
        "times": [("venerdì", "2025-03-07")],
        "quantities": [("25 milioni di euro", "money", "EUR", 25e6, 25e6)],
    },
    {
        "published": "2025-08-25",
        "text": "Alla maratona di Venezia hanno corso più di 8.000 atleti sui 42 chilometri del percorso.",
        "mentions": [("Venezia", "venezia", "place")],
        "times": [],
        "quantities": [("più di 8.000 atleti", "count", "item", 8000.0, None), ("42 chilometri", "distance", "km", 42.0, 42.0)],
    },
    {
        "published": "2025-08-25",
        "text": "Il ct della Nazionale Luciano Spalletti ha convocato 26 giocatori per le partite di settembre.",
        "mentions": [("Luciano Spalletti", "luciano-spalletti", "person")],
        "times": [("settembre", "2025-09-01")],
        "quantities": [("26 giocatori", "count", "item", 26.0, 26.0)],
    },
    {
        "published": "2025-08-25",
        "text": "Federica Brignone ha vinto lo slalom gigante di Sölden davanti a Lara Gut-Behrami.",
        "mentions": [
            ("Federica Brignone", "federica-brignone", "person"),
            ("Sölden", "solden", "place"),
            ("Lara Gut-Behrami", "lara-gut-behrami", "person"),
        ],
        "times": [],
        "quantities": [],
    },
    # --- economy ---
    {
        "published": "2025-04-30",
        "text": "Secondo l'Istat, a marzo l'inflazione è salita all'1,9%, mentre la disoccupazione è scesa al 6%.",
        "mentions": [("Istat", "istat", "org")],
        "times": [("a marzo", "2025-03-01")],
        "quantities": [("1,9%", "percent", "percent", 1.9, 1.9), ("6%", "percent", "percent", 6.0, 6.0)],
    },
    {
        "published": "2025-04-30",
        "text": "La Banca centrale europea ha tagliato di nuovo i tassi. La presidente Christine Lagarde "
        "ha detto che la crescita resta debole.",
        "mentions": [
            ("Banca centrale europea", "banca-centrale-europea", "org"),
            ("Christine Lagarde", "christine-lagarde", "person"),
        ],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-04-30",
        "text": "Stellantis chiuderà lo stabilimento di Mirafiori per due settimane. "
        "Lo ha annunciato l'amministratore delegato Carlos Tavares.",
        "mentions": [
            ("Stellantis", "stellantis", "org"),
            ("Mirafiori", "mirafiori", "place"),
            ("Carlos Tavares", "carlos-tavares", "person"),
        ],
        "times": [],
        "quantities": [("due settimane", "duration", "day", 14.0, 14.0)],
    },
    {
        "published": "2025-04-30",
        "text": "Le esportazioni verso gli Stati Uniti sono calate del 4,2%, scrive il Sole 24 Ore.",
        "mentions": [
            ("Stati Uniti", "stati-uniti", "place"),
            ("Sole 24 Ore", "il-sole-24-ore", "media"),
        ],
        "times": [],
        "quantities": [("4,2%", "percent", "percent", 4.2, 4.2)],
    },
    {
        "published": "2025-12-03",
        "text": "Il prezzo del gas ad Amsterdam è sceso a 28 euro al megawattora, il livello più basso da febbraio.",
        "mentions": [("Amsterdam", "amsterdam", "place")],
        "times": [("febbraio", "2025-02-01")],
        "quantities": [("28 euro", "money", "EUR", 28.0, 28.0)],
    },
    {
        "published": "2025-12-03",
        "text": "Elon Musk ha venduto azioni Tesla per 7 miliardi di dollari, secondo il Wall Street Journal.",
        "mentions": [
            ("Elon Musk", "elon-musk", "person"),
            ("Tesla", "tesla", "org"),
            ("Wall Street Journal", "wall-street-journal", "media"),
        ],
        "times": [],
        "quantities": [("7 miliardi di dollari", "money", "USD", 7e9, 7e9)],
    },
    # --- weather, society, culture ---
    {
        "published": "2025-11-05",
        "text": "L'alluvione in Emilia-Romagna ha costretto circa 2.000 persone a lasciare le case. "
        "Il presidente della Regione Michele de Pascale ha chiesto lo stato di emergenza.",
        "mentions": [
            ("Emilia-Romagna", "emilia-romagna", "place"),
            ("Michele de Pascale", "michele-de-pascale", "person"),
        ],
        "times": [],
        "quantities": [("circa 2.000 persone", "count", "item", 2000.0, 2000.0)],
    },
    {
        "published": "2025-11-05",
        "text": "A Genova la pioggia è caduta senza sosta per 24 ore, ha riferito la Protezione civile.",
        "mentions": [("Genova", "genova", "place"), ("Protezione civile", "protezione-civile", "org")],
        "times": [],
        "quantities": [("24 ore", "duration", "minute", 1440.0, 1440.0)],
    },
    {
        "published": "2025-11-05",
        "text": "Il film di Paolo Sorrentino ha già incassato 4 milioni di euro.",
        "mentions": [("Paolo Sorrentino", "paolo-sorrentino", "person")],
        "times": [],
        "quantities": [("4 milioni di euro", "money", "EUR", 4e6, 4e6)],
    },
    {
        "published": "2025-05-08",
        "text": "Papa Leone XIV ha celebrato la messa in piazza San Pietro davanti a oltre 100.000 fedeli.",
        "mentions": [
            ("Papa Leone XIV", "papa-leone-xiv", "person"),
            ("San Pietro", "san-pietro", "place"),
        ],
        "times": [],
        "quantities": [("oltre 100.000 fedeli", "count", "item", 100000.0, None)],
    },
    {
        "published": "2025-05-08",
        "text": "Secondo fonti vicine al Quirinale, il capo dello Stato parlerà il 2 giugno.",
        "mentions": [("Quirinale", "quirinale", "org")],
        "times": [("il 2 giugno", "2025-06-02")],
        "quantities": [],
    },
    {
        "published": "2025-05-08",
        "text": "La Rai ha trasmesso il concerto in diretta. Lo spettacolo è durato tre ore e ha avuto 5 milioni di spettatori.",
        "mentions": [("Rai", "rai", "media")],
        "times": [],
        "quantities": [("tre ore", "duration", "minute", 180.0, 180.0), ("5 milioni di spettatori", "count", "item", 5e6, 5e6)],
    },
    {
        "published": "2025-05-08",
        "text": "Nel 2023 i turisti stranieri a Firenze sono stati 8 milioni, il 15% in più.",
        "mentions": [("Firenze", "firenze", "place")],
        "times": [("Nel 2023", "2023-01-01")],
        "quantities": [("8 milioni", "count", "item", 8e6, 8e6), ("15%", "percent", "percent", 15.0, 15.0)],
    },
    # --- added after the first measurement, measured once before any rule change (see README) ---
    {
        "published": "2025-10-15",
        "text": "Il sindaco di Milano Giuseppe Sala ha inaugurato la nuova linea della metropolitana. "
        "Sala ha detto che i lavori sono costati 1,8 miliardi di euro.",
        "mentions": [("Milano", "milano", "place"), ("Giuseppe Sala", "giuseppe-sala", "person"), ("Sala", "giuseppe-sala", "person")],
        "times": [],
        "quantities": [("1,8 miliardi di euro", "money", "EUR", 1.8e9, 1.8e9)],
    },
    {
        "published": "2025-10-15",
        "text": "Il presidente turco Recep Tayyip Erdoğan ha ospitato a Istanbul i negoziatori russi e ucraini per tre giorni.",
        "mentions": [("Recep Tayyip Erdoğan", "recep-tayyip-erdogan", "person"), ("Istanbul", "istanbul", "place")],
        "times": [],
        "quantities": [("tre giorni", "duration", "day", 3.0, 3.0)],
    },
    {
        "published": "2025-10-15",
        "text": "La polizia di Catania ha denunciato 15 tifosi dopo gli scontri di domenica. "
        "Il questore Giuseppe Bellassai ha parlato di «una violenza inaccettabile».",
        "mentions": [("Catania", "catania", "place"), ("Giuseppe Bellassai", "giuseppe-bellassai", "person")],
        "times": [("domenica", "2025-10-12")],
        "quantities": [("15 tifosi", "count", "item", 15.0, 15.0)],
    },
    {
        "published": "2025-10-15",
        "text": "L'amministratore delegato di Eni Claudio Descalzi ha firmato un accordo con la compagnia algerina Sonatrach.",
        "mentions": [("Eni", "eni", "org"), ("Claudio Descalzi", "claudio-descalzi", "person"), ("Sonatrach", "sonatrach", "org")],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-10-15",
        "text": "Secondo il New York Times, il segretario di Stato Marco Rubio ha incontrato il ministro degli Esteri cinese Wang Yi a Kuala Lumpur.",
        "mentions": [("New York Times", "new-york-times", "media"), ("Marco Rubio", "marco-rubio", "person"),
                     ("Wang Yi", "wang-yi", "person"), ("Kuala Lumpur", "kuala-lumpur", "place")],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-10-15",
        "text": "Charles Leclerc ha chiuso al secondo posto il Gran Premio di Singapore, a 5 secondi da Max Verstappen.",
        "mentions": [("Charles Leclerc", "charles-leclerc", "person"), ("Gran Premio di Singapore", "gran-premio-di-singapore", "other"),
                     ("Max Verstappen", "max-verstappen", "person")],
        "times": [],
        "quantities": [("5 secondi", "duration", "minute", 5 / 60, 5 / 60)],
    },
    {
        "published": "2025-10-15",
        "text": "Gli sbarchi in Italia sono diminuiti del 30% nei primi nove mesi dell'anno, ha spiegato il ministro dell'Interno Matteo Piantedosi.",
        "mentions": [("Italia", "italia", "place"), ("Matteo Piantedosi", "matteo-piantedosi", "person")],
        "times": [],
        "quantities": [("30%", "percent", "percent", 30.0, 30.0), ("nove mesi", "duration", "month", 9.0, 9.0)],
    },
    {
        "published": "2025-10-15",
        "text": "La leader dell'opposizione venezuelana María Corina Machado ha ricevuto il premio Nobel per la pace venerdì 10 ottobre.",
        "mentions": [("María Corina Machado", "maria-corina-machado", "person"), ("Nobel", "nobel", "other")],
        "times": [("venerdì 10 ottobre", "2025-10-10")],
        "quantities": [],
    },
    {
        "published": "2025-10-15",
        "text": "Un incendio ha distrutto 400 ettari di bosco vicino a Olbia. I vigili del fuoco hanno lavorato per oltre dieci ore.",
        "mentions": [("Olbia", "olbia", "place")],
        "times": [],
        "quantities": [("400 ettari", "other", "hectare", 400.0, 400.0), ("oltre dieci ore", "duration", "minute", 600.0, None)],
    },
    {
        "published": "2025-10-15",
        "text": "Il Tribunale di Napoli ha condannato a 8 anni l'ex assessore Antonio Russo. La sentenza è arrivata ieri.",
        "mentions": [("Tribunale di Napoli", "tribunale-di-napoli", "org"), ("Antonio Russo", "antonio-russo", "person")],
        "times": [("ieri", "2025-10-14")],
        "quantities": [("8 anni", "duration", "year", 8.0, 8.0)],
    },
    # --- sentences where nothing should be found ---
    {
        "published": "2025-05-08",
        "text": "Secondo gli esperti, il Paese ha bisogno di riforme. Intanto il Governo tace e la Procura indaga.",
        "mentions": [],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-05-08",
        "text": "Dopo la pausa estiva, Il Consiglio tornerà a riunirsi. Nessuna decisione è attesa a breve.",
        "mentions": [],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-05-08",
        "text": "Mercoledì sera la situazione era tranquilla. Poi, all'improvviso, è scoppiata la lite.",
        "mentions": [],
        "times": [("Mercoledì sera", "2025-05-07")],
        "quantities": [],
    },
    {
        "published": "2025-02-19",
        "text": "Il leader russo Vladimir Putin e Donald Trump si incontreranno in Arabia Saudita. "
        "Putin e Trump non si vedono da sei anni.",
        "mentions": [
            ("Vladimir Putin", "vladimir-putin", "person"),
            ("Donald Trump", "donald-trump", "person"),
            ("Arabia Saudita", "arabia-saudita", "place"),
            ("Putin", "vladimir-putin", "person"),
            ("Trump", "donald-trump", "person"),
        ],
        "times": [],
        "quantities": [("sei anni", "duration", "year", 6.0, 6.0)],
    },
    {
        "published": "2025-02-19",
        "text": "La ministra degli Esteri tedesca Annalena Baerbock e il collega spagnolo José Manuel Albares "
        "hanno firmato una dichiarazione comune a Madrid.",
        "mentions": [
            ("Annalena Baerbock", "annalena-baerbock", "person"),
            ("José Manuel Albares", "jose-manuel-albares", "person"),
            ("Madrid", "madrid", "place"),
        ],
        "times": [],
        "quantities": [],
    },
    {
        "published": "2025-02-19",
        "text": "Il New York Times ha pubblicato la lettera del senatore Bernie Sanders due giorni fa.",
        "mentions": [
            ("New York Times", "new-york-times", "media"),
            ("Bernie Sanders", "bernie-sanders", "person"),
        ],
        "times": [("due giorni fa", "2025-02-17")],
        "quantities": [],
    },
]
