"""Facts: one row per value a sentence states about its event, with what the value measures.

A figure is a measure, not a noun. Each fact carries:

- `measure`: the counted noun folded onto its family ("fedeli", "manifestanti", "presenti" are
  `persone`) *and* its role in the sentence: a venue's `capienza` ("la piazza può contenere
  40mila persone"), `visitatori` (people filing past, "hanno reso omaggio"), the `durata` of the
  event ("la telefonata è durata due ore" → `durata telefonata`), the time of day of a moment
  (`ora inizio`, `ora scossa`), a predicate's polarity (`polarità realistico`), a quotation;
- `scope`: `per_parte` ("175 prigionieri per parte") or `totale`, or the place counted (`piazza`,
  `percorso`, `interno`, `esterno`, `tv`), or one place of several (`sottoinsieme`: "solo a
  Camerino"); null when unstated;
- `modality`: `forecast` ("attesi", "previsti", "fino a", future tense), `provisional` ("al
  momento", "finora", "alle 9", "in mattinata"), `hypothetical` ("se", "qualora", "potrebbe"),
  else `outcome`;
- `attributed_to`: who gives the value ("secondo la Questura", "per gli organizzatori", "fonti
  del Cremlino", a quotation's speaker, "X ha detto che…"): an entity id when a certain mention
  names it, else the phrase folded ("questura", "organizzatori"); null when the outlet states it.
  A bare surname the article names in full only in its byline (its author) is no certain speaker.
- `is_comparable`: false when the role could not be established (a duration with nothing saying
  it is the event's: "la prima telefonata in tre anni"): listed, never compared.

Facts are built for every sentence; only those of an event (event_id not null) are compared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import polars as pl

from pipeline.agreement.events import EVENT_KIND_LABELS, STATEMENT_KIND
from pipeline.common import stable_id
from pipeline.nlp.text import (ANTONYMS, NEGATORS, is_italian_word, lemma_of, one_slip_apart, predicate_lemmas,
                               predicate_signs, shorten, slips_read, stem)
from pipeline.schemas import TABLES

FACT_COLUMNS = TABLES["facts"].polars_schema
# Internal columns carried beside the contract ones for matching and conflicts (never written).
AUX_COLUMNS = {"sid": pl.UInt32, "subject": pl.List(pl.Utf8), "is_certain_speaker": pl.Boolean,
               "is_relative": pl.Boolean, "object": pl.Utf8, "place": pl.Utf8}

# The order of a fact's values in build_facts' rows.
ROW_COLUMNS = ("fact_id", "event_id", "doc_id", "sent_id", "source_id", "kind", "measure", "scope", "modality",
               "attributed_to", "unit", "qualifier", "low", "high", "value", "is_comparable", "sid", "subject",
               "is_certain_speaker", "is_relative", "object", "place")
assert sorted(ROW_COLUMNS) == sorted({**FACT_COLUMNS, **AUX_COLUMNS})

_EPOCH = dt.date(1970, 1, 1)

# --- what a count counts ------------------------------------------------------------------------
NOUN_FAMILIES = {
    **dict.fromkeys(("persone", "persona", "fedeli", "fedele", "partecipanti", "manifestanti", "pellegrini",
                     "presenti", "spettatori", "cittadini", "gente", "tifosi", "dimostranti", "lavoratori in piazza"),
                    "persone"),
    **dict.fromkeys(("visitatori", "visitatore"), "visitatori"),
    **dict.fromkeys(("prigionieri", "prigioniero", "detenuti", "detenuto"), "prigionieri"),
    **dict.fromkeys(("morti", "morto", "vittime", "vittima", "deceduti", "decessi"), "morti"),
    **dict.fromkeys(("feriti", "ferito"), "feriti"),
    **dict.fromkeys(("sfollati", "sfollato", "evacuati", "evacuato"), "sfollati"),
    **dict.fromkeys(("dispersi", "disperso"), "dispersi"),
    **dict.fromkeys(("magnitudo", "magnitudo locale", "magnitudo richter"), "magnitudo"),
    "magnitudo momento": "magnitudo momento",
    **dict.fromkeys(("delegazioni", "delegazione"), "delegazioni"),
    **dict.fromkeys(("astenuti", "astenuto", "voti", "voto"), "voti"),
    **dict.fromkeys(("droni", "drone"), "droni"),
    **dict.fromkeys(("missili", "missile"), "missili"),
}
# Words that make one counted noun two measures: "voti favorevoli" and "voti contrari", "droni
# lanciati" and "droni abbattuti", "feriti gravi" and "feriti lievi". A count with no noun takes
# the side alone ("Contro il testo hanno votato in 121" → voti contrari).
SIDE_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\bfavorevol\w*|\ba favore\b|\bsì\b"), "favorevoli"),
    (re.compile(r"\bcontrar[io]\w*|\bcontro\b"), "contrari"),
    (re.compile(r"\bastenut\w*|\bastension\w*|\bsi sono astenut\w*"), "astenuti"),
    (re.compile(r"\babbattut\w*|\bintercettat\w*|\bneutralizzat\w*"), "abbattuti"),
    (re.compile(r"\blanciat\w*"), "lanciati"),
    (re.compile(r"\bgrav[ei]\b"), "gravi"),
    (re.compile(r"\bliev[ei]\b"), "lievi"),
)
# the side words read through one slip of typing ("conrari", "asetnuti")
SIDE_WORDS = frozenset(("favorevoli", "favorevole", "contrari", "contrario", "astenuti", "astenuto"))
SIDE_SLIP_RE = re.compile(r"(?<![a-zàèéìòù])[acf][a-zàèéìòù]{6,10}(?![a-zàèéìòù])")
SIDED_NOUNS = {"voti": "voti", "voto": "voti", "drone": "droni", "droni": "droni", "feriti": "feriti", "missile": "missili",
               "missili": "missili", "astenuti": "voti"}
# A toll restates its count even after a definite article: "i tre feriti sono stati dimessi" says
# there were three (unlike "i due Paesi", which points back at two already named).
TOLL_NOUNS = frozenset({"morti", "feriti", "sfollati", "dispersi"})
# counted nouns that are places: such a count is made over places, never in one
PLACE_NOUNS = frozenset({"città", "comune", "comuni", "piazza", "piazze", "paese", "paesi", "regione", "regioni",
                         "provincia", "province", "capoluogo", "capoluoghi", "località", "sede", "sedi", "centro", "centri"})
PEOPLE_RE = re.compile(r"\b(?:persone|fedeli|partecipanti|manifestanti|pellegrini|presenti|spettatori|cittadini)\b")
CROWD_KINDS = frozenset({"funeral", "mass", "ceremony", "demonstration", "strike", "match", "concert"})
NOT_A_FACT_AFTER_RE = re.compile(r"\s*(?:di lettura|per leggere)\b")
CAPACITY_RE = re.compile(
    r"\b(?:capienza|(?:può|possono|potrà|potranno) (?:contenere|ospitare|accogliere)|ne contiene|contiene al massimo|"
    r"posti a sedere|posti|capace di (?:contenere|ospitare|accogliere)|fino a un massimo)\b")
VISIT_RE = re.compile(r"\b(?:visitator\w*|reso omaggio|rendere omaggio|sfilat[ie]|in fila|visitat[aoie]|sono passat[ie])\b")
SCOPE_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\bper (?:ciascuna|ogni) parte\b|\bper parte\b|\bciascun[oa]\b|\ba testa\b|"
                r"\bda (?:ogni|ciascuna|entrambe le) part[ei]\b|\bper lato\b|\bper schieramento\b"), "per_parte"),
    (re.compile(r"\bin totale\b|\bcomplessivament\w*|\bin tutto\b|\btotal[ei]\b|\bcomplessiv[aoi]\b|"
                r"\btra (?:la )?piazza e\b"), "totale"),
    # the whole country's figure of a day of protest is not the count of one city's march
    (re.compile(r"\bin tutt[ao] (?:l['’]\s?)?(?:italia|il paese|la penisola|il territorio nazionale)\b|"
                r"\b(?:di|in) tutte le (?:piazze|città)\b|\b(?:a|su) livello nazionale\b|\bnazionale\b|"
                r"\btutt[oa] (?:il paese|la penisola|l['’]\s?italia|italia)\b"), "nazionale"),
    # more people somewhere else than the count that came before ("altre 11mila davanti ai maxischermi")
    (re.compile(r"\baltr[ei]\s*$|\bmaxischerm\w*"), "aggiuntivo"),
    # one place of several ("solo a Camerino un centinaio di sfollati", "solo da noi"): a part of the
    # whole count, not the whole ("solo in 200", the value right after: only 200, no place)
    (re.compile(r"\b(?:solo|soltanto|solamente)\s+(?:a|ad|in|da|nel|nella|nello|nei|negli|nelle|al|alla|allo|ai|agli|"
                r"alle|dal|dalla|dai|dalle|per|tra|fra)\b(?!\s*(?:\d|$))|\bnel solo\b|\bnella sola\b"), "sottoinsieme"),
    (re.compile(r"\bin piazza\b|\bsul sagrato\b|\bnella piazza\b"), "piazza"),
    (re.compile(r"\blungo (?:il percorso|le strade|via|il corteo|il tragitto)\b|\bper le strade\b|\bnelle strade\b"), "percorso"),
    (re.compile(r"\ball['’]interno\b|\bdentro\b|\bin basilica\b|\bin chiesa\b|\bnella (?:basilica|cattedrale|chiesa)\b"), "interno"),
    (re.compile(r"\ball['’]esterno\b|\bfuori\b(?! casa)"), "esterno"),  # "fuori casa": displaced, not outside
    (re.compile(r"\bin diretta\b|\bin tv\b|\bdavanti alla tv\b|\bin streaming\b|telespettator\w*"), "tv"),
)
MODALITY_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\b(?:qualora|nel caso (?:in cui|che)|se (?:fosse|fossero|dovesse|dovessero|venisse|venissero)|"
                r"ipotesi|ipotizzat\w+)\b"), "hypothetical"),
    (re.compile(r"\b(?:attes[aeio]|previst[aeio]|prevision[ei]|si attend\w+|si prevede\w*|si stima che|stimat[aeio] in arrivo|"
                r"dovrebbero|dovrebbe|potrebbero|potrebbe|fino a|saranno|sarà|arriveranno|parteciperanno|attendono|aspettano|"
                r"si aspett\w+|vigilia|domani|dopodomani)\b"), "forecast"),
    (re.compile(r"\b(?:al momento(?! del| della| dell| in cui)|finora|fino ad ora|fino a questo momento|per ora|"
                r"ancora in corso|provvisori[aoe]|parzial[ei]|primo bilancio|bilancio provvisorio)\b"), "provisional"),
)
# The cue words of a figure's role and modality, as typed with one slip ("si attedevano", "sono
# atese", "la cpienza", "può cnotenere"): an unknown word one edit (or one swap of neighbours) from
# a cue, with the cue's first letter, reads as the cue. Real words are never rewritten ("vigili" is
# not "vigilia", "sapienza" not "capienza"). A misread slip can only make a figure a forecast or a
# capacity, which is compared with less, never with more.
CUE_WORDS = frozenset((
    "attesi", "attese", "atteso", "attesa", "previsti", "previste", "previsto", "prevista", "previsioni",
    "previsione", "attendevano", "attendeva", "attendono", "attende", "aspettavano", "aspettava", "aspettano",
    "vigilia", "capienza", "contenere", "ospitare", "accogliere", "provvisorio", "provvisoria", "provvisori",
    "provvisorie", "parziale", "parziali",
))
_CUES_BY_LETTER: dict[str, tuple[str, ...]] = defaultdict(tuple)
for _cue in sorted(CUE_WORDS):
    _CUES_BY_LETTER[_cue[0]] += (_cue,)
MIN_SLIP_WORD = 5
# only the words that could be a cue's slip: its first letter, at most one letter longer
_SLIP_CANDIDATE_RE = re.compile(
    r"(?<![a-zàèéìòù])[" + "".join(sorted(_CUES_BY_LETTER)) + r"][a-zàèéìòù]{%d,%d}(?![a-zàèéìòù])"
    % (MIN_SLIP_WORD - 1, max(map(len, CUE_WORDS))))


@lru_cache(maxsize=100_000)
def _cue_for(word: str, real_words_too: bool = False) -> str | None:
    if len(word) < MIN_SLIP_WORD or word in CUE_WORDS:
        return None
    near = [c for c in _CUES_BY_LETTER.get(word[0], ()) if one_slip_apart(word, c)]
    if not near or (not real_words_too and _is_known_word(word)):
        return None
    return near[0]


# A verb right before a figure, with at most its qualifier between ("si attenevano 30mila", "si
# attenevano circa 30mila"): a real word one slip from an expecting verb there is read as that verb,
# since the real one ("attenersi a…") never takes a bare count.
VERB_BEFORE_FIGURE_RE = re.compile(r"([a-zàèéìòù]{7,})\s+(?:(?:circa|oltre|più di|quasi|almeno|ben)\s+)?$")
VERB_BEFORE_FIGURE_REACH = 32  # characters: the verb, its qualifier and spaces
EXPECTING_VERBS = frozenset(("attendevano", "attendeva", "attendono", "aspettavano", "aspettava", "aspettano"))


def _is_known_word(word: str) -> bool:
    return is_italian_word(word)


def with_cue_slips_read(text: str) -> str:
    """Lower-cased `text` with each one-slip cue word read as the cue (see CUE_WORDS)."""
    return _SLIP_CANDIDATE_RE.sub(lambda m: _cue_for(m.group(0)) or m.group(0), text)


def before_figure_read(before: str) -> str:
    """The lower-cased text before a figure with its cue slips read, and a real word one slip
    from an expecting verb right before the figure read as that verb (VERB_BEFORE_FIGURE_RE)."""
    at = max(0, len(before) - VERB_BEFORE_FIGURE_REACH)
    m = VERB_BEFORE_FIGURE_RE.search(before, at)
    if m:
        cue = _cue_for(m.group(1), real_words_too=True)
        if cue in EXPECTING_VERBS:
            before = before[:m.start(1)] + cue + before[m.end(1):]
    return with_cue_slips_read(before)


# A count taken at a time of day, or "già" so many, is a snapshot of a crowd still growing.
SNAPSHOT_RE = re.compile(r"\b(?:alle (?:ore )?\d{1,2}(?:[.:]\d{2})?|già|in mattinata|nelle prime ore|a metà (?:giornata|mattina|pomeriggio))\b")
FUTURE_VERB_RE = re.compile(r"\b\w{3,}(?:erà|irà|arà|eranno|iranno|aranno)\b")
DURATION_CUE_RE = re.compile(
    r"\b(?:durat[aoie]|dura|durerà|durare|durante|protratt[aoie]|trascors[aoie]|trascorso|andat[aoie] avanti|"
    r"parlat[oi]|conversazione|colloquio|telefonata|al telefono|riunione|incontro|vertice|sciopero|udienza)\b")
# "si è concluso dopo 55 minuti", "la telefonata è terminata dopo due ore": the whole event's length
ENDED_AFTER_RE = re.compile(r"\b(?:conclus|terminat|finit|chius|sciolt)[aoie]\s+dopo\s+(?:circa |quasi |più di |oltre |poco più di )?$")
NOT_EVENT_DURATION_RE = re.compile(r"\b(?:in|da|dopo|entro|tra|fra|ogni|oltre|prima di)\s+(?:circa |quasi |più di |oltre )?$")
EVENT_DURATION_UNITS = ("minute", "day")

# What a percentage is a share of: a rate noun before it in its clause ("l'adesione allo sciopero è
# stata del 70%") or the population after it ("il 6,2% dei dipendenti"). A percentage with neither
# is listed, never compared: 15% of what? (A change, "in rialzo del 3%", is not a level either.)
RATE_NOUN_RE = re.compile(
    r"\b(adesion[ei]|affluenz[ae]|partecipazion[ei]|astension[ei]|astensionismo|disoccupazion[ei]|inflazion[ei]|"
    r"consens[oi]|gradimento|share|fiducia|preferenz[ae]|tass[oi]|quot[ae]|maggioranz[ae])\b")
PERCENT_OF_RE = re.compile(r"\s*(?:dei|degli|delle|della|del|dell['’])\s*([a-zàèéìòù]{3,})")


# A verb of striking or joining before a share makes it the adhesion, whoever it is a share of ("ha
# aderito il 60% dei lavoratori", "si è fermato il 40% del personale").
ADHESION_VERB_RE = re.compile(r"\b(?:aderit\w|aderisc\w*|hanno aderito|scioperat\w|(?:si è|si sono) fermat\w|"
                              r"incrociat\w le braccia|astenut\w dal lavoro)")
# A sector: the share of a part ("nella pubblica amministrazione ha scioperato il 6%") is neither
# above nor below the whole's.
SECTOR_RE = re.compile(r"\b(?:nella pubblica amministrazione|nel pubblico impiego|nel settore (?:\w+)|"
                       r"nell['’]industria|nei trasporti|nelle scuole|nella scuola|nella sanità|negli ospedali|"
                       r"nelle fabbriche|tra i (?:docenti|medici|metalmeccanici|dipendenti pubblici|ferrovieri))\b")


def percent_measure(before: str, after: str) -> str | None:
    """What a percentage measures (lower-cased context either side), or None."""
    clause = re.split(r"[.;:!?]", before)[-1]
    if ADHESION_VERB_RE.search(clause):
        return "adesione"
    m = PERCENT_OF_RE.match(after)
    if m and m.group(1) not in ("totale", "tutto"):
        return fold_noun(m.group(1))
    found = list(RATE_NOUN_RE.finditer(clause))
    return lemma_of(found[-1].group(1)) if found else None


# --- who gives a value --------------------------------------------------------------------------
AUTHORITY = (r"questura|prefettura|polizia|forze dell['’]ordine|carabinieri|vigili del fuoco|protezione civile|"
             r"organizzatori|organizzazione|promotori|sindacat[oi]|aziende|imprese|datori di lavoro|ospedal[ei]|vaticano|sala stampa vaticana|santa sede|comune|"
             r"regione|ministero(?: \w+)?|governo|cremlino|casa bianca|pentagono|esercito|autorità(?: \w+)?|"
             r"fonti (?:del|della|dello|di) \w+(?: \w+)?|agenzia \w+|stampa \w+")
# "secondo", "secondo quanto riferito dalla", "secondo quanto ha dichiarato il"
_ACCORDING_TO = (r"secondo(?: quanto (?:(?:ha|hanno) )?(?:riferit\w|dichiarat\w|comunicat\w|reso not\w|annunciat\w|"
                 r"affermat\w|stimat\w|detto|riferisce|riferiscono|dichiara|comunica)"
                 r"(?: d(?:a|al|alla|allo|all['’]|ai|agli|alle))?)?")
ATTRIBUTION_RE = re.compile(
    r"\b(?:" + _ACCORDING_TO + r"|stando a|per|a detta d(?:i|ella|el|egli|ei))\s+(?:(?:la|il|lo|i|gli|le|l['’])\s*)?(?P<who>"
    + AUTHORITY + r")\b"
    r"|\b(?P<who2>fonti (?:del|della|dello|di) \w+(?: \w+)?)\b"
    # a name: capitalised, whatever the flags ("secondo quanto riferito" names no one)
    r"|\b" + _ACCORDING_TO + r" (?:(?:la|il|lo|i|gli|le|l['’])\s*)?(?P<who3>(?-i:[A-ZÀ-Ý])[\w’'-]+(?: (?-i:[A-ZÀ-Ý])[\w’'-]+)?)"
    r"|\b(?P<who4>" + AUTHORITY + r")\s+(?:(?:ne|lo|la|le|li)\s+)?(?:ha|hanno)\s+(?:\w+\s+)?(?:detto|riferit\w|"
    r"comunicat\w|annunciat\w|reso not\w|stimat\w|contat\w|fatto sapere|parlato di|indicat\w|confermat\w)\b"
    # the same in the present tense: "il governo parla invece di un'adesione del 15%", "la Questura stima 30mila"
    r"|\b(?P<who5>" + AUTHORITY + r")\s+(?:(?:ne|lo|la|le|li)\s+)?(?:\w+\s+)?(?:parla|parlano|dice|dicono|stima|stimano|"
    r"conta|contano|riferisce|riferiscono|comunica|comunicano|annuncia|annunciano|indica|indicano|calcola|calcolano|"
    r"rivendica|rivendicano|sostiene|sostengono)\b"
    # a speech verb before them: "l'adesione, dicono i sindacati, è del 70%"
    r"|\b(?:dice|dicono|stima|stimano|riferisce|riferiscono|comunica|comunicano|annuncia|annunciano|rivendica|"
    r"rivendicano|sostiene|sostengono|fa sapere|fanno sapere)\s+(?:(?:la|il|lo|i|gli|le|l['’])\s*)?(?P<who6>" + AUTHORITY + r")\b",
    re.IGNORECASE)
AUTHORITY_FOLD = {"polizia": "questura", "forze dell'ordine": "questura", "forze dell’ordine": "questura",
                  "organizzazione": "organizzatori", "promotori": "organizzatori", "sala stampa vaticana": "vaticano",
                  "santa sede": "vaticano", "sindacato": "sindacati"}
SPEECH_VERB_RE = re.compile(
    r"[^.;:«»\"“”]{0,50}?\b(?:ha|hanno|aveva|avevano|avrebbe|avrebbero)\s+(?:(?:poi|anche|inoltre|invece|più volte|ancora)\s+)?"
    r"(?:detto|dichiarato|affermato|sottolineato|spiegato|ribadito|riferito|precisato|aggiunto|avvertito|osservato|"
    r"scritto|annunciato|definito|assicurato|sostenuto|chiarito|ammesso|negato|confermato|smentito|risposto|"
    r"ricordato|rivelato|garantito|promesso|minacciato)\b")
# A speech verb right before a relative day: the day of the statement ("ha detto ieri", "ha dato
# ieri una versione").
STATEMENT_DAY_RE = re.compile(
    r"\b(?:ha|hanno|aveva|avevano|avrebbe|avrebbero)\s+(?:detto|dichiarato|affermato|sottolineato|spiegato|ribadito|"
    r"riferito|precisato|aggiunto|avvertito|osservato|scritto|annunciato|definito|assicurato|sostenuto|chiarito|"
    r"ammesso|negato|confermato|smentito|risposto|ricordato|rivelato|garantito|promesso|minacciato|dato|fornito|"
    r"diffuso|reso noto|commentato|raccontato)\s+$", re.IGNORECASE)
# Mention-finding methods that are guesses or stand-ins for a name: never a certain speaker.
UNCERTAIN_METHODS = frozenset({"nickname", "surname_in_corpus", "pronoun", "epithet", "coreference", "role"})

# --- time of day --------------------------------------------------------------------------------
_HOUR_WORDS = {w: i for i, w in enumerate(
    "zero una due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
    "sedici diciassette diciotto diciannove venti ventuno ventidue ventitré".split())}
_HOUR_WORDS["l'una"] = 1
TIME_RE = re.compile(
    r"\b(?P<prep>poco dopo (?:le|l['’])|poco prima (?:delle|dell['’])|intorno (?:alle|all['’])|attorno (?:alle|all['’])|"
    r"verso (?:le|l['’])|alle|all['’]|dalle|dall['’])\s*(?:ore\s+)?"
    r"(?P<h>\d{1,2}|una|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|"
    r"sedici|diciassette|diciotto|diciannove|venti|ventuno|ventidue|ventitré)"
    r"(?:[.:](?P<m>\d{2})|\s+e\s+(?P<mw>mezza|un quarto|trenta|quindici|quarantacinque|tre quarti))?\b",
    re.IGNORECASE)
_MINUTE_WORDS = {"mezza": 30, "un quarto": 15, "trenta": 30, "quindici": 15, "quarantacinque": 45, "tre quarti": 45}
MOMENT_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\b(?:inizi\w*|cominci\w*|avviat\w*|al via|apertura|aperto)\b"), "inizio"),
    (re.compile(r"\b(?:termin\w*|finit\w*|finir\w*|conclu\w*|chius\w*|fine)\b"), "fine"),
    (re.compile(r"\b(?:arrivat\w*|arrivo|giunt\w*)\b"), "arrivo"),
    (re.compile(r"\b(?:partit\w*|partenza)\b"), "partenza"),
    (re.compile(r"\b(?:scoss\w*|sisma|terremoto|avvertit\w*)\b"), "scossa"),
    (re.compile(r"\b(?:esplosion\w*|boato|crollo|schianto|incidente)\b"), "accaduto"),
)


@dataclass(frozen=True)
class FactParams:
    """params.yaml `aggregate.facts`."""

    context_chars: int = 60   # characters before a value searched for its role, scope, modality and attribution
    max_event_duration_days: float = 10.0  # longer durations are periods ("in tre anni"), not an event's duration


def fold_noun(noun: str | None) -> str | None:
    """The family a counted noun belongs to ("fedeli" -> persone), read through one slip of
    typing ("persoone", "sfolati") when the word is no Italian word; else its lemma."""
    if not noun:
        return None
    low = noun.lower()
    return NOUN_FAMILIES.get(low) or NOUN_FAMILIES.get(lemma_of(low)) or _family_of_slip(low) or lemma_of(low)


@lru_cache(maxsize=100_000)
def _family_of_slip(word: str) -> str | None:
    if len(word) < MIN_SLIP_WORD or " " in word or _is_known_word(word):
        return None
    families = {family for noun, family in NOUN_FAMILIES.items() if " " not in noun and one_slip_apart(word, noun)}
    return families.pop() if len(families) == 1 else None


@lru_cache(maxsize=1 << 16)  # pure, and one story's wire copies repeat their sentences
def _side(before: str, after: str, noun: str | None) -> str | None:
    """The side word qualifying a count: right after it first, else the nearest before it."""
    if noun and noun.lower() in ("astenuti", "astenuto"):
        return "astenuti"
    for rx, name in SIDE_RULES:
        if rx.match(after.lstrip(" ,")) or rx.search(after[: after.find(" ", len(noun or "") + 2) if noun else 12]):
            return name
    best = None
    for rx, name in SIDE_RULES:
        for m in rx.finditer(before):
            if best is None or m.end() > best[0]:
                best = (m.end(), name)
    return best[1] if best else None


BARE_COUNT_RE = re.compile(
    r"(?<![\w.,])(?P<q>(?:circa|oltre|più di|quasi|almeno|ben)\s+)?"
    r"(?P<n>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?\s?mila|\d+(?:,\d+)?\s?milion[ei]|[a-zàèéìòù]*mila|mille)(?![\w])"
    r"(?=\s*(?:[.,;:!?)»”\"]|$|(?:hanno|erano|sono|in|tra|per|secondo|le|i|gli|a|al|alla|nel|nella|davanti|dentro|"
    r"fuori|lungo|sul|sulla|delle quali|dei quali|all['’])\b))",
    re.IGNORECASE)
_QUALIFIER_WORDS = {"circa": "about", "quasi": "about", "oltre": "more_than", "più di": "more_than", "almeno": "at_least",
                    "ben": "exact"}


SENTENCE_OPENERS = ".!?:;–—-«\"“(["


def is_name_number(text: str, start: int) -> bool:
    """Is the number word at `start` part of a name: capitalised inside its sentence ("corso dei
    Mille", "piazza dei Cinquecento"), not opening it ("Tremila persone")?"""
    head = text[:start].rstrip()
    return text[start:start + 1].isupper() and bool(head) and head[-1] not in SENTENCE_OPENERS


def bare_people_counts(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, int, float, float | None, str, str]]:
    """(start, end, low, high, qualifier, surface) of the numbers of people a sentence gives without
    a noun ("erano 35mila", "in duecentocinquantamila", "oltre 200mila delle quali") that no
    quantities row covers."""
    from pipeline.nlp.italian import number_word_value, parse_number

    out = []
    for m in BARE_COUNT_RE.finditer(text):
        start, end = m.span()
        if any(s < end and start < e for s, e in covered) or is_name_number(text, m.start("n")):
            continue
        n = m.group("n").lower().replace(" ", "")
        if "milion" in n:
            base = parse_number(n.split("milion")[0])
            value = None if base is None else base * 1_000_000
        elif n.endswith("mila") and n[0].isdigit():
            base = parse_number(n[:-4])
            value = None if base is None else base * 1000
        elif n[0].isdigit():
            value = parse_number(n)
        else:
            value = number_word_value(n)
        if value is None or value < 50:
            continue
        qual = _QUALIFIER_WORDS.get((m.group("q") or "").strip().lower(), "exact")
        high = None if qual in ("more_than", "at_least") else float(value)
        out.append((start, end, float(value), high, qual, m.group(0)))
    return out


# A definite article (or an articulated preposition) right before a small count: "i due Paesi", "tra
# le due delegazioni", "dei tre leader" point back at things already named; they measure nothing.
SET_PHRASE_BEFORE_RE = re.compile(
    r"(?:^|\s)(?:i|le|gli|dei|delle|degli|ai|alle|agli|nei|nelle|negli|sui|sulle|sugli|coi|tra i|tra le|tra gli|"
    r"fra i|fra le|fra gli|con i|con le|con gli|per i|per le|per gli|entrambi i|entrambe le|tutti e|tutte e)\s*$")
MAX_SET_PHRASE = 10


def is_set_phrase(before: str, low: float | None, high: float | None) -> bool:
    """Is a count a set phrase ("i due Paesi") rather than a figure? A small exact count right
    after a definite article."""
    return (low is not None and low == high and low <= MAX_SET_PHRASE
            and bool(SET_PHRASE_BEFORE_RE.search(before)))


def _first(rules, text: str) -> str | None:
    for rx, name in rules:
        if rx.search(text):
            return name
    return None


NATIONAL_RE = next(rx for rx, name in SCOPE_RULES if name == "nazionale")
NATIONAL_WINDOW = 100  # a country-wide scope opens its sentence: "Nelle piazze di tutto il Paese, secondo…, 300mila"


@lru_cache(maxsize=1 << 16)  # pure, and one story's wire copies repeat their sentences
def _scope_of(text: str, start: int, end: int, before: str, after: str) -> str | None:
    scope = _nearest_scope(before, after)
    if scope is None and NATIONAL_RE.search(text[max(0, start - NATIONAL_WINDOW):start].lower()):
        return "nazionale"
    return scope


# any scope rule's words: most values have none either side, and one search tells
ANY_SCOPE_RE = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in SCOPE_RULES))


def _nearest_scope(before: str, after: str) -> str | None:
    if ANY_SCOPE_RE.search(after) is None and ANY_SCOPE_RE.search(before) is None:
        return None
    best = None
    for rx, name in SCOPE_RULES:
        for m in rx.finditer(after):
            if best is None or m.start() < best[0]:
                best = (m.start(), name)
        for m in rx.finditer(before):
            d = len(before) - m.end()
            if best is None or d < best[0]:
                best = (d, name)
    return best[1] if best else None


SNAPSHOT_OVERRIDES = (None, "piazza")  # scopes a snapshot's hour takes the place of (the event's own square)
SNAPSHOT_TIME_RE = re.compile(r"\balle (?:ore )?(\d{1,2})(?:[.:](\d{2}))?\b")


def snapshot_scope(before: str, after: str) -> str | None:
    """The hour of a snapshot count ("alle 9 erano già 3mila" → "ore 9.00"), nearest the value."""
    found = list(SNAPSHOT_TIME_RE.finditer(before)) or list(SNAPSHOT_TIME_RE.finditer(after[:40]))
    if not found:
        return None
    m = found[-1] if SNAPSHOT_TIME_RE.search(before) else found[0]
    return f"ore {int(m.group(1))}.{m.group(2) or '00'}"


@lru_cache(maxsize=1 << 16)  # pure, and one story's wire copies repeat their sentences
def is_capacity(window: str) -> bool:
    """Does a figure's lower-cased context say it is a venue's capacity ("può contenere")?"""
    return CAPACITY_RE.search(with_cue_slips_read(window)) is not None


@lru_cache(maxsize=1 << 16)  # pure, and one story's wire copies repeat their sentences
def modality_of(before: str, after: str, is_count: bool = False) -> str:
    window = before_figure_read(before) + " " + with_cue_slips_read(after[:25])
    found = _first(MODALITY_RULES, window)
    if found is None and FUTURE_VERB_RE.search(window):
        found = "forecast"
    if found is None and is_count and SNAPSHOT_RE.search(window):
        found = "provisional"
    return found or "outcome"


CLAUSE_BREAK_RE = re.compile(r"[,;:.()«»\"“”–]")


def attribution_in(text: str, entity_spans: list[tuple[int, int, str]]) -> tuple[str | None, int]:
    """Who the sentence says gives its values: (entity id or folded phrase, offset) or (None, -1)."""
    m = ATTRIBUTION_RE.search(text)
    if not m:
        return None, -1
    name = next(g for g in ("who", "who2", "who3", "who4", "who5", "who6") if m.group(g))
    start, end = m.span(name)
    for s, e, eid in entity_spans:
        if s < end and start < e:
            return eid, start
    phrase = re.sub(r"\s+", " ", m.group(name).lower()).strip()
    return AUTHORITY_FOLD.get(phrase, phrase), start


# The person is the subject of the speech verb: right before it, or with an apposition between
# commas or a few words ("Hegseth, capo del Pentagono, ha detto"; "Hegseth ieri ha detto"), never
# "e" (a coordinated subject speaks with others) nor a comma ending a clause of its own.
SUBJECT_SPEECH_RE = re.compile(
    r"(?:\s*,[^,.;:«»\"“”]{1,60},)?(?:\s+(?!e\b|ed\b)[^\s,.;:«»\"“”]+){0,3}?\s+(?:ha|aveva|avrebbe)"
    + SPEECH_VERB_RE.pattern.split(r"(?:ha|hanno|aveva|avevano|avrebbe|avrebbero)", 1)[1])
COORDINATED_RE = re.compile(r"\b(?:e|ed|con|tra|fra)\s+$", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)  # one story's wire copies repeat their sentences
def _said_in(text: str, spans: tuple[tuple[int, int, str], ...],
             person_spans: tuple[tuple[int, int, str], ...]) -> tuple[tuple[str | None, int], str | None]:
    """(attribution_in, sentence_speaker) of a sentence with its entity and person spans."""
    return attribution_in(text, list(spans)), sentence_speaker(text, list(person_spans))


def sentence_speaker(text: str, person_spans: list[tuple[int, int, str]]) -> str | None:
    """The certain person a sentence reports as saying something ("Hegseth ha dichiarato che…"):
    the subject of the speech verb alone, not one of several ("Trump e Putin hanno detto") nor a
    person inside a statement whose speaker follows it ("Lui e Putin hanno un buon rapporto, ha
    spiegato l'ex tycoon")."""
    for s, e, eid in person_spans:
        if SUBJECT_SPEECH_RE.match(text, e) and not COORDINATED_RE.search(text, 0, s):
            return eid
    return None


def time_of_day(text: str) -> list[tuple[int, int, float, float, str, str]]:
    """(start, end, low, high, qualifier, surface) of each time of day, in minutes after midnight."""
    out = []
    for m in TIME_RE.finditer(text):
        h = m.group("h").lower()
        hour = int(h) if h.isdigit() else _HOUR_WORDS.get(h)
        if hour is None or hour > 24:
            continue
        minute = int(m.group("m")) if m.group("m") else _MINUTE_WORDS.get((m.group("mw") or "").lower(), 0)
        if minute >= 60:
            continue
        t = hour * 60 + minute
        prep = m.group("prep").lower()
        if prep.startswith("poco dopo"):
            low, high, q = t, t + 30, "range"
        elif prep.startswith("poco prima"):
            low, high, q = t - 30, t, "range"
        elif prep.startswith(("intorno", "attorno", "verso")):
            low, high, q = t - 15, t + 15, "range"
        else:
            low, high, q = t, t, "exact"
        out.append((m.start(), m.end(), float(low), float(high), q, m.group(0)))
    return out


# A line that only names the article's author: "Marta Ricci (Agenzia Nord)", "di Marta Ricci".
BYLINE_RE = re.compile(r"^\s*(?:(?:di|a cura di)\s+)?(?-i:[A-ZÀ-Ý])[\w'’-]+(?:\s+(?-i:[A-ZÀ-Ý])[\w'’-]+){1,2}"
                       r"\s*(?:\([^)]*\)|[-–—|,]\s*[^.!?]{0,40})?\s*$", re.IGNORECASE)
SURNAME_METHOD = "surname_in_doc"


def byline_only_surnames(certain: pl.DataFrame, text_of: dict, sid_of: dict) -> pl.DataFrame:
    """The bare-surname mentions (doc_id, entity_id, sent_id, start) whose person the article names
    in full only in its byline: the author, not the "Ricci" quoted in the text, who may be another
    person of that surname."""
    surname = certain.filter(pl.col("method") == SURNAME_METHOD)
    key = ["doc_id", "entity_id", "sent_id", "start"]
    if surname.height == 0:
        return pl.DataFrame(schema={c: certain.schema[c] for c in key})
    full = certain.filter(pl.col("method") != SURNAME_METHOD).join(surname.select("doc_id", "entity_id").unique(),
                                                                    on=["doc_id", "entity_id"], how="semi")
    is_byline = [BYLINE_RE.match(text_of.get(sid_of.get(sent), "") or "") is not None for sent in full["sent_id"].to_list()]
    in_text = (full.with_columns(pl.Series("is_byline", is_byline, dtype=pl.Boolean))
               .filter(~pl.col("is_byline")).select("doc_id", "entity_id").unique())
    named_in_byline = full.select("doc_id", "entity_id").unique()
    return (surname.join(named_in_byline, on=["doc_id", "entity_id"], how="semi")
            .join(in_text, on=["doc_id", "entity_id"], how="anti").select(key))


def build_facts(
    sentences: pl.DataFrame,
    quantities: pl.DataFrame,
    quotes: pl.DataFrame,
    mentions: pl.DataFrame,
    entity_types: dict[str, str],
    event_kinds: dict[str, str],
    tokens: pl.DataFrame,
    params: FactParams = FactParams(),
    event_dates: list[tuple[int, int, str, "dt.date", bool]] = (),
) -> pl.DataFrame:
    """The facts of every sentence (module docstring), contract columns plus AUX_COLUMNS.

    `sentences`: sid, sent_id, doc_id, source_id, text, event_id (nullable), sorted by sid;
    `event_kinds`: event_id -> kind; `tokens`: the token table (nlp.text.token_table) of at least
    the sentences of events; `event_dates`: (sid, offset, surface, day, is_relative) of the date
    each article gives its event (events.Frame.date_at).
    """
    text_of = dict(zip(sentences["sid"].to_list(), sentences["text"].to_list()))
    meta = {sid: (sent, doc, src, ev) for sid, sent, doc, src, ev in zip(
        *(sentences[c].to_list() for c in ("sid", "sent_id", "doc_id", "source_id", "event_id")))}
    sid_of = {v[0]: k for k, v in meta.items()}
    certain = mentions.filter(~pl.col("is_uncertain") & ~pl.col("method").is_in(list(UNCERTAIN_METHODS)))
    certain = certain.join(byline_only_surnames(certain, text_of, sid_of), on=["doc_id", "entity_id", "sent_id", "start"],
                           how="anti")
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    person_spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    place_spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for sent_id, start, end, eid in zip(*(certain[c].to_list() for c in ("sent_id", "start", "end", "entity_id"))):
        sid = sid_of.get(sent_id)
        if sid is None:
            continue
        etype = entity_types.get(eid)
        if etype in ("org", "person", "media"):
            spans[sid].append((start, end, eid))
        if etype == "person":
            person_spans[sid].append((start, end, eid))
        if etype == "place":
            place_spans[sid].append((start, end, eid))
    quote_spans: dict[int, list[tuple[int, int, str | None, bool]]] = defaultdict(list)
    for sent_id, qtext, speaker in zip(*(quotes[c].to_list() for c in ("sent_id", "text", "speaker_entity_id"))):
        sid = sid_of.get(sent_id)
        if sid is None or not qtext:
            continue
        text = text_of[sid] or ""
        at = text.find(qtext)
        if at < 0:
            continue
        sure = speaker is not None and any(
            eid == speaker and (e <= at or s >= at + len(qtext)) for s, e, eid in spans.get(sid, ()))
        quote_spans[sid].append((at, at + len(qtext), speaker, sure))

    rows: list[tuple] = []  # a tuple per fact (ROW_COLUMNS), made columns once at the end: no dict per fact

    def speaker_at(sid: int, offset: int) -> tuple[str | None, bool]:
        for qs, qe, speaker, sure in quote_spans.get(sid, ()):
            if qs <= offset < qe:
                return (speaker if sure else None), sure
        return None, False

    # who a sentence says gives its values, read once per sentence (most state several values)
    said: dict[int, tuple[tuple[str | None, int], str | None]] = {}

    def sentence_attribution(sid: int) -> tuple[tuple[str | None, int], str | None]:
        """(attribution_in, sentence_speaker) of a sentence."""
        got = said.get(sid)
        if got is None:
            got = said[sid] = _said_in(text_of[sid] or "", tuple(spans.get(sid, ())), tuple(person_spans.get(sid, ())))
        return got

    def attribution(sid: int, offset: int) -> str | None:
        quoted, sure = speaker_at(sid, offset)
        if quoted:
            return quoted
        (who, _), speaker = sentence_attribution(sid)
        return who or speaker

    def nearest_place(sid: int, start: int, end: int) -> str | None:
        """The place named nearest a figure in its sentence, in its own clause first: where it was
        counted ("A Milano hanno sfilato in 20mila" is Milan's count, never Rome's)."""
        text = text_of[sid] or ""
        found = []
        for s, e, eid in place_spans.get(sid, ()):
            lo, hi = (e, start) if e <= start else (end, s)
            found.append((bool(CLAUSE_BREAK_RE.search(text, lo, max(lo, hi))), abs(hi - lo), eid))
        return min(found)[2] if found else None

    def clause_attribution(sid: int, offset: int) -> str | None:
        """Who gives a day or a time: a quotation's speaker, or an attribution in its own clause
        ("Mercoledì 11 marzo i due hanno parlato, durato due ore secondo la Casa Bianca": the
        White House gives the duration, not the day)."""
        quoted, sure = speaker_at(sid, offset)
        if quoted:
            return quoted
        text = text_of[sid] or ""
        (who, at), _ = sentence_attribution(sid)
        if who is None or CLAUSE_BREAK_RE.search(text, min(at, offset), max(at, offset)):
            return None
        return who

    def add(sid: int, kind: str, measure: str, scope, modality: str, attributed, unit, qualifier, low, high,
            value: str, comparable: bool, subject=(), certain_speaker=False, relative=False, place=None) -> None:
        sent_id, doc, src, ev = meta[sid]
        rows.append((  # in ROW_COLUMNS order
            stable_id("fact", sent_id, kind, measure, value, low, high), ev, doc, sent_id, src, kind,
            measure, scope, modality, attributed, unit, qualifier, low, high, value,
            comparable, sid, sorted(subject), certain_speaker, relative, None, place,
        ))

    # quantities
    # a quantity whose bounds are reversed ("scesi da 300 a 200") is a change, not a value: not a fact
    q = quantities.select("sent_id", "surface", "start", "end", "kind", "unit", "noun", "low", "high", "qualifier") \
        .filter(~(pl.col("low") > pl.col("high")).fill_null(False))
    for sent_id, surface, start, end, qkind, unit, noun, low, high, qual in zip(*(q[c].to_list() for c in q.columns)):
        sid = sid_of.get(sent_id)
        if sid is None:
            continue
        text = text_of[sid] or ""
        before = text[max(0, start - params.context_chars):start].lower()
        after = text[end:end + 60].lower()
        ev = meta[sid][3]
        kind_word = EVENT_KIND_LABELS.get(event_kinds.get(ev, ""), "evento")
        comparable = True
        scope = _scope_of(text, start, end, before, after)
        if qkind != "count" and scope not in ("per_parte", "totale"):
            scope = None  # a place says where people were counted, not where a duration or a share was
        if NOT_A_FACT_AFTER_RE.match(after):
            continue  # page residue: "4 min di lettura"
        if qkind == "count" and is_set_phrase(before, low, high) and fold_noun(noun) not in TOLL_NOUNS:
            continue  # "i due Paesi", "le tre parti": the ones already named, not a measurement
        if qkind == "duration":
            ended_after = ENDED_AFTER_RE.search(before)
            per_event = unit in EVENT_DURATION_UNITS and (ended_after or not NOT_EVENT_DURATION_RE.search(before)) \
                and not re.match(r"\s*(?:fa|prima|dopo|di guerra|di conflitto)\b", after)
            cue = ended_after or DURATION_CUE_RE.search(before[-45:] + " " + after[:30])
            if unit == "day" and low is not None and low > params.max_event_duration_days:
                per_event = False
            comparable = per_event and bool(cue)
            measure = f"durata {kind_word}" if ev and event_kinds.get(ev) != STATEMENT_KIND else "durata"
            if not comparable:
                measure = f"periodo ({unit})"
        else:
            noun_key = fold_noun(noun)
            side = _side(slips_read(before[-35:], SIDE_SLIP_RE, SIDE_WORDS), slips_read(after[:25], SIDE_SLIP_RE, SIDE_WORDS),
                         noun)
            if side and (noun_key is None or noun_key in SIDED_NOUNS.values()):
                noun_key = f"{noun_key or 'voti'} {side}" if side in ("favorevoli", "contrari", "astenuti") or noun_key else None
            if noun_key is None and qkind == "count":
                # a count without its noun: the people the sentence names, or, at an event that
                # gathers a crowd, a large number is people ("In piazza erano 35mila")
                if PEOPLE_RE.search(text.lower()) or (event_kinds.get(ev) in CROWD_KINDS and (low or 0) >= 50):
                    noun_key = "persone"
            if qkind == "percent":
                noun_key = percent_measure(before, after)
                if scope == "totale":
                    scope = None  # "l'adesione complessiva" is what an unqualified adesione means
                sector = SECTOR_RE.search(text[:start].lower())
                if sector:
                    scope = "settore " + sector.group(0).split()[-1]
            base = (f"{noun_key} (%)" if qkind == "percent" and noun_key else noun_key) or f"{qkind} ({unit})"
            if is_capacity(before + " " + after[:30]):
                measure = f"capienza {base}"
                scope = None if scope in ("piazza", "interno", "esterno", "percorso") else scope
            elif noun_key == "persone" and VISIT_RE.search(before + " " + after):
                measure = "visitatori"
            else:
                measure = base
            comparable = (noun_key is not None or qkind == "money") and noun_key != "voti"
            # (votes with no side read, "i voti conrari sono stati 93": which votes is the measure)
            if noun and noun.isupper() and len(noun) > 1:
                comparable = False  # "2 MAG": a dateline, not a count
        modality = "outcome" if measure.startswith("capienza") else modality_of(before, after, qkind == "count")
        if modality == "provisional" and scope in SNAPSHOT_OVERRIDES:
            # the 9 o'clock count and the noon count are two measures; "alle 10 in piazza c'erano
            # già mille persone" is the 10 o'clock count, wherever the sentence places it
            scope = snapshot_scope(before, after) or scope
        # a count of places is counted over them, never in one ("in 43 città, da Torino a Palermo")
        placed = qkind == "percent" or (qkind == "count" and noun_key not in PLACE_NOUNS)
        add(sid, "quantity", measure, scope, modality, attribution(sid, start), unit, qual, low, high, surface,
            comparable, place=nearest_place(sid, start, end) if placed else None)

    # counts of people the quantities table leaves without a row ("In piazza erano 35mila")
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for sent_id, start, end in zip(*(q[c].to_list() for c in ("sent_id", "start", "end"))):
        if sent_id in sid_of:
            covered[sid_of[sent_id]].append((start, end))
    crowd = sentences.filter(pl.col("event_id").is_in([e for e, k in event_kinds.items() if k in CROWD_KINDS])
                             & pl.col("text").str.contains(r"(?i)\d|mila\b|mille\b"))
    for sid, text in zip(crowd["sid"].to_list(), crowd["text"].to_list()):
        for start, end, low, high, qual, surface in bare_people_counts(text or "", covered.get(sid, [])):
            before = text[max(0, start - params.context_chars):start].lower()
            after = text[end:end + 60].lower()
            scope = _scope_of(text, start, end, before, after)
            measure = "capienza persone" if is_capacity(before + " " + after[:30]) else (
                "visitatori" if VISIT_RE.search(before + " " + after) else "persone")
            if measure.startswith("capienza"):
                scope = None if scope in ("piazza", "interno", "esterno", "percorso") else scope
            modality = "outcome" if measure.startswith("capienza") else modality_of(before, after, True)
            if modality == "provisional" and scope in SNAPSHOT_OVERRIDES:
                scope = snapshot_scope(before, after) or scope
            add(sid, "quantity", measure, scope, modality, attribution(sid, start), "item", qual, low, high, surface, True,
                place=nearest_place(sid, start, end))

    # the date each article gives its event; a relative day right after a speech verb dates the
    # statement, not the event ("Ushakov ha dato ieri una versione diversa della telefonata"):
    # listed, never compared
    for sid, at, surface, day, relative in event_dates:
        if meta[sid][3] is None:
            continue
        kind_word = EVENT_KIND_LABELS.get(event_kinds.get(meta[sid][3], ""), "evento")
        ordinal = float((day - _EPOCH).days)
        of_statement = relative and STATEMENT_DAY_RE.search(text_of[sid][:at]) is not None
        add(sid, "date", f"data {kind_word}", None, "outcome", clause_attribution(sid, at), "day", "exact", ordinal, ordinal,
            surface, not of_statement, relative=relative)

    # times of day, in sentences of events that state no count (a time beside a count is the
    # snapshot's time, which makes the count provisional)
    counted = set(quantities.filter(pl.col("kind") == "count")["sent_id"].to_list())
    candidates = sentences.filter(pl.col("event_id").is_not_null() & pl.col("text").str.contains(r"(?i)\b(?:alle|all['’]|dalle|verso le|poco dopo le|poco prima delle)\s*\w"))
    for sid, sent_id, text in zip(*(candidates[c].to_list() for c in ("sid", "sent_id", "text"))):
        if sent_id in counted:
            continue
        for start, end, low, high, qual, surface in time_of_day(text or ""):
            window = (text[max(0, start - 80):start] + " " + text[end:end + 60]).lower()
            moment = _first(MOMENT_RULES, window)
            kind_word = EVENT_KIND_LABELS.get(event_kinds.get(meta[sid][3], ""), "evento")
            measure = f"ora {moment or kind_word}"
            modality = modality_of(text[max(0, start - 60):start].lower(), text[end:end + 30].lower())
            if modality == "provisional":
                modality = "outcome"  # "alle 5.30" is the time itself, not a snapshot of it
            add(sid, "time", measure, None, modality, clause_attribution(sid, start), "minute_of_day", qual, low, high,
                surface, moment is not None)

    # quotations and their speakers
    for sid, items in sorted(quote_spans.items()):
        text = text_of[sid] or ""
        for qs, qe, speaker, sure in items:
            quoted = text[qs:qe]
            add(sid, "quote", "citazione", None, "outcome", speaker if sure else None, None, None, None, None,
                shorten(quoted, 200), sure and meta[sid][3] is not None, subject=_quote_terms(tokens, sid, quoted),
                certain_speaker=sure)

    # polarity of predicates (module nlp.text.predicate_signs), only where it can be compared:
    # a predicate some sentence of the event negates or flips, and its affirmations in the event
    rows.extend(tuple(row[name] for name in ROW_COLUMNS) for row in _polarity_rows(sentences, tokens, meta, attribution))
    schema = {**FACT_COLUMNS, **AUX_COLUMNS}
    columns = dict(zip(ROW_COLUMNS, map(list, zip(*rows)))) if rows else {name: [] for name in ROW_COLUMNS}
    del rows
    subjects = columns.pop("subject")
    df = pl.DataFrame(columns, schema={name: dtype for name, dtype in schema.items() if name != "subject"})
    df = df.with_columns(_string_lists(subjects).alias("subject")).select(list(schema))
    return df.unique("fact_id", keep="first", maintain_order=True)


def _string_lists(lists: list[list[str]]) -> pl.Series:
    """A List(Utf8) column of the given lists, built from their concatenation (polars makes a
    Series of each list passed one by one: seconds for the facts of 100,000 files)."""
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    rows = pl.DataFrame({"row": np.repeat(np.arange(len(lists), dtype=np.int64), lengths),
                         "item": pl.Series(list(chain.from_iterable(lists)), dtype=pl.Utf8)})
    grouped = rows.group_by("row", maintain_order=True).agg("item")
    every = pl.DataFrame({"row": np.arange(len(lists), dtype=np.int64)})
    return every.join(grouped, on="row", how="left", maintain_order="left")["item"].fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))


def _quote_terms(tokens: pl.DataFrame, sid: int, quoted: str) -> frozenset[str]:
    return _terms_of_words(quoted)


@lru_cache(maxsize=2**16)
def _terms_of_words(quoted: str) -> frozenset[str]:
    """The matching terms of a quotation's words (one quotation is often repeated: wire copies)."""
    from pipeline.nlp.text import matching_terms, tokenize
    return matching_terms(tokenize(quoted))


SUBJECT_WINDOW = 7  # content tokens either side of a predicate, within its clause, that say what it is about


def _polarity_rows(sentences: pl.DataFrame, tokens: pl.DataFrame, meta: dict, attribution) -> list[dict]:
    in_event = sentences.filter(pl.col("event_id").is_not_null()).select("sid", "event_id")
    if in_event.height == 0 or tokens.height == 0:
        return []
    # only the tokens of sentences of events with a negator or an antonym somewhere, and then of
    # the sentences naming one of the predicates those negate
    negating = tokens.filter(pl.col("word").is_in(list(NEGATORS)) | pl.col("lemma").is_in(list(ANTONYMS)))
    neg_sids = negating.join(in_event, on="sid", how="semi")["sid"].unique()
    events_with_negation = in_event.filter(pl.col("sid").is_in(neg_sids.implode()))["event_id"].unique()
    in_event = in_event.filter(pl.col("event_id").is_in(events_with_negation.implode()))
    tok = tokens.join(in_event, on="sid", how="inner")
    seqs = _sequences(tok.filter(pl.col("sid").is_in(neg_sids.implode())))
    event_of = dict(zip(in_event["sid"].to_list(), in_event["event_id"].to_list()))
    wanted: set[tuple[str, str]] = set()
    signs_of: dict[int, dict] = {}
    for sid, seq in seqs.items():
        signs = predicate_signs(seq)
        signs_of[sid] = signs
        for base, (sign, i) in signs.items():
            if sign < 0 or seq[i][1] in ANTONYMS:
                wanted.add((event_of[sid], base))
    if not wanted:
        return []
    bases = {b for _, b in wanted}
    lemmas = predicate_lemmas(bases, tok["lemma"].unique().to_list())
    hits = tok.filter(pl.col("lemma").is_in(list(lemmas)))
    more = [s for s in hits["sid"].unique().to_list() if s not in signs_of]
    for sid, seq in _sequences(tok.filter(pl.col("sid").is_in(more))).items():
        signs_of[sid] = predicate_signs(seq)
        seqs[sid] = seq
    out = []
    for sid in sorted(signs_of):
        seq = seqs[sid]
        for base, (sign, i) in sorted(signs_of[sid].items()):
            if (event_of[sid], base) not in wanted:
                continue
            sent_id, doc, src, ev = meta[sid]
            value = ("non " if sign < 0 else "") + base
            out.append({
                "fact_id": stable_id("fact", sent_id, "polarity", base, sign), "event_id": ev, "doc_id": doc,
                "sent_id": sent_id, "source_id": src, "kind": "polarity", "measure": f"polarità {base}",
                "scope": None, "modality": "outcome", "attributed_to": attribution(sid, -1), "unit": "truth",
                "qualifier": "exact", "low": float(sign), "high": float(sign), "value": value, "is_comparable": True,
                "sid": sid, "subject": sorted(_subject_terms(seq, i, base)), "is_certain_speaker": False,
                "is_relative": False, "object": _object_term(seq, i), "place": None,
            })
    return out


def _sequences(tok: pl.DataFrame) -> dict[int, list[tuple[str, str, bool, str | None]]]:
    out: dict[int, list] = {}
    for sid, word, lemma, brk, term in zip(*(tok[c].to_list() for c in ("sid", "word", "lemma", "is_break", "term"))):
        out.setdefault(sid, []).append((word, lemma or "", brk, term))
    return out


# Nouns that only announce what a statement is about: "la questione degli aiuti" is about the
# aid, "il tema della tregua" about the truce. Neither an object nor a subject word.
LIGHT_NOUNS = frozenset(stem(w) for w in ("questione", "tema", "argomento", "capitolo", "nodo", "dossier", "punto",
                                           "aspetto", "materia"))


def _object_term(seq, i: int) -> str | None:
    """The first content term after the predicate at seq[i], within its clause, past a light
    noun: what it is about ("hanno concordato [uno scambio]", "non hanno concordato di
    [rivedersi]", "non è stata discussa la questione degli [aiuti]")."""
    j = i + 1
    while j < len(seq) and not seq[j][2]:
        if seq[j][3] and seq[j][3] != seq[i][3] and seq[j][3] not in LIGHT_NOUNS:
            return seq[j][3]
        j += 1
    return None


def _subject_terms(seq, i: int, base: str) -> frozenset[str]:
    """Content terms around the predicate at seq[i], within its clause but across a "che"."""
    terms = []
    j = i - 1
    while j >= 0 and len(terms) < SUBJECT_WINDOW and not seq[j][2]:
        if seq[j][3]:
            terms.append(seq[j][3])
        j -= 1
    j, after = i + 1, 0
    while j < len(seq) and after < SUBJECT_WINDOW and not seq[j][2]:
        if seq[j][3]:
            terms.append(seq[j][3])
            after += 1
        j += 1
    own, root = seq[i][3], stem(base)
    # the predicate's own forms are not its subject ("presente", "presenti"); a word that only
    # begins like it is ("presidente")
    return frozenset(t for t in terms if t != own and not t.startswith(root) and t not in LIGHT_NOUNS)
