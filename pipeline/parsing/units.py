"""Units and blocks: what a document is cut into (`Unit`, `Link`, `ParsedDocument`), and the
predicates on a line's shape the rules read (terminated, lower case, word count).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

@dataclass
class Link:
    kind: str  # link | image | embed
    text: str | None
    target: str | None


@dataclass
class Unit:
    """A candidate block: one line of text/markdown or one block element of HTML."""

    raw: str
    text: str
    links: list[Link] = field(default_factory=list)
    hint: str | None = None  # a kind the markup states (h1 -> title, ## -> heading, <img> -> image …)
    kind: str | None = None  # the kind decided by the rules
    byline: str | None = None  # for byline units: the names, without "di" / "A cura di"


@dataclass
class ParsedDocument:
    blocks: list[Unit]
    title: str | None
    subtitle: str | None
    section: str | None
    byline: str | None


# --- text shape --------------------------------------------------------------------------------

# Closing quotes, brackets and emphasis markers that may follow a sentence's final punctuation; an
# opening quote at the end of a line is a mistyped closing one (frequent in translated text).
CLOSERS = "\"'”’»)]*_ “«"
TERMINAL = ".!?…"
QUOTE_CHARS = "\"“”«»„"
WHITESPACE = re.compile(r"\s+")
SENTENCE_BREAK = re.compile(r"[.!?…][\"”»’]?\s+[\"“«]?[A-ZÀ-Ý]")


def last_char(text: str) -> str:
    """The last character that is not a closing quote, bracket or emphasis marker."""
    stripped = text.rstrip(CLOSERS)
    return stripped[-1:] if stripped else ""


def is_terminated(text: str) -> bool:
    """Does the text end a sentence (. ! ? …, possibly inside closing quotes)?"""
    return last_char(text) in tuple(TERMINAL)


def first_letter(text: str) -> str:
    """The first letter or digit of the text, skipping quotes, brackets and markup."""
    for ch in text:
        if ch.isalnum():
            return ch
    return ""


def starts_lowercase(text: str) -> bool:
    return first_letter(text).islower()


def n_words(text: str) -> int:
    return len(text.split())


def norm_for_compare(text: str) -> str:
    """Case-, accent-form-, spacing- and trailing-punctuation-insensitive form of a line."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
