"""Named entities: find names in sentences and link their spellings to one canonical entity.

Finding (per sentence, `find_names`):

1. Known names from the curated alias table (``aliases.csv``) are matched first, longest first
   ("Stati Uniti" before "Uniti", "New York Post" before "New York"), so that a run like
   "Stati Uniti Donald Trump" or "Trump-Putin" splits into its entities.
2. Everything else is a capitalized run: capitalized words joined by spaces, with foreign
   name particles (de, van, von, der, bin, al- …), initials ("J. D. Vance") and, after an
   institution head word (Ministero, Banca, Corte …), the Italian "di/del/degli…".
   Leading function words, months, weekdays, roles and ministerial portfolios ("Il",
   "Secondo", "Presidente", "Lavoro" in "ministro del Lavoro") are dropped, and so are common
   Italian words at the start of a sentence, where every word is capitalized; elsewhere a
   capitalized common word belongs to the name ("Mala Dibrova"). A run is split where a
   known first name follows other words ("Cia John Ratcliffe"), and after a role's
   complement ("l'allenatore della Juventus Thiago Motta").
3. A single remaining word that is a common Italian word ("Paese", "Alleanza", "Conte"), a
   capitalized word right after an opening quotation mark, or an unknown word opening a
   sentence without a verb after it ("Droni su Kiev"), is *weak*: it is kept only if it links
   to a name seen elsewhere (a surname of a person named in full).
4. An institution name runs over a known place after its "di" ("Procura di Milano").

Type hints come from the context: a role phrase before the name ("il portavoce del Cremlino
Dmitry Peskov", "il ministro degli Esteri francese, Jean-Noel Barrot") or an apposition after
it ("Mark Rutte, segretario generale") → person; an institution word → org; a media cue
("il quotidiano X", "l'agenzia X") or outlet word (Post, Times, News) → media; "a X"/"in X" →
place; a known first name → person.

Linking (per corpus, `link_mentions`), by rule rather than by listing variants:

- keys fold accents and case and normalize transliteration (y/j → i, kh → h, w → v, gh → g,
  doubled letters collapsed), so Zelensky/Zelenskyy/Zelenskyj and Dmitry/Dmitrij/Dmitri meet;
- a nickname table maps first names to their full form (Mike → Michael, Bob → Robert);
- a surname alone (or a trailing part of a name, "Albares Bueno") resolves to the full name
  seen in the same article first, else to a person of the alias table, else to a full name
  seen anywhere in the corpus; with several candidates the most mentioned one is picked
  (ties: alphabetical) and the mention is marked ``is_uncertain``.

Everything is dictionary lookups: linear in the number of mentions.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import polars as pl

from pipeline.common import frame, slugify
from pipeline.nlp.italian import MONTHS, WEEKDAY_VARIANTS

log = logging.getLogger("pipeline.nlp.entities")

ALIASES_CSV = Path(__file__).with_name("aliases.csv")

# --- lexicons --------------------------------------------------------------------------------

# Capitalized words that are never (the start of) a name: function words, sentence openers,
# pronouns, adverbs. Common nouns are recognised through simplemma's Italian dictionary.
CAP_STOPWORDS = frozenset(
    """
    il lo la i gli le l un uno una un' del dello della dei degli delle dell di d da dal dallo dalla
    dai dagli dalle dall a ad al allo alla ai agli alle all in nel nello nella nei negli nelle nell
    su sul sullo sulla sui sugli sulle sull con col coi per tra fra e ed o od ma però pero anche
    se quando mentre dove come perché perche poiché poiche quindi infatti inoltre intanto
    tuttavia dunque oppure né ne non già gia ancora sempre mai ora oggi ieri domani adesso poi
    prima dopo secondo sia questo questa questi queste quello quella quelli quelle quel chi che
    cosa cui qui qua là li lì io tu lui lei noi voi loro egli essa esso essi esse ci vi si mi ti
    ho hai ha abbiamo avete hanno è era sono sarà sarebbe essere avere molto molti molte poco
    tutto tutti tutte tanto tanti ogni altro altri altra altre nessuno nessuna qualche alcuni
    alcune così cosi insomma certo certamente davvero forse proprio soltanto solo sì si no
    ecco bene male meglio peggio allora appena nonostante malgrado durante verso contro senza
    sopra sotto dentro fuori presso oltre circa entro signor signora signore sig dott prof
    mr mrs ms sir the of and
    pil iva irpef imu ires irap isee tfr covid
    """.split()
) | frozenset(MONTHS) | frozenset(WEEKDAY_VARIANTS)

# Portfolios and departments, capitalized after a role ("il ministro del Lavoro", "dell'Interno",
# "alla Difesa"): part of the role, not names.
DEPARTMENTS = frozenset(
    """
    lavoro interno interni esteri economia finanze tesoro difesa salute sanità sanita giustizia
    istruzione merito università universita ricerca cultura ambiente energia infrastrutture
    trasporti agricoltura turismo sport giovani famiglia disabilità disabilita welfare commercio
    industria imprese sviluppo innovazione riforme coesione mare protezione pubblica stato
    """.split()
)

# Nouns that introduce a person by role: "il portavoce del Cremlino X", "il ministro Y".
ROLE_NOUNS = frozenset(
    """
    presidente presidentessa vicepresidente premier ministro ministra viceministro
    sottosegretario sottosegretaria segretario segretaria portavoce consigliere consigliera
    direttore direttrice vicedirettore ambasciatore ambasciatrice inviato inviata capo leader
    cancelliere cancelliera sindaco sindaca governatore governatrice procuratore procuratrice
    senatore senatrice deputato deputata addetto addetta responsabile allenatore tecnico ct
    attaccante centrocampista difensore portiere amministratore ceo fondatore fondatrice papa
    re regina principe principessa giudice pm avvocato avvocata legale commissario commissaria
    comandante generale colonnello ammiraglio cardinale arcivescovo vescovo rettore
    imprenditore imprenditrice cantante attore attrice regista scrittore scrittrice giornalista
    analista esperto esperta economista ricercatore ricercatrice professore professoressa
    dottor dottoressa omologo omologa collega capogruppo coordinatore coordinatrice speaker
    titolare manager dirigente funzionario funzionaria magistrato pilota campione campionessa
    tennista calciatore calciatrice atleta sovrano monarca emiro sceicco ayatollah patriarca
    chairman presidenza sindacalista attivista oppositore dissidente blogger influencer
    reporter corrispondente inviata editorialista conduttore conduttrice primario chirurgo
    medico sergente tenente capitano maresciallo agente ispettore questore prefetto
    """.split()
)

# Words that make a name an organisation ("Ministero degli Esteri", "Democratic Initiative Foundation").
ORG_WORDS = frozenset(
    """
    ministero partito agenzia banca università universita corte tribunale procura comune regione
    provincia fondazione istituto consiglio commissione parlamento senato camera governo
    federazione associazione confederazione sindacato movimento ufficio dipartimento autorità
    autorita ente organizzazione unione esercito polizia guardia gruppo società societa azienda
    compagnia consorzio cooperativa museo ospedale policlinico accademia scuola liceo club
    foundation initiative institute university party department ministry agency bank council
    committee company corporation inc ltd group spa srl holding fc
    """.split()
)
# Head words after which "di/del/degli …" stays inside the name ("Corte dei Conti",
# "Gazzetta dello Sport").
MEDIA_HEADS = frozenset("gazzetta corriere giornale gazzettino messaggero mattino resto eco".split())
ORG_HEADS = ORG_WORDS | MEDIA_HEADS
MEDIA_CUES = frozenset(
    """
    quotidiano giornale agenzia emittente tv televisione rete sito testata settimanale mensile
    magazine tabloid network canale radio portale blog rivista periodico tg
    """.split()
)
MEDIA_WORDS = frozenset("post times news tribune journal gazette herald corriere gazzetta tg tv radio channel press daily".split())
PLACE_PREPOSITIONS = frozenset({"a", "ad", "in", "nel", "nella", "nelle", "nei", "negli", "nello"})
# Capitalized common words that follow "in"/"nel" without being a place's name ("in Aula", "nel
# Paese", "in Borsa"): never made places by the preposition alone.
NOT_PLACES = frozenset("aula borsa paese rete stato chiesa palazzo consiglio governo capitale".split())
# Nouns that introduce a place name: "piazza San Pietro", "la città di Sölden".
PLACE_CUES = frozenset("piazza via viale corso città quartiere fiume lago isola provincia regione comune".split())
# Capitalized words that start names although they are common words ("San Pietro").
NAME_HEADS = frozenset({"san", "santa", "santo", "sant"})
# Capitalized first words of Italian and foreign surnames: never the end of a preceding name.
SURNAME_PREFIXES = frozenset("de di da del della dello dei degli van von der la lo le mc mac dos das du el al ben bin".split())
NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "ter", "bin", "ibn", "ben", "al", "el", "dos", "das", "du", "da", "le"})
ITALIAN_PARTICLES = frozenset({"di", "del", "dello", "della", "dei", "degli", "delle", "d", "dell"})
# Elided words that are not the start of a name at the head of a sentence ("L'Ucraina").
ELISIONS = frozenset({"l", "dell", "all", "nell", "sull", "dall", "coll", "quell", "quest", "un", "c", "s", "m", "t", "v", "n", "d"})
# Words between a role noun and the name that end the role phrase: the name is not the role holder.
ROLE_BREAKERS = frozenset(
    """
    e ed o che ha hanno è sono era erano aveva avevano sarà non ma mentre quando con tra fra
    dopo prima come se perché ieri oggi domani
    """.split()
)

# Common first names (international spellings; matching uses the transliteration key, so
# Dmitrij/Dmitry and Mariia/Maria need one entry each).
FIRST_NAMES_TEXT = """
aaron abdul abdullah abu adam adolfo adriana adriano agnese agostino ahmad ahmed alain alan
alba alberto alda aldo amara andriy anatoliy anton arseniy bohdan borys denys dmytro halyna
hanna iryna kateryna khrystyna liudmyla lyudmyla maksym mykhailo mykola mykyta nadiya oksana
oleg oleh oleksandr oleksandra oleksii oleksiy olena olha pavlo petro roksolana serhii serhiy
svitlana taras tetiana valentyn vasyl viktoriia volodymyr yaroslav yevhen yuliia yurii
jannik romelu novak rafael roger zlatan kylian erling lamine khvicha federica sofia
akira hiroshi yuki kenji mei li ming jun hui xin yan amadou mamadou fatou aminata moussa
ibrahim ismail hassan hussein youssef karim rania leila layla yasmin aisha fatima alessandra alessandro alessia alessio alex alexander alexandra alexei
alexey alfonso alfredo ali alice alina alisa amanda ambra amir ana anastasia andrea andreas
andrei andrew andrzej angela angelo angelina anna annalena anne annie anthony antoine antonella
antonia antonio antony ari ariel arianna arnold arturo attilio aurora barack barbara bashar
beatrice ben benedetta benjamin benito bernard bernardo bernie beppe bianca bill boris bruno
camilla carla carlo carlos carmen carolina caterina cecilia cesare charles charlotte chiara
chris christian christine christopher cinzia claudia claudio clara corrado cristian cristina
cristiano dan daniel daniela daniele dante dario david davide debora denis denise diana diego
dmitri dmitrij dmitry domenico dusan dušan donald donatella dora edoardo edward elena eleonora elia
elisa elisabetta elizabeth ella elly elon emanuele emma emmanuel emilio enrico enzo eric
erika ernesto ettore eugenio fabio fabrizio federica federico filippo fiorella flavio
francesca francesco franco frank franz friedrich gabriel gabriele gabriella gaetano george
georgia gerhard giacomo gianfranco giancarlo gianluca gianni gilberto gino giorgia giorgio
giovanna giovanni giulia giuliano giulio giuseppe giuseppina gloria graziano greta guido hans
helmut henry hillary hugo igor ilaria ilya irene isabella ivan jack jacques james jane janet
javier jean jeff jeffrey jennifer jens jessica jim joe johann john jonathan jorge jose josé
josep joseph juan julia julian justin kamala karl karen kate katia keir kevin kim klaus kristi
kyle kylian lara lionel laura lavinia leonardo leone liam lidia liliana linda lisa lorenzo luana luca
lucia luciano ludovica luigi luisa lukas luke marc marcello marco margherita maria mariia marianna
mario marina mario marisa mark marta martina massimo matteo mattia maurizio mauro max maxim
melania michael michela michele mike mikhail mohammad mohammed muhammad nadia narendra natalia
nataliya nathalie neil nicholas nick nicola nicolas nicole nicolò niccolò nikita nikolai
noemi olaf olga oliver olivia omar oscar paola paolo pamela pam pascal patrick patrizia paul
pedro pete peter petro pier piero pietro piotr rachel raffaele raffaella ramzan recep riccardo
richard rick rishi rita roberta roberto robert rocco rodrigo roman romano ron ronald rosa
rosario ruslan salvatore samantha samuel sandra sara sarah scott sebastian sebastien sébastien
serena sergei sergej sergey sergio silvia silvio simona simone sofia sonia stefania stefano
stephen steve steven susanna sven tatiana teresa thiago thomas tim timothy tiziana tom tommaso tony
ulrich umberto ursula valentina valentino valeria valerio vanessa vasily veronica viktor
vincenzo viola virginia vittoria vittorio vladimir vladimiro volodymyr walter wang william
xavier yulia yuri yury zoe
"""

NICKNAMES = {
    "mike": "michael", "mick": "michael", "bob": "robert", "bobby": "robert", "rob": "robert",
    "bill": "william", "billy": "william", "will": "william", "jim": "james", "jimmy": "james",
    "joe": "joseph", "tom": "thomas", "tommy": "thomas", "tony": "anthony", "dick": "richard",
    "rick": "richard", "dan": "daniel", "danny": "daniel", "dave": "david", "chris": "christopher",
    "matt": "matthew", "nick": "nicholas", "alex": "alexander", "sam": "samuel", "ben": "benjamin",
    "ed": "edward", "andy": "andrew", "pete": "peter", "jeff": "jeffrey", "greg": "gregory",
    "ron": "ronald", "don": "donald", "liz": "elizabeth", "kate": "katherine", "pam": "pamela",
    "steve": "steven", "beppe": "giuseppe", "peppe": "giuseppe", "gigi": "luigi",
    "sasha": "alexander", "misha": "mikhail", "volodya": "vladimir",
}

# --- keys ------------------------------------------------------------------------------------

_TRANSLIT_RULES = (("kh", "h"), ("sch", "sh"), ("gh", "g"), ("ck", "k"), ("ph", "f"), ("w", "v"), ("y", "i"), ("j", "i"))
_DOUBLE_RE = re.compile(r"(.)\1+")


def ascii_fold(text: str) -> str:
    """Lowercase ASCII form without accents; apostrophes unified."""
    text = text.replace("’", "'").replace("‘", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


_ascii_fold_word = lru_cache(maxsize=200_000)(ascii_fold)


@lru_cache(maxsize=200_000)
def translit_key(word: str) -> str:
    """Spelling-insensitive key of one word: Zelenskyy, Zelenskyj, Zelensky → 'zelenski'."""
    key = re.sub(r"[^a-z]", "", ascii_fold(word))
    for a, b in _TRANSLIT_RULES:
        key = key.replace(a, b)
    return _DOUBLE_RE.sub(r"\1", key)


FIRST_NAMES = frozenset(translit_key(w) for w in FIRST_NAMES_TEXT.split())
_NICKNAME_KEYS = {translit_key(k): translit_key(v) for k, v in NICKNAMES.items()}


def split_words(name: str) -> list[str]:
    """Words of a name, hyphens and apostrophes as separators ('Jean-Noel' → Jean, Noel)."""
    return [w for w in re.split(r"[\s\-'.]+", name) if w]


def entity_slug(*names: str) -> str:
    """The entity id for a name: its ASCII slug ('Dmitrij Peskov' -> 'dmitrij-peskov'), trying
    each name in turn; a name with no ASCII letter or digit at all gets 'entity-' and a hash of
    its text, so that an id is never empty and two such names never share one."""
    for name in names:
        if slug := slugify(name):
            return slug
    return "entity-" + hashlib.sha256(names[0].encode("utf-8")).hexdigest()[:12]


def name_key(words: list[str] | tuple[str, ...]) -> str:
    """Key of a whole name: transliteration keys of its words, the first name de-nicknamed."""
    keys = [translit_key(w) for w in words]
    keys = [k for k in keys if k]
    if len(keys) >= 2 and keys[0] in _NICKNAME_KEYS:
        keys[0] = _NICKNAME_KEYS[keys[0]]
    return " ".join(keys)


def is_first_name(word: str) -> bool:
    return translit_key(word) in FIRST_NAMES


@lru_cache(maxsize=200_000)
def is_common_word(word: str) -> bool:
    """A function word or a word of the Italian dictionary (and not a first name)."""
    low = word.lower()
    if low in CAP_STOPWORDS or ascii_fold(low) in CAP_STOPWORDS or low in ROLE_NOUNS or ascii_fold(low) in DEPARTMENTS:
        return True
    if is_first_name(word):
        return False
    import simplemma

    return simplemma.is_known(low, lang="it")


# --- alias table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownEntity:
    entity_id: str
    name: str
    type: str


_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_ALIAS_NEXT_WORD_RE = re.compile(r"[ \-'.]{1,2}(\w+)")


@lru_cache(maxsize=16)
def _compiled_start_re(alternatives: str) -> re.Pattern:
    return re.compile(rf"(?<![\w@#])(?:{alternatives})")


@dataclass
class Lexicon:
    """The curated alias table, indexed for matching (by folded word sequence) and linking."""

    entities: dict[str, KnownEntity]
    by_words: dict[tuple[str, ...], str]  # folded words of an alias → entity_id
    exact_short: frozenset[str]  # aliases of up to 3 characters (UE, AP, Fed): matched case-sensitively
    lowercase_heads: frozenset[str]  # first words of aliases written in lower case ("la Repubblica")
    max_words: int
    prefixes: frozenset[tuple[str, ...]]  # every leading part of a folded alias
    by_key: dict[str, str]  # name_key of alias → entity_id (transliteration, nickname)
    by_surname: dict[str, str]  # key of a person's last word(s) → entity_id, when unambiguous

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]]) -> Lexicon:
        entities: dict[str, KnownEntity] = {}
        by_words: dict[tuple[str, ...], str] = {}
        by_key: dict[str, str] = {}
        surnames: dict[str, set[str]] = defaultdict(set)
        for row in sorted(rows, key=lambda r: (r["entity_id"], r["alias"])):
            eid = row["entity_id"]
            entities.setdefault(eid, KnownEntity(eid, row["name"], row["type"]))
            words = split_words(row["alias"])
            if not words:
                continue
            by_words.setdefault(tuple(ascii_fold(w) for w in words), eid)
            key = name_key(words)
            if key:
                by_key.setdefault(key, eid)
            if row["type"] == "person" and len(words) >= 2:
                for i in range(1, len(words)):
                    surnames[name_key(words[i:])].add(eid)
        by_surname = {k: next(iter(v)) for k, v in surnames.items() if len(v) == 1 and k not in by_key}
        return cls(
            entities=entities,
            by_words=by_words,
            exact_short=frozenset(r["alias"] for r in rows if len(r["alias"]) <= 3),
            lowercase_heads=frozenset(ascii_fold(r["alias"].split()[0]) for r in rows if r["alias"][:1].islower()),
            max_words=max((len(k) for k in by_words), default=0),
            prefixes=frozenset(k[:n] for k in by_words for n in range(1, len(k) + 1)),
            by_key=by_key,
            by_surname=by_surname,
        )

    @classmethod
    def load(cls, path: Path = ALIASES_CSV) -> Lexicon:
        with open(path, encoding="utf-8", newline="") as fh:
            return cls.from_rows(list(csv.DictReader(fh)))

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Alias occurrences (start, end, entity_id), longest first, left to right.

        Words are compared folded (case and accents), joined only by spaces, hyphens,
        apostrophes or dots; a match must start with a capital (or with the lower-case head
        of an alias such as "la Repubblica"), and aliases of up to three characters must be
        written exactly as listed, so that "usa" (uses) or "nato" (born) never match.
        """
        out: list[tuple[int, int, str]] = []
        resume_at = 0
        for m in self._start_re.finditer(text):
            if m.start() < resume_at:
                continue
            folded = (_ascii_fold_word(m.group(0)),)
            if folded not in self.prefixes:
                continue
            # the words that follow, joined by name-internal separators only, while some alias
            # still begins with them
            words = [(m.start(), m.end(), m.group(0))]
            while len(words) < self.max_words:
                nxt = _ALIAS_NEXT_WORD_RE.match(text, words[-1][1])
                if nxt is None or folded + (_ascii_fold_word(nxt.group(1)),) not in self.prefixes:
                    break
                words.append((nxt.start(1), nxt.end(1), nxt.group(1)))
                folded = folded + (_ascii_fold_word(nxt.group(1)),)
            for n in range(len(words), 0, -1):
                eid = self.by_words.get(folded[:n])
                if eid is None:
                    continue
                start, end = words[0][0], words[n - 1][1]
                surface = text[start:end]
                if len(surface) <= 3 and surface not in self.exact_short:
                    continue
                if surface[:1].islower() and not (n > 1 and words[1][2][:1].isupper()):
                    continue
                out.append((start, end, eid))
                resume_at = end
                break
        return out

    @property
    def _start_re(self) -> re.Pattern:
        """Where an alias may start: a capital or digit, or a lower-case alias head, after no
        word character, @ or #."""
        heads = "|".join(re.escape(h) for h in sorted(self.lowercase_heads))
        alternatives = f"[{_UPPER}0-9]\\w*" + (f"|(?:{heads})(?!\\w)" if heads else "")
        return _compiled_start_re(alternatives)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def lexicon_from_rows(rows: list[dict[str, str]]) -> Lexicon:
    return Lexicon.from_rows(rows)


# --- finding ---------------------------------------------------------------------------------


@dataclass
class NameCandidate:
    """A name found in one sentence, before corpus-level linking."""

    start: int
    end: int
    surface: str
    words: tuple[str, ...]
    method: str  # alias | capitalized | role_phrase
    hint: str | None = None  # person | org | media | place | None
    weak: bool = False  # kept only if it links to a name seen elsewhere
    entity_id: str | None = None  # set when matched in the alias table
    key: str = field(default="")


_TOKEN_RE = re.compile(r"[^\W_][\w]*(?:-[\w]+)*")
_SENTENCE_OPENERS = set("«\"“:(—–-•")


class _Token(NamedTuple):
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    # Handles and hashtags (@Zelenskyyua, #Ucraina) are not names in running text.
    toks = [_Token(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text) if text[m.start() - 1 : m.start()] not in ("@", "#")]
    merged: list[_Token] = []
    for tok in toks:
        prev = merged[-1] if merged else None
        glued = prev is not None and tok.start - prev.end == 1 and text[prev.end] == "'"
        if glued and prev.text[:1].isupper() and tok.text[:1].isupper() and _is_name_prefix(prev):
            merged[-1] = _Token(text[prev.start : tok.end], prev.start, tok.end)
        else:
            merged.append(tok)
    return merged


def _is_name_prefix(tok: _Token) -> bool:
    """O'Brien, D'Alema; but "L'Ucraina", "Dell'Italia", "All'Onu" are elided articles and prepositions."""
    return tok.text in ("O", "D") or tok.text.lower() not in ELISIONS


def _is_cap(tok: str) -> bool:
    if tok[:1].isupper():
        return True
    head, _, rest = tok.partition("-")
    return head in {"al", "el", "bin", "abu", "ibn"} and rest[:1].isupper()


def _at_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS or text[i] in ".!?…"


def _gap_ok(text: str, prev: _Token, nxt: _Token) -> bool:
    gap = text[prev.end : nxt.start]
    if gap == " " or (gap == "'" and prev.text in ITALIAN_PARTICLES):  # "Corte d'Assise"
        return True
    # Initials: "J. D. Vance"
    return gap == ". " and len(prev.text) == 1 and prev.text.isupper()


def _runs(text: str, tokens: list[_Token], covered: list[tuple[int, int]]) -> list[list[_Token]]:
    """Maximal sequences of capitalized tokens (with particles) not covered by alias matches.

    An institution name may run over a known place after its "di" ("Procura di Milano",
    "Università di Bologna"): the place is then part of the institution's name.
    """

    def is_covered(tok: _Token) -> bool:
        return bool(covered) and any(s < tok.end and tok.start < e for s, e in covered)

    def inside_institution(i: int) -> bool:
        return bool(current) and current[-1].text in ITALIAN_PARTICLES and i > 0 and tokens[i - 1] is current[-1]

    runs: list[list[_Token]] = []
    current: list[_Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not current and not _is_cap(tok.text):  # most words: lower case, outside any run
            i += 1
            continue
        if (is_covered(tok) and not inside_institution(i)) or tok.text.isdigit():
            if current:
                runs.append(current)
            current = []
            i += 1
            continue
        joinable = current and _gap_ok(text, current[-1], tok)
        if _is_cap(tok.text):
            if current and not joinable:
                runs.append(current)
                current = []
            current.append(tok)
        elif current and joinable and _particles_then_name(text, tokens, i, current, is_covered):
            current.append(tok)
        else:
            if current:
                runs.append(current)
            current = []
        i += 1
    if current:
        runs.append(current)
    return runs


def _particles_then_name(text: str, tokens: list[_Token], i: int, current: list[_Token], is_covered) -> bool:
    """Is tokens[i] the first of one or more particles leading to a capitalized word?

    Foreign particles join person names ("Ursula von der Leyen", "Mohammed bin Salman"); the
    Italian "di/del/degli …" joins only institution names ("Ministero degli Esteri").
    """
    j = i
    while j < len(tokens) and not _is_cap(tokens[j].text):
        word = tokens[j].text
        foreign = word in NAME_PARTICLES and not is_common_word(current[-1].text)
        italian = word in ITALIAN_PARTICLES and any(ascii_fold(t.text) in ORG_HEADS for t in current)
        if not (foreign or italian) or j - i >= 2:
            return False
        if j + 1 >= len(tokens) or text[tokens[j].end : tokens[j + 1].start] not in (" ", "'"):
            return False
        j += 1
    if not (i < j < len(tokens)):
        return False
    return not is_covered(tokens[j]) or tokens[j - 1].text in ITALIAN_PARTICLES


def _refine_run(text: str, run: list[_Token]) -> list[list[_Token]]:
    """Drop leading function words, roles and departments, and split where a first name
    starts after other words.

    At the start of a sentence, where every word is capitalized, a leading common word is
    dropped too ("Nuova telefonata", "Nova Kamianka" → "Kamianka"); elsewhere a capitalized
    common word before a name is part of it ("Mala Dibrova", "Amara Diallo"). A run's last
    word is always kept: it may still link to a known surname.
    """
    while run and ascii_fold(run[0].text) in CAP_STOPWORDS:
        run = run[1:]
    at_start = bool(run) and _at_sentence_start(text, run[0].start)
    while (
        len(run) > 1
        and (ascii_fold(run[0].text) in ROLE_NOUNS or ascii_fold(run[0].text) in DEPARTMENTS or (at_start and is_common_word(run[0].text)))
        and ascii_fold(run[0].text) not in ORG_HEADS
        and ascii_fold(run[0].text) not in NAME_HEADS
    ):
        run = run[1:]
    while run and not _is_cap(run[-1].text):  # a dangling particle
        run = run[:-1]
    if not run:
        return []
    pieces: list[list[_Token]] = [[run[0]]]
    for prev, tok in zip(run, run[1:]):
        if (
            is_first_name(tok.text)
            and not is_first_name(prev.text)
            and _is_cap(prev.text)
            and ascii_fold(prev.text) not in SURNAME_PREFIXES  # "De Luca", "Di Maio", "La Russa"
            and ascii_fold(pieces[-1][0].text) not in ORG_HEADS
        ):
            pieces.append([tok])
        else:
            pieces[-1].append(tok)
    return pieces


def _split_role_complement(text: str, pieces: list[list[_Token]]) -> list[tuple[list[_Token], bool]]:
    """Split "(l'allenatore) della Juventus Thiago Motta" into the complement and the name.

    After a role noun and an articulated preposition, the first capitalized word of a run of
    three or more completes the role (team, institution, place); the rest is the holder.
    Returns (piece, is_role_complement) pairs.
    """
    out: list[tuple[list[_Token], bool]] = []
    for piece in pieces:
        if (
            len(piece) >= 3
            and _is_cap(piece[1].text)
            and re.search(r"(?<![\w'])(?:del|dello|della|dei|degli|delle|di|dell')\s*$", text[: piece[0].start])
            and _role_before(text, piece[0].start)
            and (ascii_fold(piece[0].text) not in ORG_HEADS or is_first_name(piece[1].text))
        ):
            out.extend([(piece[:1], True), (piece[1:], False)])
        else:
            out.append((piece, False))
    return out


_WORD_BEFORE_RE = re.compile(r"[\w']+|,|[^\w\s]")


def _role_before(text: str, start: int) -> str | None:
    """The role noun heading a phrase that ends right before `start`, if any."""
    window = text[max(0, start - 120) : start]
    words = _WORD_BEFORE_RE.findall(window)
    if words and words[-1] == ",":
        words = words[:-1]
    for n, w in enumerate(reversed(words)):
        if n > 8:
            return None
        low = w.lower().split("'")[-1]
        if low in ROLE_NOUNS:
            return low
        if low in ROLE_BREAKERS or not re.match(r"\w", w):
            return None
    return None


_VERB_AFTER_RE = re.compile(
    r"\s+(?:(?:non|si|ci|ne|lo|la|li|le|gli|l')\s*)?"
    r"(?:ha|hanno|ho|è|era|erano|sarà|sono|aveva|avevano|avrebbe|avrebbero|abbia|sia|fu|"
    r"vuole|vogliono|deve|devono|può|possono|dice|dicono|chiede|chiedono|spiega|annuncia|"
    r"afferma|scrive|replica|risponde|attacca|accusa|incontra|chiama|apre|chiude|vince|perde|"
    r"torna|resta|lascia|firma|conferma|smentisce|nega|[^\W\d_]+(?:à|ò|rebbe|rebbero|ava|avano|eva|evano))(?![\w'])",
    re.IGNORECASE,
)
_HEADLINE_SPEAKER_RE = re.compile(r"\s*:\s*[«\"“]")
_PREPOSITION_BEFORE_RE = re.compile(
    r"(?<![\w'])(?:di|del|dello|della|dei|degli|delle|al|alla|allo|ai|agli|alle|a|da|dal|dalla|in|nel|nella|per|su|sul|sulla)\s+$"
    r"|(?<![\w'])(?:dell|all|dall|nell|sull|d)'$",
    re.IGNORECASE,
)
_APPOSITION_RE = re.compile(r"\s*,\s*(?:(?:il|la|l'|lo|un|una|ex)\s*)?([\w]+)")


def _role_after(text: str, end: int) -> str | None:
    m = _APPOSITION_RE.match(text, end)
    if m and m.group(1).lower() in ROLE_NOUNS:
        return m.group(1).lower()
    return None


def _words_before(text: str, start: int, n: int) -> list[str]:
    return [w.lower().split("'")[-1] for w in re.findall(r"[\w']+", text[max(0, start - 60) : start])][-n:]


def _type_hint(text: str, words: list[str], start: int, end: int) -> tuple[str | None, bool]:
    """(type hint, found by a role phrase)."""
    folded = [ascii_fold(w) for w in words]
    # After "del/della/di …" a name completes the role ("il portavoce del Cremlino"), it does not hold it.
    is_complement = _PREPOSITION_BEFORE_RE.search(text[:start]) is not None
    if (_role_before(text, start) and not is_complement) or _role_after(text, end):
        return "person", True
    if folded[0] in ORG_WORDS or (len(words) > 1 and any(f in ORG_WORDS for f in folded[1:])):
        return "org", False
    before = _words_before(text, start, 3)
    if (
        any(b in MEDIA_CUES for b in before)
        or folded[0] in MEDIA_HEADS
        or (len(words) > 1 and folded[-1] in MEDIA_WORDS)
    ):
        return "media", False
    if is_first_name(words[0]) and len(words) >= 2:
        return "person", False
    if any(w in NAME_PARTICLES for w in words[1:-1]) and len(words) >= 3:
        return "person", False
    if before and before[-1] in PLACE_PREPOSITIONS:
        return "place", False
    if before and (before[-1] in PLACE_CUES or (len(before) >= 2 and before[-1] == "di" and before[-2] in PLACE_CUES)):
        return "place", False
    if len(words) == 1 and len(words[0]) >= 2 and words[0].isupper() and words[0].isalpha():
        return "org", False
    return None, False


# Nouns whose "di X" names a town or a region ("la provincia di Macerata"); a square's or a street's
# name ("piazza Grande") is no town: many towns have one of that name.
TOWN_CUES = frozenset("provincia regione comune città".split())


def _names_town(text: str, start: int) -> bool:
    """Is the word at `start`, inside a sentence, introduced as a town or region: "a X", "nelle X",
    "provincia di X"?"""
    if _at_sentence_start(text, start):
        return False
    before = _words_before(text, start, 2)
    return bool(before) and (before[-1] in PLACE_PREPOSITIONS or (
        len(before) == 2 and before[-1] == "di" and before[-2] in TOWN_CUES))


def find_names(text: str, lexicon: Lexicon) -> list[NameCandidate]:
    """Names in one (normalized) sentence, alias matches and capitalized runs, by position."""
    found: list[NameCandidate] = []
    covered: list[tuple[int, int]] = []
    for start, end, eid in lexicon.matches(text):
        surface = text[start:end]
        known = lexicon.entities[eid]
        found.append(NameCandidate(start, end, surface, tuple(split_words(surface)), "alias", known.type, False, eid))
        covered.append((start, end))
    tokens = _tokens(text)
    for run in _runs(text, tokens, covered):
        for piece, is_complement in _split_role_complement(text, _refine_run(text, run)):
            start, end = piece[0].start, piece[-1].end
            surface = text[start:end]
            words = split_words(surface)
            if not words or (len(piece) == 1 and len(piece[0].text) == 1):
                continue  # a lone initial or letter ("piano B")
            hint, by_role = _type_hint(text, [t.text for t in piece], start, end)
            if is_complement:
                hint, by_role = ("org" if ascii_fold(piece[0].text) in ORG_WORDS else None), False
            substantive = [t for t in piece if _is_cap(t.text)]
            weak = all(is_common_word(t.text) for t in substantive) and (
                ascii_fold(piece[0].text) not in ORG_HEADS or len(piece) == 1  # "la Procura" alone is generic
            )
            if weak and len(piece) == 1 and _names_town(text, start) \
                    and ascii_fold(piece[0].text) not in NOT_PLACES | NAME_HEADS:
                # a capitalized word inside a sentence after "a", "nelle", "provincia di": a town or
                # region that is also a common word ("a Camerino", "nelle Marche", "di Macerata")
                weak = False
            if len(piece) == 1 and _at_sentence_start(text, start) and hint is None:
                if _HEADLINE_SPEAKER_RE.match(text, end) and not weak:
                    hint = "person"  # headline convention: "Sinner: «…»"
                elif text[:start].rstrip()[-1:] in ("«", '"') or not _VERB_AFTER_RE.match(text, end):
                    # A capitalized word opening a sentence is a name when a verb follows it
                    # ("Stellantis chiuderà", "Peskov ha detto"); otherwise ("Droni su Kiev",
                    # a quoted "Unrealistic") it may be any word.
                    weak = True
            found.append(
                NameCandidate(start, end, surface, tuple(words), "role_phrase" if by_role else "capitalized", hint, weak)
            )
    # An alias inside a longer institution name ("Milano" in "Procura di Milano") is not a mention.
    runs_found = [c for c in found if c.entity_id is None]
    found = [
        c for c in found
        if c.entity_id is None or not any(r.start <= c.start and c.end <= r.end for r in runs_found)
    ]
    found.sort(key=lambda c: (c.start, c.end))
    return found


# --- linking ---------------------------------------------------------------------------------

_TYPE_PRIORITY = ("person", "org", "media", "place", "other")


@dataclass
class _CorpusEntity:
    key: str
    surfaces: Counter = field(default_factory=Counter)
    hints: Counter = field(default_factory=Counter)
    n_mentions: int = 0


def link_mentions(sentences: pl.DataFrame, lexicon: Lexicon | None = None, progress=None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mentions and entities tables from the sentences table (sent_id, doc_id, text).

    mentions grain: one row per (sentence, span, entity). entities grain: one row per
    canonical entity with at least one mention.
    """
    lexicon = lexicon or default_lexicon()
    return resolve_mentions(find_name_candidates(sentences, lexicon, progress), lexicon, progress)


def find_name_candidates(
    sentences: pl.DataFrame, lexicon: Lexicon | None = None, progress=None
) -> list[tuple[str, str, NameCandidate]]:
    """Pass 1 of `link_mentions`, sentence by sentence: (doc_id, sent_id, candidate) in reading
    order (doc_id, then sent_no when given). It looks at nothing beyond one sentence, so the
    candidates of a corpus are the concatenation of those of its doc_id-sorted partitions."""
    lexicon = lexicon or default_lexicon()
    iterate = progress or (lambda items, desc, total=None: items)
    found_all: list[tuple[str, str, NameCandidate]] = []
    ordered = sentences.select("doc_id", "sent_id", "text")
    if "sent_no" in sentences.columns:
        ordered = sentences.sort(["doc_id", "sent_no"]).select("doc_id", "sent_id", "text")
    for doc_id, sent_id, text in iterate(ordered.iter_rows(), desc="names", total=ordered.height):
        try:
            found = find_names(text, lexicon)
        except Exception as exc:  # bad input must not stop the run: skip the sentence, say so
            log.warning("normalize: names skipped in %s: %r", sent_id, exc)
            continue
        for cand in found:
            if not (0 <= cand.start < cand.end <= len(text) and text[cand.start:cand.end] == cand.surface):
                continue  # a mention row must point at its own words: never write one that does not
            cand.key = name_key(cand.words)
            found_all.append((doc_id, sent_id, cand))
    return found_all


def resolve_mentions(
    candidates: list[tuple[str, str, NameCandidate]], lexicon: Lexicon | None = None, progress=None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Pass 2 of `link_mentions`, corpus-wide: the registry of full names seen anywhere in the
    corpus, then each document's candidates linked against it (mentions, entities)."""
    lexicon = lexicon or default_lexicon()
    iterate = progress or (lambda items, desc, total=None: items)
    by_doc: dict[str, list[tuple[str, NameCandidate]]] = defaultdict(list)
    corpus: dict[str, _CorpusEntity] = {}
    for doc_id, sent_id, cand in candidates:
        by_doc[doc_id].append((sent_id, cand))
        if cand.entity_id is None and not cand.weak and cand.key:
            if cand.key in lexicon.by_key:
                continue
            ent = corpus.setdefault(cand.key, _CorpusEntity(cand.key))
            ent.surfaces[cand.surface] += 1
            ent.hints[cand.hint or "other"] += 1
            ent.n_mentions += 1

    def is_person(ent: _CorpusEntity) -> bool:
        """A full name whose surname may stand alone: typed person, or untyped ("Romelu Lukaku")."""
        n_person = ent.hints.get("person", 0)
        n_other_types = max(ent.hints.get(t, 0) for t in ("org", "media", "place"))
        return n_person >= n_other_types if n_person else n_other_types == 0

    corpus_surnames: dict[str, list[str]] = defaultdict(list)
    for key in sorted(corpus):
        if is_person(corpus[key]):
            parts = key.split()
            for i in range(1, len(parts)):
                corpus_surnames[" ".join(parts[i:])].append(key)

    def pick(keys: list[str]) -> tuple[str, bool]:
        ranked = sorted(set(keys), key=lambda k: (-corpus[k].n_mentions, k))
        return ranked[0], len(ranked) > 1

    rows: list[tuple] = []
    entity_surfaces: dict[str, Counter] = defaultdict(Counter)
    entity_hints: dict[str, Counter] = defaultdict(Counter)
    corpus_entity_id: dict[str, str] = {}

    def corpus_id(key: str) -> str:
        if key not in corpus_entity_id:
            ent = corpus[key]
            name = sorted(ent.surfaces.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
            corpus_entity_id[key] = entity_slug(name, key)
        return corpus_entity_id[key]

    for doc_id in iterate(sorted(by_doc), desc="entities", total=len(by_doc)):
        cands = by_doc[doc_id]
        # Full names of persons in this document, first mention first.
        doc_surnames: dict[str, list[str]] = defaultdict(list)  # suffix key → entity ids
        for _, cand in cands:
            if cand.weak or len(cand.key.split()) < 2:
                continue
            target = None
            if cand.entity_id and lexicon.entities[cand.entity_id].type == "person":
                target = cand.entity_id
            elif cand.entity_id is None and cand.key in lexicon.by_key:
                if lexicon.entities[lexicon.by_key[cand.key]].type == "person":
                    target = lexicon.by_key[cand.key]
            elif cand.entity_id is None and cand.key in corpus and is_person(corpus[cand.key]):
                target = corpus_id(cand.key)
            if target:
                parts = cand.key.split()
                for i in range(1, len(parts)):
                    ids = doc_surnames[" ".join(parts[i:])]
                    if target not in ids:
                        ids.append(target)

        for sent_id, cand in cands:
            resolved = _resolve(cand, lexicon, doc_surnames, corpus_surnames, corpus, pick, corpus_id)
            if resolved is None:
                continue
            entity_id, method, uncertain = resolved
            rows.append((doc_id, sent_id, entity_id, cand.surface, cand.start, cand.end, method, uncertain))
            entity_surfaces[entity_id][cand.surface] += 1
            if cand.hint:
                entity_hints[entity_id][cand.hint] += 1

    mentions = frame("mentions", rows, orient="row").unique(
        subset=["sent_id", "start", "end", "entity_id"], keep="first", maintain_order=True)

    names = {v: k for k, v in corpus_entity_id.items()}
    ent_rows = []
    for entity_id in sorted(entity_surfaces):
        if entity_id in lexicon.entities:
            known = lexicon.entities[entity_id]
            name, etype = known.name, known.type
        else:
            key = names.get(entity_id)
            surfaces = corpus[key].surfaces if key in corpus else entity_surfaces[entity_id]
            name = sorted(surfaces.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
            hints = entity_hints[entity_id]
            etype = "other"
            if hints:
                best = max(hints.values())
                etype = next(t for t in _TYPE_PRIORITY if hints.get(t, 0) == best)
        ent_rows.append((entity_id, name, etype, sorted(entity_surfaces[entity_id])))
    entities = frame("entities", ent_rows, orient="row")
    return mentions, entities


def _is_place(ent: _CorpusEntity) -> bool:
    """A name the corpus types as a place more often than anything else."""
    n_place = ent.hints.get("place", 0)
    return n_place > 0 and n_place >= max(ent.hints.get(t, 0) for t in ("person", "org", "media"))


def _resolve(cand, lexicon, doc_surnames, corpus_surnames, corpus, pick, corpus_id):
    """(entity_id, method, is_uncertain) for one candidate, or None to drop it."""
    if cand.entity_id:
        return cand.entity_id, "alias", False
    key = cand.key
    n_words = len(key.split())
    if not key:
        return None
    if key in lexicon.by_key:
        eid = lexicon.by_key[key]
        first = ascii_fold(cand.words[0]) if cand.words else ""
        method = "nickname" if n_words >= 2 and translit_key(first) in _NICKNAME_KEYS else "transliteration"
        return eid, method, False
    if n_words >= 2 and not cand.weak and key in corpus:
        # A full name, unless it is the tail of a longer name in the same document.
        ids = doc_surnames.get(key)
        if ids and corpus_id(key) not in ids and len(ids) == 1 and not is_first_name(cand.words[0]):
            return ids[0], "surname_in_doc", False
        eid = corpus_id(key)
        ent = corpus[key]
        canonical = sorted(ent.surfaces.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        if ascii_fold(canonical) != ascii_fold(cand.surface):
            if translit_key(cand.words[0]) in _NICKNAME_KEYS:
                return eid, "nickname", False
            return eid, "transliteration", False
        return eid, cand.method, False
    # A surname alone, or a trailing part of a longer name.
    ids = doc_surnames.get(key)
    if ids:
        return ids[0], "surname_in_doc", len(ids) > 1
    if not cand.weak and key in lexicon.by_surname:
        return lexicon.by_surname[key], "alias", False
    if key in corpus_surnames:
        chosen, uncertain = pick(corpus_surnames[key])
        return corpus_id(chosen), "surname_in_corpus", uncertain
    if cand.weak:
        if n_words == 1 and key in corpus and _is_place(corpus[key]):
            return corpus_id(key), cand.method, False  # "tra Camerino e Muccia": a place the corpus names "a Camerino"
        return None
    if key in corpus:
        return corpus_id(key), cand.method, False
    return entity_slug(cand.surface), cand.method, False
