"""The rules that give each unit its kind (Italian news pages in general, not one site).

How a document becomes blocks: the input is first cut into units (non-empty lines of text and
markdown; block elements of HTML), each with its markup removed and links collected; then the
rules below, written for Italian news pages in general, give each unit a kind:

- boilerplate: page residue that is not the article (update notices, copyright, share buttons,
  paywall, audio player, newsletter and cookie prompts, datelines, photo credits, tag lists,
  punctuation-only lines, HTML <nav>/<footer>/<aside>), a repetition of the title (a page break in
  a scraped or printed page), short unpunctuated fragments that start in lower case and continue
  nothing, and short unpunctuated lines after the last paragraph.
- title: the first substantial unit if it is shaped like a headline (no final period, not too
  long, not lower case); a text that opens with a paragraph has no title.
- section: a kicker such as "Esteri" or "Notizia" in the header (a known label, or a very short
  capitalised line before the title).
- subtitle: a short unit between the title and the body, without a final period (a line that
  ends with one is the lede).
- byline: "di Nome Cognome", "[di Nome Cognome]", "Di …", "A cura di …" alone on a line.
- embed: a social post pasted as text (its post URL, its "— Name (@handle) date" line and the
  short unquoted lines above it) or an HTML iframe / tweet blockquote.
- image: a markdown image or an HTML <img>/<figure>.
- heading: a short unpunctuated line between paragraphs.
- paragraph: everything else, list items included. A paragraph cut by a page break (it ends
  without terminal punctuation and its continuation, after the boilerplate, starts in lower case
  or with inline markup) is rejoined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.parsing.units import (
    QUOTE_CHARS,
    SENTENCE_BREAK,
    TERMINAL,
    Link,
    ParsedDocument,
    Unit,
    first_letter,
    has_letters,
    is_terminated,
    last_char,
    n_words,
    norm_for_compare,
    starts_lowercase,
)

@dataclass(frozen=True)
class ParseConfig:
    """The params.yaml `parse` block (documented there)."""

    title_max_chars: int = 200
    subtitle_max_chars: int = 300
    heading_max_chars: int = 120
    embed_max_chars: int = 400
    residue_max_words: int = 8


# --- rules -------------------------------------------------------------------------------------

# Section labels (kickers) of Italian news sites, compared case-insensitively.
SECTION_LABELS = frozenset(w for line in """
esteri|politica|cronaca|cronache|economia|finanza|sport|cultura|spettacoli|spettacolo|notizia|notizie
mondo|italia|attualità|interni|tecnologia|tech|scienza|scienze|salute|ambiente|opinioni|opinione
editoriale|editoriali|commento|commenti|analisi|esclusiva|intervista|inchiesta|reportage|lettere|blog
lifestyle|moda|motori|viaggi|cucina|tv|musica|cinema|libri|scuola|lavoro|europa|regioni|società
diritti|giustizia|guerra|primo piano|ultima ora|ultim'ora|breaking news|cronaca nera|fact checking
""".strip().split("\n") for w in line.split("|"))

# Whole-line patterns of page residue (matched case-insensitively against the plain text, with
# surrounding brackets and final punctuation removed). Each names a family, not a site.
_BOILERPLATE_PATTERNS = [
    # update notices and copyright
    r"(?:notizia |articolo )?in (?:continuo )?aggiornamento|aggiornamento in corso",
    r"(?:©|\(c\)|copyright)?\s*(?:riproduzione riservata|tutti i diritti riservati).*",
    r"©.{0,80}|copyright\s*(?:©|\(c\))?\s*\d{4}.{0,80}",
    r"ultimo aggiornamento:?\s.{0,40}|aggiornamento:\s*\d.{0,40}|aggiornat[oa] (?:il|alle|al|ore)\s*\d.{0,40}",
    # share buttons
    r"(?:(?:condividi|share|tweet|whatsapp|facebook|twitter|x|linkedin|telegram|pinterest|reddit|messenger|e-?mail"
    r"|copia(?: il)? link|link copiato|stampa|salva|commenta|invia)(?:\s+(?:su|via|l'articolo|questo articolo))?"
    r"[\s|·•,/-]*)+",
    r"commenti\s*\(?\d*\)?",
    # audio player and reading time
    r"ascolta(?: l['’]articolo| questo articolo| la notizia| l['’]audio)?|riproduci|pausa|audio",
    r"\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?",
    r"(?:tempo di )?lettura:?\s*\d+\s*min(?:uti|\.)?|\d+\s*min(?:uti|\.)? (?:di )?lettura",
    # paywall and account prompts
    r"abbonati(?:\s.{0,60})?|sei già abbonato.{0,60}|accedi|registrati|login|esci",
    r"(?:articolo|contenuto) riservato agli abbonati.{0,60}|per continuare a leggere.{0,80}|prova gratis.{0,60}"
    r"|scopri (?:l['’]offerta|di più).{0,60}|sblocca (?:l['’]articolo|il contenuto).{0,40}",
    # newsletter and follow prompts
    r"iscriviti(?: alla| a)?(?: nostra)? newsletter.{0,80}|newsletter|ricevi (?:le )?notizie.{0,80}|seguici su.{0,60}"
    r"|segui .{0,40} su (?:facebook|instagram|twitter|x|telegram|whatsapp|google news|tiktok).{0,20}",
    # cookie banners
    r"(?:accetta|rifiuta|gestisci)(?: tutti)?(?: i)? cookie.{0,40}|cookie policy|privacy policy|informativa(?: sui)? cookie.{0,40}"
    r"|questo sito (?:utilizza|usa) (?:i )?cookie.{0,120}",
    # navigation and recommendation widgets
    r"leggi anche:?.{0,160}|leggi (?:di più|tutto|l['’]articolo(?: completo)?)|continua a leggere|altre notizie"
    r"|potrebbe interessarti(?: anche)?|ti potrebbe interessare|articoli correlati|i più letti|più letti"
    r"|torna su|vai al contenuto|torna alla home",
    # advertising
    r"pubblicità|advertisement|contenuto sponsorizzato|sponsored|annuncio",
    # photo credits and tag lists
    r"(?:foto|video|credits?|ph|photo|immagine)\s*[:©/]\s*.{1,60}",
    r"(?:tags?|argomenti|parole chiave)\s*:.{0,160}",
    # datelines: only dates, times and the words around them ("Pubblicato il 12/02/2025 alle 18:40").
    # A run of digits is taken whole (possessive): cut into pieces by the repetition, a long run
    # that then fails to match backtracked exponentially (30 digits and a letter: about a minute).
    r"(?=.*\d)(?:(?:pubblicat[oa]|aggiornat[oa])\b|(?:il|alle|ore|h)\b|"
    r"(?:lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|gennaio|febbraio|marzo|aprile|maggio|giugno"
    r"|luglio|agosto|settembre|ottobre|novembre|dicembre|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic)\b\.?"
    r"|\d++|[\s,/.:|–-])+",
]
_BOILERPLATE = re.compile("(?:" + "|".join(_BOILERPLATE_PATTERNS) + ")", re.I)
_BOILERPLATE_MAX_CHARS = 200

_NAME = r"[A-ZÀ-Ý][\w'’.-]+(?:\s+(?:(?:de|di|del|della|dello|da|dal|van|von|der|le|la|lo|el|al|bin|ben)\s+)?[A-ZÀ-Ý][\w'’.-]+){0,3}"
_BYLINE = re.compile(
    rf"\[?\(?\s*(?:(?:[Dd]i|DI|[Bb]y|[Aa]\s+cura\s+di|[Tt]esto\s+di|[Ff]irmato\s+da)\s+)"
    rf"(?P<names>{_NAME}(?:\s*(?:,|\be\b|\bed\b|\band\b|&)\s*{_NAME})*)\s*\)?\]?"
)
_BYLINE_CURA = re.compile(r"\[?\s*[Aa]\s+cura\s+d(?:i|ella|el)\s+(?P<names>[^\n\]]{2,60}?)\s*\]?")

SOCIAL_POST_URL = re.compile(
    r"(?:https?://)?(?:www\.|mobile\.|m\.)?(?:"
    r"pic\.twitter\.com/\w+"
    r"|(?:twitter|x)\.com/\w{1,30}/status(?:es)?/\d+"
    r"|t\.co/\w+"
    r"|instagram\.com/(?:p|reel|tv)/[\w-]+"
    r"|facebook\.com/[^\s/]+/(?:posts|videos|photos)/[\w.-]+|fb\.watch/[\w-]+"
    r"|tiktok\.com/@[\w.]+/video/\d+"
    r"|threads\.net/@[\w.]+/post/[\w-]+"
    r"|bsky\.app/profile/[^\s/]+/post/\w+"
    r"|youtube\.com/(?:watch\?v=|shorts/)[\w-]+|youtu\.be/[\w-]+"
    r")[^\s)\]>\"”]*",
    re.I,
)
# "— Name Surname (@handle) 12 febbraio 2025" / "- Name (@handle) February 12, 2025": the signature
# line that closes a tweet copied from its embed.
_POST_SIGNATURE = re.compile(r"^[—–-]\s*[^()\n]{1,100}\(@\w{1,30}\)\s*[^\n]{0,40}$")
_INSTAGRAM_SIGNATURE = re.compile(r"^(?:un post condiviso da|a post shared by)\s.{1,100}$", re.I)


def _bare(text: str) -> str:
    """The line without surrounding brackets/parentheses and final punctuation, for whole-line matching."""
    return text.strip().strip("()[]{}").strip().rstrip(".:;!…").strip()


def is_boilerplate_line(text: str) -> bool:
    """Page residue by shape: a line without letters or digits, or a known residue phrase."""
    if not has_letters(text):
        return True
    return len(text) <= _BOILERPLATE_MAX_CHARS and _BOILERPLATE.fullmatch(_bare(text)) is not None


def byline_names(text: str) -> str | None:
    """The author(s) of a byline line ("[di Mario Rossi]" -> "Mario Rossi"), else None."""
    if len(text) > 100:
        return None
    m = _BYLINE.fullmatch(text.strip()) or _BYLINE_CURA.fullmatch(text.strip())
    return m.group("names").strip() if m else None


def is_section_label(text: str) -> bool:
    return _bare(text).casefold() in SECTION_LABELS


def _looks_like_kicker(text: str) -> bool:
    """A very short capitalised line without punctuation: the shape of a section label."""
    return (n_words(text) <= 3 and len(text) <= 40 and not has_sentence_punctuation(text)
            and first_letter(text).isupper() and not any(ch.isdigit() for ch in text))


def has_sentence_punctuation(text: str) -> bool:
    return last_char(text) in tuple(TERMINAL + ":;,")


def is_post_signature(text: str) -> bool:
    return bool(_POST_SIGNATURE.match(text) or _INSTAGRAM_SIGNATURE.match(text))


def _is_title_shaped(text: str, config: ParseConfig) -> bool:
    return (
        len(text) <= config.title_max_chars
        and last_char(text) not in (".", ";", ",", ":")
        and not starts_lowercase(text)
        and n_words(text) >= 2
        and len(SENTENCE_BREAK.findall(text)) <= 1  # "Crisi, il premier si dimette. Il Colle: «Consultazioni»"
    )


_SOCIAL_HOST_HINTS = ("twitter.", "x.com", "t.co/", "instagram.", "facebook.", "fb.watch", "tiktok.", "threads.net",
                      "bsky.app", "youtu")


def _find_post_url(text: str) -> re.Match | None:
    """The first social-post URL in `text` (a cheap substring test spares the regex on most lines)."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _SOCIAL_HOST_HINTS):
        return None
    return SOCIAL_POST_URL.search(text)


def _post_url(text: str) -> str | None:
    m = _find_post_url(text)
    if not m:
        return None
    url = m.group(0)
    return url if url.lower().startswith("http") else "https://" + url


def classify_units(units: list[Unit], config: ParseConfig) -> ParsedDocument:
    """Give every unit a kind (see the module docstring), rejoin paragraphs cut by page breaks,
    and pick the article's title, subtitle, section and byline."""
    # 1. Kinds that a line states by itself or through its markup.
    for u in units:
        if u.hint == "boilerplate" or (u.hint not in ("image", "embed") and is_boilerplate_line(u.text)):
            u.kind = "boilerplate"
        elif u.hint in ("image", "embed", "byline"):
            u.kind = u.hint
            if u.kind == "byline":
                u.byline = byline_names(u.text) or _bare(u.text)
        elif (names := byline_names(u.text)) is not None:
            u.kind, u.byline = "byline", names
            u.text = u.text.strip("[]() ")  # "[di Mario Rossi]": the brackets are decoration

    # 2. Embedded social posts pasted as text.
    _mark_pasted_posts(units, config)

    # 3. Title: a unit the markup calls a title, else the first substantial unit if headline-shaped.
    title_index = next((i for i, u in enumerate(units) if u.kind is None and u.hint == "title"), None)
    if title_index is None:
        for i, u in enumerate(units):
            if u.kind == "paragraph" or u.hint == "item":
                break
            if u.kind is not None:
                continue
            if is_section_label(u.text) or (u.hint != "heading" and _looks_like_kicker(u.text) and
                                            _next_substantial_is_title(units, i, config)):
                u.kind = "section"
                continue
            if _is_title_shaped(u.text, config) and _continuation(units, i) is None:
                title_index = i
            break
    title = None
    if title_index is not None:
        units[title_index].kind = "title"
        title = units[title_index].text
        title_key = norm_for_compare(title)
        for u in units[title_index + 1:]:
            if u.kind is None and norm_for_compare(u.text) == title_key:
                u.kind = "boilerplate"  # the title again: a page break in a scraped or printed page

    # 4. A line whose continuation, past a page break, starts in lower case is a cut paragraph,
    #    however short: never a subtitle or heading.
    _mark_cut_paragraphs(units)

    # 5. Header zone: between the start and the first body unit come section labels and the subtitle.
    subtitle = None
    for i, u in enumerate(units):
        if u.kind == "paragraph":
            break
        if u.kind is not None:
            continue
        if u.hint == "section" or is_section_label(u.text) or (
            title_index is not None and i < title_index and _looks_like_kicker(u.text)
        ):
            u.kind = "section"
            continue
        if (title_index is not None and i > title_index and subtitle is None
                and _is_subtitle_shaped(u, config) and _has_body_after(units, i)):
            u.kind, subtitle = "subtitle", u.text
            continue
        break

    # 6. Body: headings, paragraphs (list items included), residue.
    body_after = _body_after(units)
    for i, u in enumerate(units):
        if u.kind is not None:
            continue
        if u.hint in ("heading", "title"):
            u.kind = "heading"
        elif u.hint != "item" and _is_heading_shaped(u.text, config):
            u.kind = "heading" if body_after[i] else "boilerplate"  # a heading introduces something
        else:
            u.kind = "paragraph"

    blocks = _rejoin_split_paragraphs(units)
    _mark_residue_fragments(blocks, config)

    section = next((u.text for u in blocks if u.kind == "section"), None)
    byline = next((u.byline for u in blocks if u.kind == "byline"), None)
    return ParsedDocument(blocks=blocks, title=title, subtitle=subtitle, section=section, byline=byline)


def _continuation(units: list[Unit], i: int) -> int | None:
    """The index of the line that continues unit `i` across a page break, if any: `i` ends without
    terminal punctuation and the next undecided line, past any boilerplate (a repeated title, a
    page number), starts in lower case."""
    u = units[i]
    if u.hint is not None or is_terminated(u.text) or not has_letters(u.text):
        return None
    j = i + 1
    while j < len(units) and units[j].kind == "boilerplate":
        j += 1
    if j < len(units) and units[j].kind is None and units[j].hint is None and starts_lowercase(units[j].text):
        return j
    return None


def _mark_cut_paragraphs(units: list[Unit]) -> None:
    """A line cut by a page break and its continuation are paragraphs (joined later)."""
    for i, u in enumerate(units):
        if u.kind in (None, "paragraph") and (j := _continuation(units, i)) is not None:
            u.kind = units[j].kind = "paragraph"


def _next_substantial_is_title(units: list[Unit], i: int, config: ParseConfig) -> bool:
    for u in units[i + 1:]:
        if u.kind is not None:
            continue
        return _is_title_shaped(u.text, config) and not _looks_like_kicker(u.text)
    return False


def _is_subtitle_shaped(u: Unit, config: ParseConfig) -> bool:
    if u.hint == "subtitle":
        return True
    # Like headlines, Italian standfirsts carry no final period: a line after the title that ends
    # with one is the lede, the first paragraph of the body.
    return (
        u.hint in (None, "heading")
        and len(u.text) <= config.subtitle_max_chars
        and not starts_lowercase(u.text)
        and last_char(u.text) not in (".", "…", ":", ",", ";")
        and len(SENTENCE_BREAK.findall(u.text)) <= 1
    )


def _is_heading_shaped(text: str, config: ParseConfig) -> bool:
    return (
        len(text) <= config.heading_max_chars
        and not has_sentence_punctuation(text)
        and not starts_lowercase(text)
        and first_letter(text) != ""
    )


def _is_body(u: Unit) -> bool:
    """May the unit be body text (undecided or paragraph with letters, an embed, an image)?"""
    return u.kind == "image" or (u.kind in (None, "paragraph", "embed") and has_letters(u.text))


def _body_after(units: list[Unit]) -> list[bool]:
    """For each index, whether a later unit may be body text (one backward pass)."""
    flags = [False] * len(units)
    seen = False
    for i in range(len(units) - 1, -1, -1):
        flags[i] = seen
        seen = seen or _is_body(units[i])
    return flags


def _has_body_after(units: list[Unit], i: int) -> bool:
    return any(_is_body(u) for u in units[i + 1:])


def _mark_pasted_posts(units: list[Unit], config: ParseConfig) -> None:
    """A social post copied from its embed: a signature line "— Name (@handle) date", preceded by
    the post's own lines (the one with its pic.twitter.com / post URL and the short unquoted lines
    above it, up to `embed_max_chars`). A short line with a post URL alone is an embed too."""
    for i, u in enumerate(units):
        if u.kind is not None or not (is_post_signature(u.raw.strip()) or is_post_signature(u.text)):
            continue
        members = [i]
        budget = config.embed_max_chars
        j = i - 1
        while j >= 0:
            prev = units[j]
            if (prev.kind is not None or prev.hint is not None or len(prev.text) > budget
                    or any(q in prev.text for q in QUOTE_CHARS) or prev.text.rstrip().endswith(":")):
                break
            members.insert(0, j)
            budget -= len(prev.text)
            j -= 1
        _merge_into_embed(units, members)
    for u in units:
        if u.kind is not None or len(u.text) > config.embed_max_chars:
            continue
        m = _find_post_url(u.text)
        if m and u.text.rstrip(" .…").endswith(m.group(0).rstrip(".…")):  # a post's own line ends with its URL
            u.kind = "embed"
            u.links.append(Link("embed", None, _post_url(u.text)))


def _merge_into_embed(units: list[Unit], members: list[int]) -> None:
    """Fold the units at `members` into the first one (kind embed); the others are emptied."""
    first = units[members[0]]
    parts = [units[k] for k in members]
    first.raw = "\n".join(p.raw for p in parts)
    first.text = "\n".join(p.text for p in parts)
    first.links = [link for p in parts for link in p.links]
    url = next((found for p in parts if (found := _post_url(p.text))), None)
    signature = parts[-1].text.lstrip("—–- ").strip()
    if url is not None:
        first.links.append(Link("embed", signature or None, url))
    first.kind = "embed"
    for k in members[1:]:
        units[k].kind = "_merged"


def _rejoin_split_paragraphs(units: list[Unit]) -> list[Unit]:
    """Join a paragraph that ends without terminal punctuation to its continuation after a page
    break: the next paragraph, past any boilerplate, if it starts in lower case or with inline
    markup (a bold/italic span cut in two). The boilerplate in between follows the joined paragraph."""
    blocks = [u for u in units if u.kind != "_merged"]
    out: list[Unit] = []
    i = 0
    while i < len(blocks):
        u = blocks[i]
        out.append(u)
        i += 1
        if u.kind != "paragraph" or u.hint == "item":
            continue
        # The pieces are joined once at the end: joining them one by one copied the growing text
        # at every line, quadratic in a long hard-wrapped paragraph.
        texts, raws, tail = [], [u.raw], u.text
        while not is_terminated(tail):
            j = i
            while j < len(blocks) and blocks[j].kind == "boilerplate":
                j += 1
            if j >= len(blocks) or blocks[j].kind != "paragraph":
                break
            nxt = blocks[j]
            if nxt.hint == "item" or not (starts_lowercase(nxt.text) or nxt.raw[:1] in "*_`[" and first_letter(nxt.text)):
                break
            # nxt.text holds a letter, so the joined text ends (and is terminated or not) as it does
            tail = nxt.text.rstrip()
            texts += [" ", tail] if texts else [f"{u.text} {nxt.text}".strip()]
            raws.append(nxt.raw)
            u.links.extend(nxt.links)
            out.extend(blocks[i:j])  # the boilerplate between the two halves
            i = j + 1
        if texts:
            u.text, u.raw = "".join(texts), "\n".join(raws)
    return out


def _mark_residue_fragments(blocks: list[Unit], config: ParseConfig) -> None:
    """Short unpunctuated fragments are page residue ("al piano di sopra", "Condividi"): a
    paragraph of a few words that neither ends a sentence nor continues one and starts in lower
    case, anywhere; and any such short line after the last real paragraph."""
    last_body = max((k for k, b in enumerate(blocks) if b.kind == "paragraph" and not _is_fragment(b, config)
                     or b.kind in ("embed", "image")), default=-1)
    for k, b in enumerate(blocks):
        if b.kind not in ("paragraph", "heading") or not _is_fragment(b, config):
            continue
        if starts_lowercase(b.text) or k > last_body:
            b.kind = "boilerplate"


def _is_fragment(b: Unit, config: ParseConfig) -> bool:
    return n_words(b.text) <= config.residue_max_words and not is_terminated(b.text) and b.hint is None
