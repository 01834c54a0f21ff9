"""Quotations and reported statements, with the speech cue and the speaker they attach to.

A *quotation* is a span between « » or double quotes (after sentence normalization all
English-style double quotes are ``"``; their direction is read from the context: a mark after a
space and before a word opens, a mark before a space, punctuation or the end closes). Quotes
are paired within a block, so one may span several sentences; it is recorded in the sentence
where it starts. A quote left open at the end of a paragraph that it opened (the convention
for a statement running over several paragraphs) runs to the end of that paragraph; any other
unpaired mark is ignored. Short quoted labels ("piano B", "Task Force KleptoCapture") are
not statements: a quote needs three words, or a cue attached to it.

A *reported statement* is the clause governed by a speech cue without quotation marks:
"X ha detto che …", "X ha dichiarato di …", "…, ha affermato X.", "Secondo X, …".

Cues: speech verbs in the compound past, conditional or present ("ha detto", "avrebbe
dichiarato", "Lo ha annunciato", "aggiungendo"), the passive with an agent ("è stata
confermata dal portavoce …"), "secondo X", "a parlare è X", and the headline colon
("Rutte: «…»").

The speaker is the entity the cue attaches to, never a guess from elsewhere in the article:

1. after the cue when the cue follows the statement or the verb is inverted ("…», ha detto
   Trump", "ha affermato l'inviato speciale Steve Witkoff", "secondo Trump", "a parlare è X");
   when the subject after an inverted verb is unnamed ("…, ha spiegato l'ex tycoon"), null: a
   person named before it is inside the statement ("lui e Putin …");
2. else the subject before the verb in the same clause ("Il portavoce … Dmitry Peskov ha
   dichiarato …");
3. else, when the verb has no expressed subject (Italian drops it: "è quanto ha scritto su
   Truth", "Ha inoltre sottolineato che …", "Secondo lui …"), the speaker of the previous or
   same sentence;
4. a bare quotation with no cue continues the previous sentence's quotation only when its
   sentence names nobody outside the quote; otherwise the speaker is null.

Speakers are persons, organisations or media, as typed in the entities table, and only
mentions linked with certainty (an ambiguous surname gives a null speaker).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from pipeline.common import frame

log = logging.getLogger("pipeline.nlp.quotes")

SPEAKER_TYPES = frozenset({"person", "org", "media"})

_PARTICIPLES = (
    "detto dichiarato scritto affermato sottolineato spiegato aggiunto annunciato commentato "
    "ribadito precisato osservato risposto chiarito replicato evidenziato ammesso riferito rivelato "
    "confermato assicurato avvertito denunciato definito twittato raccontato sostenuto concluso "
    "insistito promesso garantito puntualizzato tuonato comunicato dichiarata ricordato"
).split()
# Present-tense forms that are also common nouns ("conferma", "replica", "risposta") are left out.
_PRESENT = (
    "dice dicono dichiara dichiarano afferma affermano scrive scrivono spiega spiegano sottolinea "
    "aggiunge annuncia ribadisce precisa osserva conclude avverte sostiene assicura twitta"
).split()
_GERUNDS = (
    "aggiungendo sottolineando dicendo affermando spiegando dichiarando scrivendo ribadendo "
    "precisando osservando rispondendo concludendo"
).split()
_AUX = r"(?:ha|hanno|aveva|avevano|avrebbe|avrebbero|abbia|abbiano|avesse|avessero)"
_ADVERBS = r"(?:\s+(?:poi|anche|inoltre|già|infine|quindi|invece|ancora|ripetutamente|più\s+volte|successivamente|in\s+seguito|chiaramente|apertamente))*"
_PASSIVE_PARTS = r"(?:confermat|dichiarat|annunciat|riferit|riportat|dett|scritt|comunicat|rivelat)[oaie]"

CUE_RE = re.compile(
    r"(?<![\w'])(?:"
    rf"(?P<aux>(?:(?:lo|l')\s*)?{_AUX}{_ADVERBS}\s+(?:{'|'.join(_PARTICIPLES)}))"
    rf"|(?P<passive>(?:è|sono)\s+stat[oaie]\s+{_PASSIVE_PARTS}\s+(?:da|dal|dalla|dallo|dai|dagli|dalle|dall'))"
    rf"|(?P<present>{'|'.join(_PRESENT)})"
    rf"|(?P<gerund>{'|'.join(_GERUNDS)})"
    r"|(?P<a_parlare>a\s+(?:parlare|dirlo|spiegarlo|scriverlo|annunciarlo|confermarlo|rivelarlo|sottolinearlo)\s+(?:è|sono|era|è\s+stat[oa]))"
    r"|(?P<secondo>(?<!\bil )(?<!\bsuo )(?<!\bsua )(?<!\bun )secondo(?=\s+(?:quanto|lui|lei|loro|fonti|le|il|la|i|gli|l'|un|una|alcun[ie]|divers[ie]|molti|(?-i:[A-ZÀ-Ý]))))"
    r")(?![\w])",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(r"\s*(?:lui|lei|loro)\b", re.IGNORECASE)
# Words that end the stretch between an inverted verb and its subject: "ha scritto il
# presidente ucraino in un post su X" has no named subject.
_AFTER_STOP = frozenset(
    "in su sul sulla sui a ad ai agli alla al all' allo con per che e mentre dopo durante nel nella "
    "nei tra fra come se ma non quando perché".split()
)
_AFTER_PREPOSITION_RE = re.compile(
    r"(?:(?<![\w'])(?:con|a|ad|tra|fra|per|su|sul|sulla|in|nel|nella|da|dal|dalla|dai|al|alla|ai|agli|verso|contro"
    r"|di|del|della|dei|degli|via)\s+|(?<![\w'])(?:dell|all|dall|sull|nell|d)')$",
    re.IGNORECASE,
)
# An article and a noun right after an inverted verb: an unnamed subject ("ha detto il ministro").
_UNNAMED_SUBJECT_RE = re.compile(r"\s+(?:il|lo|la|i|gli|le|l')\s*(?-i:[a-zà-ù])", re.IGNORECASE)
# Entity id and type given to a mention whose link is uncertain: a subject, never a speaker.
_UNCERTAIN = "?"
_GUILLEMET_RE = re.compile("[«»]")
_DOUBLE_QUOTE_RE = re.compile('"')
_MAIN_VERB_RE = re.compile(r"(?<![\w'])(?:ha|hanno|è|sono|aveva|avevano|avrebbe|avrebbero|sarà|era)(?![\w'])", re.IGNORECASE)
_CLAUSE_INTRO_RE = re.compile(r"(?:\s+[a-zà-ù']+){0,3}?\s+(che|di)\s+")
_PRO_DROP_RE = re.compile(
    r"(?:^|[,;:«»\"]|\b(?:e|ma|poi|quindi|inoltre|anche|infine|però|è quanto|come))\s*$", re.IGNORECASE
)


@dataclass
class _Quote:
    start: int  # block offsets of the content (inside the marks)
    end: int
    open_pos: int


@dataclass
class _Cue:
    start: int
    end: int
    kind: str
    text: str


def find_quote_spans(text: str) -> list[_Quote]:
    """Quoted spans of one block's normalized text (outermost, paired)."""
    spans: list[_Quote] = []
    # Guillemets nest unambiguously.
    depth, open_at = 0, -1
    for m in _GUILLEMET_RE.finditer(text):
        i, ch = m.start(), m.group(0)
        if ch == "«":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == "»" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append(_Quote(open_at + 1, i, open_at))
    # Straight double quotes: direction from context.
    guillemet_opens = [q.open_pos for q in spans]  # in order, disjoint
    open_at = -1
    for m in _DOUBLE_QUOTE_RE.finditer(text):
        i = m.start()
        k = bisect_left(guillemet_opens, i)  # the last span opening before i is the only one that may hold i
        if k and i < spans[k - 1].end:
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        opening = (prev.isspace() or prev in "([«—–-:'") and (nxt.isalnum() or nxt in "«(['")
        closing = nxt.isspace() or nxt in ".,;:!?)]»" or i + 1 == len(text)
        if open_at < 0:
            if opening or not closing:
                open_at = i
        elif closing or not opening:
            spans.append(_Quote(open_at + 1, i, open_at))
            open_at = -1
    if open_at >= 0 and not text[:open_at].strip():
        spans.append(_Quote(open_at + 1, len(text.rstrip()), open_at))  # a quote running over paragraphs
    spans.sort(key=lambda q: q.start)
    return [q for q in spans if text[q.start : q.end].strip()]


class _Quotes(list):
    """A block's quotations sorted by opening mark, indexed so that each question about a position
    costs O(log n), not one look at every quotation (which made long blocks quadratic)."""

    def __init__(self, quotes: list[_Quote]) -> None:
        super().__init__(sorted(quotes, key=lambda q: q.open_pos))
        self.opens = [q.open_pos for q in self]
        self.max_end: list[int] = []  # max end of the quotations opened so far (they may nest)
        for q in self:
            self.max_end.append(max(q.end, self.max_end[-1]) if self.max_end else q.end)

    def inside(self, pos: int) -> bool:
        """Is `pos` between the opening mark and the end of some quotation (both included)?"""
        k = bisect_right(self.opens, pos)
        return k > 0 and self.max_end[k - 1] >= pos

    def opens_in(self, a: int, b: int) -> bool:
        """Does some quotation open at a position in [a, b)?"""
        k = bisect_left(self.opens, a)
        return k < len(self.opens) and self.opens[k] < b

    def overlaps(self, a: int, b: int) -> bool:
        """Does some quotation open before `b` and end at or after `a`?"""
        k = bisect_left(self.opens, b)
        return k > 0 and self.max_end[k - 1] >= a


def _inside(pos: int, quotes: _Quotes) -> bool:
    return quotes.inside(pos)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def _n_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


@dataclass
class _Block:
    doc_id: str
    block_no: int
    text: str
    sentences: list[tuple[str, int, int, int]]  # sent_id, sent_no, start, end (block offsets)
    mentions: list[tuple[int, int, str, str]]  # start, end, entity_id, type (block offsets), sorted

    def __post_init__(self) -> None:
        # bisection indexes: a long block must not be scanned once per quotation, cue or mention
        self._sentence_starts = [s[2] for s in self.sentences]
        self._sentences_in_order = all(s[2] <= s[3] for s in self.sentences) and all(
            a[3] <= b[2] for a, b in zip(self.sentences, self.sentences[1:])
        )
        self.mention_starts = [m[0] for m in self.mentions]

    def sentence_at(self, pos: int) -> tuple[str, int, int, int]:
        if self._sentences_in_order:
            k = bisect_right(self._sentence_starts, pos) - 1
            if k >= 0 and pos < self.sentences[k][3]:
                return self.sentences[k]
            # whitespace between sentences belongs to the next one
            return self.sentences[k + 1] if k + 1 < len(self.sentences) else self.sentences[-1]
        for s in self.sentences:
            if s[2] <= pos < s[3]:
                return s
        for s in self.sentences:  # whitespace between sentences belongs to the next one
            if pos < s[2]:
                return s
        return self.sentences[-1]

    def mentions_from(self, pos: int) -> range:
        """Indexes of the mentions starting at or after `pos`, in order."""
        return range(bisect_left(self.mention_starts, pos), len(self.mentions))


def _speaker_after(block: _Block, pos: int, limit: int) -> str | None:
    """The subject after an inverted verb, reached through an article and role words only.

    A person wins over an organisation in the same stretch ("il portavoce del Cremlino Peskov").
    """
    first_other = None
    for k in block.mentions_from(pos):
        m_start, m_end, eid, etype = block.mentions[k]
        if m_start > limit:
            break  # mentions are sorted by start
        between = block.text[pos:m_start]
        if any(c in between for c in ".;:!?«»\"()"):
            break
        words = re.findall(r"[\w']+", between.lower())
        if any(w in _AFTER_STOP or w.split("'")[0] + "'" in _AFTER_STOP for w in words):
            break
        if etype in ("person", _UNCERTAIN):
            return eid
        if etype in SPEAKER_TYPES and first_other is None:
            first_other = eid
    return first_other


def _speaker_before(block: _Block, sent_start: int, pos: int, quotes: list[_Quote]) -> str | None:
    """Subject before the verb: the last person (else organisation or medium) of the clause.

    A place counts only right before the verb, as a metonymic subject ("la Russia ha detto").
    """
    best = None
    best_person = None
    for k in block.mentions_from(sent_start):
        m_start, m_end, eid, etype = block.mentions[k]
        if m_start > pos:
            break  # sorted by start, and a mention ends after it starts
        if m_end > pos or _inside(m_start, quotes):
            continue
        between = block.text[m_end:pos]
        if etype not in SPEAKER_TYPES and etype != _UNCERTAIN and not (etype == "place" and not between.strip()):
            continue
        relative = re.fullmatch(r"\s*,?\s*che\s*", between) is not None  # "il Post, che ha scritto"
        if not relative and (any(c in between for c in ".;!?«»\"") or " che " in f" {between.lower()} "):
            continue
        if len(between) > 200:
            continue
        if _AFTER_PREPOSITION_RE.search(block.text, sent_start, m_start):
            continue  # "con Putin", "all'Economist": not a subject
        best = eid
        if etype in ("person", _UNCERTAIN):
            best_person = eid
    return best_person or best


def _find_cues(block: _Block, quotes: list[_Quote]) -> list[_Cue]:
    cues = []
    for m in CUE_RE.finditer(block.text):
        if _inside(m.start(), quotes):
            continue
        cues.append(_Cue(m.start(), m.end(), m.lastgroup or "aux", _clean(m.group(0))))
    return cues


def _cue_speaker(block: _Block, cue: _Cue, quotes: list[_Quote], previous: str | None) -> str | None:
    speaker = _cue_subject(block, cue, quotes, previous)
    return None if speaker == _UNCERTAIN else speaker


def _cue_subject(block: _Block, cue: _Cue, quotes: list[_Quote], previous: str | None) -> str | None:
    """The speaker of a cue, or _UNCERTAIN when its named subject is an uncertain link."""
    sent_id, _, s_start, s_end = block.sentence_at(cue.start)
    if cue.kind == "secondo":
        if _PRONOUNS.match(block.text, cue.end):
            return previous
        return _speaker_after(block, cue.end, min(s_end, cue.end + 80))
    if cue.kind in ("a_parlare", "passive"):
        return _speaker_after(block, cue.end, min(s_end, cue.end + 100))
    if cue.kind == "gerund":  # its subject is the main clause's
        return _speaker_before(block, s_start, cue.start, quotes) or previous
    prefix = block.text[s_start : cue.start].rstrip()
    inverted = prefix.endswith((",", '"', "»", ":")) or not prefix or cue.text.lower().startswith(("lo ", "l'"))
    after = _speaker_after(block, cue.end, min(s_end, cue.end + 100))
    if inverted and after:
        return after
    if inverted and prefix and _UNNAMED_SUBJECT_RE.match(block.text, cue.end):
        # "Lui e Putin hanno un buon rapporto, ha spiegato l'ex tycoon": the subject follows the
        # verb unnamed; a person before the comma is inside the statement, not its speaker
        return None
    before = _speaker_before(block, s_start, cue.start, quotes)
    if before:
        return before
    if after:
        return after
    # No expressed subject (Italian drops it when it is the speaker just named): the verb opens
    # the sentence or follows a connective or the quotation it introduces.
    if _UNNAMED_SUBJECT_RE.match(block.text, cue.end):
        return None
    if _PRO_DROP_RE.search(prefix) or not re.search(r"\w", prefix):
        return previous
    return None


def _reported_clause(block: _Block, cue: _Cue, quotes: list[_Quote]) -> tuple[int, int] | None:
    """Block span of the statement a cue governs when it is not a quotation."""
    _, _, s_start, s_end = block.sentence_at(cue.start)
    text = block.text
    if cue.kind == "secondo":
        if text[s_start : cue.start].strip():
            return None
        comma = text.find(",", cue.end, s_end)
        if comma < 0:
            return None
        span = (comma + 1, s_end)
    elif cue.kind in ("aux", "present"):
        if cue.text.lower().startswith(("lo ", "l'")):
            return None  # "Lo ha detto X": the statement is the previous sentence
        # "ha detto (ai giornalisti) che …", "ha dichiarato di …"
        m = _CLAUSE_INTRO_RE.match(text, cue.end, s_end)
        if m:
            span = (m.end(), s_end)
        elif text[s_start : cue.start].rstrip().endswith(",") and not re.search(r"[,;]", text[cue.end : s_end].rstrip(" .")):
            span = (s_start, text.rfind(",", s_start, cue.start))
        else:
            return None
    else:
        return None
    if quotes.overlaps(span[0], span[1]):
        return None
    return span


def extract_quotes(
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    entities: pl.DataFrame,
    min_words: int = 3,
    carry_sentences: int = 2,
) -> pl.DataFrame:
    """The quotes table. Grain: one row per quotation or reported statement.

    sentences: sent_id, doc_id, block_no, sent_no, text, start, end (block offsets);
    mentions: sent_id, entity_id, start, end (sentence offsets), is_uncertain (optional: uncertain
    links are not speakers); entities: entity_id, type.
    `min_words`: shortest quotation or reported clause kept; `carry_sentences`: how many
    sentences back a subjectless verb or a continuing quotation may take its speaker from.
    """
    types = dict(entities.select("entity_id", "type").iter_rows())
    by_sentence: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    # A mention whose link is a guess (an ambiguous surname) cannot name a speaker: a wrong
    # speaker would later read as a misattribution between sources. It still counts as an
    # expressed subject, so the verb does not take the previous speaker either.
    if "is_uncertain" not in mentions.columns:
        mentions = mentions.with_columns(pl.lit(False).alias("is_uncertain"))
    for sent_id, eid, m_start, m_end, uncertain in mentions.select(
        "sent_id", "entity_id", "start", "end", "is_uncertain"
    ).iter_rows():
        by_sentence[sent_id].append((m_start, m_end, _UNCERTAIN if uncertain else eid))

    rows: list[tuple] = []
    ordered = sentences.sort(["doc_id", "block_no", "start"])
    blocks: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for row in ordered.select("doc_id", "block_no", "sent_id", "sent_no", "text", "start", "end").iter_rows():
        blocks[(row[0], row[1])].append(row)

    out: list[tuple] = []
    last_doc = None
    last_speaker: tuple[int, str | None] = (-10, None)  # (sent_no, speaker) of the latest statement
    for (doc_id, block_no), sents in blocks.items():
        if doc_id != last_doc:
            last_doc, last_speaker = doc_id, (-10, None)
        length = max(s[6] for s in sents)
        chars = [" "] * length
        block_mentions = []
        for _, _, sent_id, _, text, start, end in sents:
            chars[start:end] = text
            for m_start, m_end, eid in by_sentence.get(sent_id, ()):
                etype = _UNCERTAIN if eid == _UNCERTAIN else types.get(eid, "other")
                block_mentions.append((start + m_start, start + m_end, eid, etype))
        block_mentions.sort()
        block = _Block(doc_id, block_no, "".join(chars), [(s[2], s[3], s[5], s[6]) for s in sents], block_mentions)
        try:
            items, last_speaker = _block_quotes(block, last_speaker, min_words, carry_sentences)
        except Exception as exc:  # bad input must not stop the run: skip the block, say so
            log.warning("normalize: quotes skipped in %s:%s: %r", doc_id, block_no, exc)
            continue
        counters: dict[str, int] = defaultdict(int)
        for _start, sent_id, text, speaker, cue in sorted(items, key=lambda r: r[0]):
            out.append((f"{sent_id}:q{counters[sent_id]}", doc_id, sent_id, text, speaker, cue))
            counters[sent_id] += 1
    return frame("quotes", out, orient="row")


def _is_statement(content: str, min_words: int = 3) -> bool:
    """A quoted label ("piano B", "Task Force KleptoCapture", "irrealistica") is not a statement."""
    words = content.split()
    if len(words) < min_words:
        return False
    return not (len(words) <= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in words))


def _block_quotes(
    block: _Block, last_speaker: tuple[int, str | None], min_words: int = 3, carry_sentences: int = 2
) -> tuple[list[tuple], tuple[int, str | None]]:
    """Statements (start, sent_id, text, speaker, cue) of one block, and the latest speaker."""
    text = block.text
    quotes = _Quotes([q for q in find_quote_spans(text) if _is_statement(_clean(text[q.start : q.end]), min_words)])
    cues = _find_cues(block, quotes)
    cue_starts = [c.start for c in cues]  # cues are disjoint matches in order: starts and ends both sorted
    cue_ends = [c.end for c in cues]
    items: list[tuple[int, str, str, str | None, str | None]] = []
    used: set[int] = set()
    previous = last_speaker

    def prev_speaker(sent_no: int) -> str | None:
        # The latest speaker, if named in this sentence or the `carry_sentences` before it.
        return previous[1] if 0 <= sent_no - previous[0] <= carry_sentences else None

    def quote_between(a: int, b: int) -> bool:
        return quotes.opens_in(a, b)

    # Quotes and cues in reading order; at each sentence end, a sentence that named no speaker
    # still hands its subject on to a following subjectless verb ("X ha presentato il piano.
    # «…», ha aggiunto.").
    events: list[tuple[int, int, object]] = (
        [(q.open_pos, 0, q) for q in quotes] + [(c.start, 1, c) for c in cues] + [(s[3], 2, s) for s in block.sentences]
    )
    events.sort(key=lambda e: (e[0], e[1]))
    for _, is_cue, obj in events:
        if is_cue == 2:
            sent_id, sent_no, s_start, s_end = obj  # type: ignore[misc]
            if previous[0] != sent_no:
                verb = _MAIN_VERB_RE.search(block.text, s_start, s_end)
                subject = _speaker_before(block, s_start, verb.start(), quotes) if verb else None
                if subject:
                    previous = (sent_no, None if subject == _UNCERTAIN else subject)
            continue
        if not is_cue:
            q: _Quote = obj  # type: ignore[assignment]
            sent_id, sent_no, s_start, s_end = block.sentence_at(q.open_pos)
            _, end_sent_no, e_start, e_end = block.sentence_at(max(q.end - 1, q.start))
            after = None
            for k in range(bisect_right(cue_starts, q.end), len(cues)):
                c = cues[k]
                if c.start in used:
                    continue
                gap = text[q.end + 1 : c.start]
                # "…», ha detto X", "…", è quanto ha scritto"; "…». A parlare è X" in the next sentence.
                if re.fullmatch(r"[\s,]*(?:è quanto\s*)?", gap) or (c.kind == "a_parlare" and re.fullmatch(r"[\s.,]*", gap)):
                    after = c
                break
            before = None
            if after is None:
                # the last cue of the sentence that ends before the quotation, with no quotation between
                for k in range(bisect_right(cue_ends, q.open_pos) - 1, -1, -1):
                    c = cues[k]
                    if c.start < s_start:
                        break
                    if not quote_between(c.end, q.open_pos):
                        before = c
                        break
            cue = after or before
            content = _clean(text[q.start : q.end])
            speaker, cue_text = None, None
            if cue is not None:
                used.add(cue.start)
                speaker = _cue_speaker(block, cue, quotes, prev_speaker(sent_no))
                cue_text = cue.text
            else:
                prefix = text[s_start : q.open_pos]
                clause = re.split(r"[,–—]", prefix)[-1]
                colon = re.fullmatch(r"\s*(\S.*?)\s*:\s*", clause)
                if colon:  # headline style: "Rutte: «…»"
                    c_start = q.open_pos - len(clause) + colon.start(1)
                    c_end = q.open_pos - len(clause) + colon.end(1)
                    speaker = None
                    for k in block.mentions_from(c_start):
                        m = block.mentions[k]
                        if m[0] != c_start:
                            break
                        if m[1] == c_end and m[3] in SPEAKER_TYPES:
                            speaker = m[2]
                            break
                    cue_text = ":" if speaker else None
                if speaker is None and re.fullmatch(r"\s*(?:(?:\w+\s*){1,3}:)?\s*", prefix):
                    speaker = prev_speaker(sent_no)  # the quotation continues the previous one
            items.append((q.open_pos, sent_id, content, speaker, cue_text))
            if speaker:
                previous = (end_sent_no, speaker)
        else:
            c: _Cue = obj  # type: ignore[assignment]
            if c.start in used:
                continue
            sent_id, sent_no, _, _ = block.sentence_at(c.start)
            speaker = _cue_speaker(block, c, quotes, prev_speaker(sent_no))
            span = _reported_clause(block, c, quotes)
            if span is not None:
                n_inside = bisect_left(cue_starts, span[1]) - bisect_left(cue_starts, span[0])
                if n_inside - (span[0] <= c.start < span[1]) > 0:
                    span = None  # "Secondo il Post, Trump avrebbe detto di …": the inner cue governs
            if span is not None:
                content = _clean(text[span[0] : span[1]].rstrip(" ."))
                if _n_words(content) >= min_words:
                    items.append((min(span[0], c.start), sent_id, content, speaker, c.text))
            if speaker:
                previous = (sent_no, speaker)
    return items, previous
