"""What a decoded text is: its visible text (`visible_text`), its format (`detect_format`: text,
markdown or html) and its language (`detect_language`). The markup patterns come from
`pipeline.parsing.syntax`, the ones the parser strips.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from pipeline.parsing.syntax import (
    ANY_TAG,
    ENTITY,
    HIDDEN_ELEMENT,
    HTML_COMMENT_OPEN,
    HTML_COMMON_TAG,
    HTML_DOC,
    MARKUP_CHARS,
    MD_HEADING_START,
    MD_IMAGE_OR_LINK,
    MD_LIST_OR_QUOTE,
    MD_REFERENCE,
    MD_STRONG,
)

# --- visible text ------------------------------------------------------------------------------

# Everything here is linear in the text: a failed match never scans past the next bracket, tag
# or line end (so a file of "[x](" or "<a" repeated costs no more than prose), and elements that
# hide their content are cut with one forward scan. The markup patterns are in pipeline.parsing.syntax.
_DATA_URI = re.compile(r"\bdata:[\w.+-]{1,100}/[\w.+-]{1,100}(?:;[\w.+-]{1,100}(?:=[^;,\s]{0,200})?){0,10},[^\s\"'<>)\]]*", re.I)
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'()\[\]]*|\b(?:[\w-]{1,63}\.){1,4}(?:com|it|org|net|eu)/[^\s<>\"']*", re.I)
# A run of 60+ base64 characters, with the whole lines of base64 that continue it when it is
# wrapped (the last line of a wrapped block is shorter).
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{60,}={0,2}(?:\r?\n[A-Za-z0-9+/_-]{8,}={0,2}(?=\r?\n|\Z))*")


def _cut_hidden_elements(text: str) -> str:
    """`text` without HTML comments and without script, style and other elements whose content is
    not shown; an element left open hides the rest of the text, as in a browser. One forward scan."""
    out: list[str] = []
    pos = 0
    comment = text.find(HTML_COMMENT_OPEN)
    element = HIDDEN_ELEMENT.search(text)
    while pos < len(text):
        if 0 <= comment < pos:
            comment = text.find(HTML_COMMENT_OPEN, pos)
        if element is not None and element.start() < pos:
            element = HIDDEN_ELEMENT.search(text, pos)
        if comment < 0 and element is None:
            out.append(text[pos:])
            break
        if element is None or 0 <= comment < element.start():
            out.append(text[pos:comment])
            end = text.find("-->", comment + 4)
            pos = len(text) if end < 0 else end + 3
        else:
            out.append(text[pos:element.start()])
            close = re.compile(rf"</{element.group(1)}\s*>", re.I).search(text, element.end())
            pos = len(text) if close is None else close.end()
    return " ".join(out)


def visible_text(text: str) -> str:
    """What a reader sees of `text`: no HTML tags, comments, scripts or styles; no Markdown syntax
    (a link or image keeps its anchor or alt text); no URLs, `data:` URIs or long base64 runs."""
    text = _DATA_URI.sub("", text)  # "![x](data:...)" stays a Markdown image, read below
    if "<" in text:
        text = ANY_TAG.sub(" ", _cut_hidden_elements(text))
    text = MD_REFERENCE.sub(" ", MD_IMAGE_OR_LINK.sub(r" \1 ", text))
    text = _BASE64_RUN.sub(" ", _URL.sub(" ", text))
    if "&" in text:
        text = ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return MARKUP_CHARS.sub(" ", text)


# --- format ------------------------------------------------------------------------------------



def detect_format(text: str) -> str:
    """`html` for an HTML document (or text dense in HTML tags), `markdown` when it uses markdown
    links, images, `#` headings or strong emphasis, else `text`."""
    if HTML_DOC.match(text):
        return "html"
    n_tags = len(HTML_COMMON_TAG.findall(text[:200_000]))
    if n_tags >= 3 and n_tags * 200 >= min(len(text), 200_000):  # at least one tag per 200 chars
        return "html"
    if MD_IMAGE_OR_LINK.search(text) or MD_HEADING_START.search(text) or MD_STRONG.search(text):
        return "markdown"
    if len(MD_LIST_OR_QUOTE.findall(text)) >= 3:
        return "markdown"
    return "text"


# --- language ----------------------------------------------------------------------------------

_NON_LETTERS = re.compile(r"[\W\d_]+")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@lru_cache(maxsize=8)
def language_identifier(languages: tuple[str, ...]):
    """A py3langid identifier restricted to `languages` (all of its languages if empty), built once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def language_sample(text: str, limit: int = 3_000, visible: str | None = None) -> str:
    """The visible prose of `text` for language identification (`visible_text`, or `visible` when
    the caller has it already), spaces collapsed, at most `limit` characters."""
    if visible is None:
        visible = visible_text(text)
    return " ".join(visible.split())[:limit]


def detect_language(
    text: str,
    accepted: tuple[str, ...],
    candidates: tuple[str, ...],
    min_letters: int,
    fallback: str | None = None,
    visible: str | None = None,
) -> tuple[str, bool]:
    """(ISO 639-1 code, is_reliable) for `text`, judged on its visible prose only (`visible_text`:
    no markup, URLs, `data:` URIs or base64 runs; pass `visible` if already computed).

    py3langid is restricted to `candidates` (major languages), which keeps it from answering with a
    regional variety (vec, lij) or a rare language for Italian full of foreign names. Statistical
    identification fails on short strings, so when the prose has fewer than `min_letters` letters
    the answer is flagged unreliable and is `fallback` (the manifest's language) when given, else
    the most likely of the `accepted` languages: a short text is never rejected on a guess.
    """
    sample = language_sample(text, visible=visible)
    if len(_NON_LETTERS.sub("", sample)) >= min_letters:
        return language_identifier(tuple(candidates)).classify(sample)[0], True
    if fallback:
        return fallback, False
    return language_identifier(tuple(accepted)).classify(sample)[0], False
