"""Italian word-level analysis shared by event finding, claim matching and conflict typing.

Everything here is plain data or a pure function of a sentence's text: tokens with offsets,
lemmas (simplemma, offline, cached), content lemmas without stopwords, matching terms (what
claim matching compares: intensifiers dropped, news paraphrases and stemmed endings folded),
and polarity (which predicates a sentence affirms or negates, with antonyms folded onto their
base word so that "irrealistico" and "non realistico" read the same and "non era irrealistica"
reads as "realistico").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import polars as pl
import simplemma

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
SENTENCE_OPENERS = frozenset('.!?:;«"“(\'‘–—-')
# Clause boundaries end a negation's scope ("non ha parlato, ma ha confermato") and bound the
# clause of an event word. A closing quotation mark ends a clause, an opening one does not:
# Italian news often quotes the very predicate a negation governs ('non è "realistico"',
# 'non sarà «facile»'). A straight double quote closes when it follows a word or a stop
# ('ha detto "no",') and opens otherwise.
CLAUSE_BREAK_RE = re.compile(r'[.;:!?,()\[\]»”]|(?<=[^\s(\[«“"])"')

# Function words and the most frequent verbs of reporting: they carry no fact of their own and
# every news sentence has them, so they would make unrelated sentences look alike.
STOPWORDS: frozenset[str] = frozenset(
    """
    a ad al allo alla ai agli alle all anche ancora altro altri altra altre assai avere
    c che chi ci cio ciò come con contro cosi così cui d da dal dallo dalla dai dagli dalle dall
    degli dei del dell della delle dello di dopo dove dunque e ed egli ella esso essa essi esse
    essere fa fare fino fra gia già gli ha hanno ho i il in infatti inoltre io l la le lei li lo
    loro lui ma me mentre mi mio mia miei mie molto molti molta molte ne nei nel nell nella nelle
    nello negli noi nostro nostra nostri nostre o od ogni oppure per perche perché pero però piu più
    poi poiche poiché prima proprio qua quale quali qualche quando quanto quasi quella quelle
    quelli quello questa queste questi questo qui se sé sei si sia siamo sono sta stato stata stati
    state stesso stessa stessi stesse su sua sue sui sul sull sulla sulle sullo suo suoi
    tale tali te ti tra tu tua tuo tuoi tue tutto tutti tutta tutte un una uno vi voi vostro
    vostra lo gli c' nonche nonché cioè ovvero ossia tuttavia quindi allora invece circa oltre
    secondo detto dire affermare dichiarare sottolineare spiegare aggiungere riferire riportare scrivere
    potere dovere volere stare avere essere venire andare fare sembrare rendere
    """.split()
)

# Negators open a scope over the next few content words; "né" counts ("né confermare né smentire").
NEGATORS: frozenset[str] = frozenset({"non", "né", "ne'", "mai", "nessuno", "nessuna", "nessun", "nemmeno", "neanche", "neppure", "senza"})
NEGATION_SCOPE = 3  # content words a negator reaches ("non è [risultato] [realistico]")

# Antonyms folded onto a base lemma: lemma -> base (the sign flips). General Italian, not seed words.
ANTONYMS: dict[str, str] = {
    "irrealistico": "realistico",
    "irrealizzabile": "realizzabile",
    "impossibile": "possibile",
    "improbabile": "probabile",
    "inaccettabile": "accettabile",
    "illegale": "legale",
    "illegittimo": "legittimo",
    "ingiusto": "giusto",
    "inutile": "utile",
    "inefficace": "efficace",
    "insufficiente": "sufficiente",
    "improduttivo": "produttivo",
    "infruttuoso": "fruttuoso",
    "inevitabile": "evitabile",
    "impraticabile": "praticabile",
    "falso": "vero",
    "smentire": "confermare",
    "negare": "confermare",
    "respingere": "accettare",
    "rifiutare": "accettare",
    "rompere": "mantenere",
    "fallire": "riuscire",
    "negativo": "positivo",
    "sconfitta": "vittoria",
    "perdere": "vincere",
    "vietare": "permettere",
    "annullare": "confermare",
}
# Predicates that state the same thing, folded onto one base (the sign is kept): "non è stata
# discussa la questione" denies what "hanno parlato della questione" affirms. simplemma reads
# "discussa" as the adjective "discusso".
PREDICATE_SYNONYMS: dict[str, str] = {"discutere": "parlare", "discusso": "parlare"}
# Determiners and articulated prepositions: the word right after one is a noun (or a noun's
# adjective), never the predicate of a statement ("non era presente [il presidente]"). "lo",
# "la", "le", "gli" and "l'" are left out: they are also clitic pronouns before a verb ("non lo
# accetteremo").
DETERMINERS: frozenset[str] = frozenset(
    """il i un uno una del dello della dei degli delle dell al allo alla ai agli alle all
    dal dallo dalla dai dagli dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui sugli
    sulle sull col coi questo questa questi queste quel quello quella quei quegli quelle""".split())
# Words whose polarity is worth comparing even without an antonym: the targets of negation.
# A negated noun ("nessuna decisione") is not a statement's polarity; verbs and adjectives are.
_PREDICATE_SUFFIXES = ("are", "ere", "ire", "ico", "ica", "ale", "ile", "ivo", "oso", "ante", "ente", "ibile", "abile")


class Token(NamedTuple):
    text: str  # lower-cased surface
    lemma: str
    start: int
    end: int
    is_name: bool = False  # capitalised inside the sentence, or an acronym: kept as written


@lru_cache(maxsize=500_000)
def lemma_of(word: str) -> str:
    """Italian lemma of a lower-cased word (simplemma; falls back to the word itself)."""
    try:
        return simplemma.lemmatize(word, lang="it")
    except Exception:  # a library failure on one odd token must not stop the run
        return word


def tokenize(text: str) -> list[Token]:
    """Word tokens with character offsets; elisions split ("dell'Ucraina" -> dell, ucraina).

    Names are not lemmatized: a capitalised word inside the sentence or an acronym keeps its
    lower-cased form (simplemma would read "NATO" as a form of "nascere").
    """
    out = []
    for m in TOKEN_RE.finditer(text):
        raw = m.group(0)
        word = raw.lower()
        i = m.start() - 1
        while i >= 0 and text[i].isspace():  # the last character before the word, spaces skipped
            i -= 1
        # an apostrophe after a letter is an elision ("dell'Ucraina"), not an opening quote
        elided = i >= 1 and text[i] in "'’" and text[i - 1].isalpha()
        opens_sentence = i < 0 or (text[i] in SENTENCE_OPENERS and not elided)
        is_name = len(raw) > 1 and raw[0].isupper() and (raw.isupper() or not opens_sentence)
        out.append(Token(word, word if is_name else lemma_of(word), m.start(), m.end(), is_name))
    return out


def is_content(token: Token) -> bool:
    """A token that can carry a fact: not a stopword, not a bare number, at least 3 letters."""
    return (
        len(token.text) >= 3
        and not token.text.isdigit()
        and token.text not in STOPWORDS
        and token.lemma not in STOPWORDS
        and token.text not in NEGATORS  # polarity is compared separately, not as a shared word
    )


def content_lemmas(tokens: list[Token]) -> frozenset[str]:
    """Distinct content lemmas, antonyms folded to their base (so paraphrases under negation still match)."""
    return frozenset(ANTONYMS.get(t.lemma, t.lemma) for t in tokens if is_content(t))


# --- matching terms: what claim matching compares -------------------------------------------------
#
# Two reports of one fact rarely share their exact lemmas: "una lunga e altamente produttiva
# telefonata" and "colloqui lunghi ed estremamente produttivi"; "visitando le rispettive nazioni"
# and "la visita reciproca delle nazioni". A *matching term* reads a content word through three
# general steps, so such paraphrases meet while different facts keep different words:
# 1. degree adverbs are dropped (they say how much, not what);
# 2. a small lexicon of news paraphrases maps each word of a group onto the group's first word
#    (by surface or lemma: simplemma reads "subito" as "subire");
# 3. light suffix stemming makes a verb and its nominalisation meet (visitare/visita,
#    negoziare/negoziato, liberare/liberazione, sanzionare/sanzione). Names are never stemmed.

# Degree adverbs and intensifiers: "altamente produttiva" and "estremamente produttivi" agree.
INTENSIFIERS: frozenset[str] = frozenset({
    "altamente", "estremamente", "molto", "assai", "davvero", "particolarmente", "decisamente",
    "veramente", "piuttosto", "alquanto", "tanto", "troppo", "parecchio", "assolutamente",
    "profondamente", "enormemente", "straordinariamente", "incredibilmente", "oltremodo",
})

# General Italian news paraphrases (never words picked from one article): each group's words read
# as its first word. Groups are narrow on purpose: words that also name other things ("parlare",
# "fine", "trattare", "militare") stay out.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("telefonata", "chiamata", "videochiamata", "colloquio", "conversazione", "telefono", "telefonico",
     "telefonicamente", "telefonare"),
    ("incontro", "incontrare", "vertice", "summit", "riunione", "riunire"),
    ("concordare", "accettare", "convenire", "acconsentire", "pattuire"),
    ("iniziare", "inizio", "avviare", "avvio", "cominciare"),
    ("negoziato", "negoziare", "negoziazione", "trattativa"),
    ("accordo", "intesa", "patto"),
    ("guerra", "conflitto"),
    ("immediatamente", "subito", "immediato"),
    ("reciproco", "rispettivo", "reciprocamente", "vicendevole"),
    ("nazione", "paese"),
    ("truppa", "soldato"),
    ("dispiegare", "schierare", "inviare", "mandare"),
    ("produttivo", "proficuo", "fruttuoso", "costruttivo"),
    ("liberare", "liberazione", "rilasciare", "rilascio", "scarcerare"),
    ("prigioniero", "detenuto"),
    ("aiuto", "aiutare", "assistenza", "sostegno", "sostenere", "supporto", "supportare"),
    ("discutere", "discussione"),
    ("attacco", "attaccare", "bombardamento", "bombardare", "raid", "offensiva"),
    ("tregua", "cessate"),
    ("durare", "durata", "protrarre"),
    ("lungo", "lungamente"),
)
SYNONYMS: dict[str, str] = {word: group[0] for group in SYNONYM_GROUPS for word in group}

# Inflectional and derivational endings, longest first; a stem keeps at least MIN_STEM letters.
STEM_SUFFIXES = (
    "azione", "izione", "zione", "mento", "menti", "are", "ere", "ire",
    "ato", "ata", "ati", "ate", "ito", "ita", "uto", "uta", "a", "o", "e", "i",
)
MIN_STEM = 4


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word without its first ending (of STEM_SUFFIXES) that leaves MIN_STEM letters:
    "visitare" and "visita" -> "visit", "liberazione" and "liberare" -> "liber"."""
    for suffix in STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def matching_term(token: Token) -> str | None:
    """The term a content token contributes to claim matching, or None (not content, an intensifier)."""
    if not is_content(token) or token.text in INTENSIFIERS or token.lemma in INTENSIFIERS:
        return None
    if token.is_name:
        return token.lemma
    base = ANTONYMS.get(token.lemma, token.lemma)
    return stem(SYNONYMS.get(token.text) or SYNONYMS.get(base) or base)


def matching_terms(tokens: list[Token]) -> frozenset[str]:
    """Distinct matching terms of a sentence (see the comment above INTENSIFIERS)."""
    return frozenset(t for t in map(matching_term, tokens) if t is not None)


def noun_modifier(text: str, tokens: list[Token], noun: str | None, start: int, end: int) -> str | None:
    """The matching term of the word right after a quantity's noun, when it qualifies it.

    "24 voti favorevoli" and "8 voti contrari" count the same noun but measure different things;
    so do "30 droni abbattuti" and "30 droni lanciati". The noun is looked for inside the
    quantity's surface (text[start:end]), else nearest to it ("I voti favorevoli sono stati
    23"); the next word qualifies it when nothing but spaces separates them and it is content
    (not a preposition, article or verb of being: "30 droni nel corso della notte" has none).
    """
    if not noun:
        return None
    noun = noun.lower()
    at = [i for i, t in enumerate(tokens) if t.text == noun]
    if not at:
        return None
    inside = [i for i in at if start <= tokens[i].start < end]
    i = inside[-1] if inside else min(at, key=lambda k: (abs(tokens[k].start - start), k))
    if i + 1 >= len(tokens):
        return None
    nxt = tokens[i + 1]
    if text[tokens[i].end:nxt.start].strip() or nxt.text.isdigit():
        return None
    return matching_term(nxt)


def _is_predicate(lemma: str) -> bool:
    return (lemma in ANTONYMS or lemma in _ANTONYM_BASES or lemma in PREDICATE_SYNONYMS
            or lemma.endswith(_PREDICATE_SUFFIXES))


def predicate_base(lemma: str) -> str:
    """The base a predicate's polarity is kept under: antonyms and synonyms folded."""
    base = ANTONYMS.get(lemma, lemma)
    return PREDICATE_SYNONYMS.get(base, base)


_ANTONYM_BASES = frozenset(ANTONYMS.values())


def polarity(text: str, tokens: list[Token] | None = None) -> dict[str, int]:
    """Which predicates the sentence affirms (+1) or negates (-1), keyed by base lemma.

    A predicate's sign is the product of its antonym flip ("irrealistico" = -realistico) and
    every negator whose scope reaches it, so a double negative cancels ("non era irrealistica"
    = +realistico). A base that ends up with both signs in one sentence ("né confermare né
    smentire") is ambiguous there and dropped. Only predicates (verbs, adjectives, antonym-lexicon
    words) are kept, synonyms folded ("discussa" is kept under "parlare"): a negated noun, or a
    word right after an article ("non era presente il presidente": "presidente" is a noun), is not
    the statement's polarity.
    """
    tokens = tokenize(text) if tokens is None else tokens
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(text)]
    seq: list[tuple[str, str, bool]] = []
    next_break = 0
    for tok in tokens:
        if next_break < len(breaks) and breaks[next_break] < tok.start:
            seq.append(("", "", True))
            while next_break < len(breaks) and breaks[next_break] < tok.start:
                next_break += 1
        seq.append((tok.text, tok.lemma, False))
    return {base: sign for base, (sign, _) in predicate_signs(seq).items()}


def predicate_signs(seq: list[tuple]) -> dict[str, tuple[int, int]]:
    """The polarity rule of `polarity` over a token sequence of (text, lemma, is_clause_break, …):
    base predicate -> (sign, index of its token in `seq`).

    Italian negative concord: an n-word inside an open negation ("non ha *mai* confermato", "non
    c'è stato *nessun* ferito") repeats that negation, it does not cancel it. A participle after an
    auxiliary is its verb ("sono stati garantiti" -> garantire; simplemma reads "garantiti" as the
    adjective "garantito"), and "c'è / ci sono (stati)" + noun states that noun's existence
    (`EXISTENCE_PREFIX` + its lemma: "non ci sono stati disordini")."""
    signs: dict[str, set[int]] = {}
    where: dict[str, int] = {}
    pending: list[int] = []  # remaining scope (content words) of each open negator
    existential = False  # "c'è", "ci sono stati": the next noun is what exists or not
    for i, item in enumerate(seq):
        text, lemma, is_break = item[0], item[1], item[2]
        if is_break:
            pending, existential = [], False
            continue
        if text not in NEGATORS and _is_slipped_negator(text):
            text = "nessuno"  # "neessuno", "nemeno": a negator typed with one slip
        if text in NEGATORS:
            if text == "non" and i + 1 < len(seq) and seq[i + 1][0] in NOT_NEGATING_AFTER_NON:
                continue  # "non solo … ma anche", "non appena": nothing is denied
            if text in CONCORD_WORDS and pending:
                continue  # "non … mai", "non … nessun": one negation
            # "né X né Y" negates X and Y once each: a new "né" replaces the open scopes, while
            # "non" stacks ("non è irrealistico" cancels out).
            pending = [NEGATION_SCOPE] if text in ("né", "ne'") else pending + [NEGATION_SCOPE]
            continue
        if text in THERE_WORDS and i + 1 < len(seq) and not seq[i + 1][2] and seq[i + 1][0] in BE_FORMS:
            existential = True
            continue
        if existential and (text in BE_FORMS or text in EXISTENCE_DETERMINERS):
            continue
        if not _is_content_word(text, lemma) and lemma not in ANTONYMS:
            continue
        flip = -1 if lemma in ANTONYMS else 1
        negations = len(pending)
        pending = [n - 1 for n in pending if n > 1]
        if existential:
            existential = False
            if text.isalpha():
                base = _existence_base(seq, i)
                signs.setdefault(base, set()).add(-1 if negations % 2 else 1)
                where.setdefault(base, i)
            continue
        if _after_auxiliary(seq, i):
            lemma = participle_verb(lemma)
            if lemma in STOPWORDS:
                continue  # "sono dovute intervenire": the modal is no statement
        base = predicate_base(lemma)
        if not _is_predicate(lemma) or (i and not seq[i - 1][2] and seq[i - 1][0] in DETERMINERS):
            continue
        signs.setdefault(base, set()).add(flip * (-1 if negations % 2 else 1))
        where.setdefault(base, i)
    return {base: (next(iter(s)), where[base]) for base, s in signs.items() if len(s) == 1}


# "non" before these denies nothing: "non solo", "non soltanto", "non appena"
NOT_NEGATING_AFTER_NON = frozenset({"solo", "soltanto", "appena", "unicamente"})
# n-words that, after "non" (or another negator) in one clause, repeat its negation
CONCORD_WORDS = frozenset({"mai", "nessuno", "nessuna", "nessun", "nemmeno", "neanche", "neppure"})
# "c'è", "ci sono", "c'erano stati": existence of the noun that follows
THERE_WORDS = frozenset({"c", "ci"})
BE_FORMS = frozenset("è e era erano sono sarà saranno fu furono sia siano fosse fossero stato stata stati state".split())
EXISTENCE_DETERMINERS = frozenset("alcun alcuna alcuno alcuni alcune un una uno dei degli delle del della dello più".split())
EXISTENCE_PREFIX = "esserci "
# qualifiers after the noun that change what is said to exist ("feriti gravi", "scontri violenti")
EXISTENCE_QUALIFIERS = frozenset("grave gravissimo serio lieve leggero particolare significativo rilevante importante "
                                 "nuovo ulteriore grosso violento".split())
# Auxiliaries before a past participle: "è stata diffusa", "hanno garantito", "viene confermato"
AUXILIARIES = frozenset("è sono era erano sarà saranno fu furono sia siano stato stata stati state ha hanno aveva "
                        "avevano avrà avranno abbia abbiano viene vengono veniva venivano verrà verranno".split())
_PARTICIPLE_ENDINGS = ("ato", "ito", "uto", "eso", "uso", "sto", "rto", "sso", "lto", "nto")


_SLIPPABLE_NEGATORS = ("nessuno", "nessuna", "nessun", "nemmeno", "neanche", "neppure")


@lru_cache(maxsize=50_000)
def _is_slipped_negator(word: str) -> bool:
    """A long negator typed with one slip ("neessuno", "nemeno"), never a word Italian knows."""
    return (len(word) >= 6 and word.startswith("ne") and any(one_slip_apart(word, n) for n in _SLIPPABLE_NEGATORS)
            and not is_italian_word(word))


def _existence_base(seq: list[tuple], i: int) -> str:
    """The base of "c'è / ci sono" + the noun at seq[i]: the noun's lemma, with a qualifier next to
    it ("non ci sono stati feriti gravi" does not deny "ci sono stati feriti"; "gravi disordini" =
    "disordini gravi")."""
    lemma = seq[i][1]
    nxt = seq[i + 1] if i + 1 < len(seq) and not seq[i + 1][2] else None
    if lemma in EXISTENCE_QUALIFIERS and nxt is not None and nxt[0].isalpha():
        return f"{EXISTENCE_PREFIX}{participle_verb(nxt[1])} {lemma}"
    noun = participle_verb(lemma)  # "feriti" and "ferito" read alike
    return f"{EXISTENCE_PREFIX}{noun} {nxt[1]}" if nxt is not None and nxt[1] in EXISTENCE_QUALIFIERS \
        else EXISTENCE_PREFIX + noun


def _after_auxiliary(seq: list[tuple], i: int) -> bool:
    """Is token i right after an auxiliary (a negator or "mai" between them allowed)?"""
    j = i - 1
    while j >= 0 and not seq[j][2] and seq[j][0] in NEGATORS:
        j -= 1
    return j >= 0 and not seq[j][2] and seq[j][0] in AUXILIARIES


@lru_cache(maxsize=50_000)
def participle_verb(lemma: str) -> str:
    """The verb of a past participle simplemma read as an adjective ("garantito" -> "garantire",
    "diffuso" -> "diffondere"); any other lemma unchanged."""
    if not lemma.endswith(_PARTICIPLE_ENDINGS):
        return lemma
    verb = lemma_of(lemma)
    return verb if verb != lemma and verb.endswith(("are", "ere", "ire", "rre")) else lemma


def predicate_lemmas(bases: set[str] | frozenset[str], lemmas) -> set[str]:
    """The lemmas, among `lemmas`, of tokens that may state one of the predicate `bases`
    (`predicate_signs`): the base, its antonyms and synonyms, a participle of it, the noun whose
    existence it is."""
    nouns = {word for b in bases if b.startswith(EXISTENCE_PREFIX) for word in b[len(EXISTENCE_PREFIX):].split()}
    out = set()
    for lemma in lemmas:
        if not lemma:
            continue
        if (predicate_base(lemma) in bases or predicate_base(participle_verb(lemma)) in bases
                or lemma in nouns or participle_verb(lemma) in nouns):
            out.add(lemma)
    return out


def _is_content_word(text: str, lemma: str) -> bool:
    return (len(text) >= 3 and not text.isdigit() and text not in STOPWORDS and lemma not in STOPWORDS
            and text not in NEGATORS)


# --- the columnar token table: every sentence tokenized once ---------------------------------
#
# Hot paths (events, claim matching, polarity) read one table of tokens built with polars string
# kernels, not a Python object per token: word tokens and clause breaks in order, each word with
# its lemma (simplemma, computed once per distinct word) and matching term. A straight double
# quote closes a clause when it follows a word or a stop (rewritten to ” before tokenizing),
# as CLAUSE_BREAK_RE reads it.

TOKEN_OR_BREAK_PATTERN = r"[^\W_]+|[.;:!?,()\[\]»”]"
_CLOSING_STRAIGHT_QUOTE = (r'([^\s(\[«“"])"', "$1”")
TOKEN_SCHEMA = {"sid": pl.UInt32, "pos": pl.UInt32, "word": pl.Categorical, "is_name": pl.Boolean,
                "is_break": pl.Boolean, "lemma": pl.Categorical, "term": pl.Categorical}
TOKEN_CHUNK = 50_000  # sentences tokenized at a time: strings live per chunk, the table keeps codes


def token_table(texts: pl.Series, sids: pl.Series | None = None) -> pl.DataFrame:
    """One row per token of each text, in order: `sid` (the text's id, default its row number),
    `pos`, `word` (lower-cased), `is_name` (capitalised after the first token, or an acronym:
    kept unlemmatized), `is_break` (a clause break), `lemma` and `term` (text.matching_term;
    null for breaks, stopwords and intensifiers). Words, lemmas and terms are categorical (a
    code per row, each distinct string stored once), built a chunk of sentences at a time: a
    corpus's tokens are tens of millions of rows."""
    sids = pl.Series("sid", range(len(texts)), dtype=pl.UInt32) if sids is None else sids.cast(pl.UInt32).alias("sid")
    if len(texts) == 0:
        return pl.DataFrame(schema=TOKEN_SCHEMA)
    frame = pl.DataFrame({"sid": sids, "text": texts.fill_null("")})
    seen: dict[tuple[str, bool], tuple[str, str | None]] = {}
    parts = [_token_chunk(frame.slice(i, TOKEN_CHUNK), seen) for i in range(0, frame.height, TOKEN_CHUNK)]
    return pl.concat(parts).sort("sid", "pos")


def _token_chunk(frame: pl.DataFrame, seen: dict) -> pl.DataFrame:
    raw = (
        frame.select("sid", pl.col("text").str.replace_all(*_CLOSING_STRAIGHT_QUOTE).str.extract_all(TOKEN_OR_BREAK_PATTERN).alias("raw"))
        .explode("raw", empty_as_null=True)
        .drop_nulls("raw")
        .with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).over("sid").alias("pos"))
    )
    first = pl.col("raw").str.slice(0, 1)
    raw = raw.with_columns(
        pl.col("raw").str.to_lowercase().alias("word"),
        pl.col("raw").str.contains(r"^[.;:!?,()\[\]»”]$").alias("is_break"),
        ((pl.col("raw").str.len_chars() > 1) & (first != first.str.to_lowercase())
         & ((pl.col("pos") > 0) | (pl.col("raw") == pl.col("raw").str.to_uppercase()))).alias("is_name"),
    ).drop("raw")
    vocab = raw.filter(~pl.col("is_break")).select("word", "is_name").unique()
    lemmas, terms = [], []
    for w, is_name in zip(vocab["word"].to_list(), vocab["is_name"].to_list()):
        got = seen.get((w, is_name))
        if got is None:
            tok = Token(w, w if is_name else lemma_of(w), 0, 0, is_name)
            got = seen[(w, is_name)] = (tok.lemma, matching_term(tok))
        lemmas.append(got[0])
        terms.append(got[1])
    vocab = vocab.with_columns(pl.Series("lemma", lemmas, dtype=pl.Utf8), pl.Series("term", terms, dtype=pl.Utf8))
    return (
        raw.join(vocab, on=["word", "is_name"], how="left")
        .select([pl.col(c).cast(t) for c, t in TOKEN_SCHEMA.items()])
    )


@lru_cache(maxsize=1)
def token_table_unsure_chars() -> str:
    """A polars regex character class of the characters on which the token table's words (polars'
    regex and lower-casing) may differ from TOKEN_RE's words lower-cased by Python on the same text:
    a word character for one engine only (a combining mark, a superscript digit), a different
    lower case, and the capital sigma (its lower case depends on its place in the word). A text
    without them has the same words either way."""
    unsure = []
    for block in range(0, 0x110000, 0x10000):  # a plane at a time: a few MB alive, not a million strings
        chars = [chr(i) for i in range(block, block + 0x10000) if not 0xD800 <= i < 0xE000]
        column = pl.Series(chars, dtype=pl.Utf8)
        is_word = column.str.contains(r"^[^\W_]$").to_list()
        lowered = column.str.to_lowercase().to_list()
        unsure += [ord(c) for c, w, low in zip(chars, is_word, lowered)
                   if w != c.isalnum() or (w and c.lower() != low) or c in "Σς"]  # isalnum: TOKEN_RE's class
    ranges, start = [], None
    for i, code in enumerate(unsure):
        start = code if start is None else start
        if i + 1 == len(unsure) or unsure[i + 1] != code + 1:
            ranges.append(f"\\x{{{start:X}}}" + (f"-\\x{{{code:X}}}" if code > start else ""))
            start = None
    return "[" + "".join(ranges) + "]"


def token_sequences(tokens: pl.DataFrame, sids) -> dict[int, list[tuple[str, str, bool]]]:
    """The (word, lemma, is_break) sequences of the given sentence ids, from a token table."""
    part = tokens.filter(pl.col("sid").is_in(list(sids)))
    out: dict[int, list[tuple[str, str, bool]]] = {}
    for sid, word, lemma, brk in zip(*(part[c].to_list() for c in ("sid", "word", "lemma", "is_break"))):
        out.setdefault(sid, []).append((word, lemma or "", brk))
    return out


def shorten(text: str, max_chars: int) -> str:
    """The text cut at a word boundary to at most max_chars, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    if text[max_chars - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(",;: ")
    return cut + "…"


def one_slip_apart(a: str, b: str) -> bool:
    """Are two different words one insertion, deletion, substitution or swap of neighbours apart?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i] == b[i + 1] and a[i + 1] == b[i])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


def is_italian_word(word: str) -> bool:
    """Does simplemma's Italian dictionary know the word? (True when the library fails on an odd
    token: a word it cannot read is never rewritten as a slip of another.)"""
    try:
        return simplemma.is_known(word, lang="it")
    except Exception:  # a library failure on one odd token must not stop the run
        return True


def slips_read(text: str, candidates: re.Pattern, words: frozenset[str]) -> str:
    """`text` (lower case) with each word that `candidates` finds, is no Italian word and is one
    slip of typing from exactly one of `words`, read as that word ("proossimo" -> "prossimo")."""
    return candidates.sub(lambda m: _slip_of(m.group(0), words) or m.group(0), text)


@lru_cache(maxsize=100_000)
def _slip_of(word: str, words: frozenset[str]) -> str | None:
    if word in words:
        return None
    near = [w for w in words if one_slip_apart(word, w)]
    return near[0] if len(near) == 1 and not is_italian_word(word) else None
