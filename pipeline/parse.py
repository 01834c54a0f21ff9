"""Stage `parse`: split each document into typed blocks in reading order.

Outputs (grain in `pipeline.schemas`):
- `articles`: one row per document (title, subtitle, section, byline, publication date, sizes).
- `blocks`: one row per block of a document, in reading order; `text` has no markup, `raw` is the
  block as it stood in the input.
- `links`: one row per link, image or embed found in a block.
- `sources`: one row per source (outlet), counting its documents.

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

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import PurePosixPath

import polars as pl

from pipeline.common import dataclass_from_params, load_params, progress, read_table, slugify, write_table
from pipeline.schemas import TABLES

log = logging.getLogger("pipeline.parse")


@dataclass(frozen=True)
class ParseConfig:
    title_max_chars: int = 200
    subtitle_max_chars: int = 300
    heading_max_chars: int = 120
    embed_max_chars: int = 400
    residue_max_words: int = 8

    @classmethod
    def from_params(cls, params: dict) -> ParseConfig:
        return dataclass_from_params(cls, params)


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
_CLOSERS = "\"'”’»)]*_ “«"
_TERMINAL = ".!?…"
_QUOTE_CHARS = "\"“”«»„"
_WS = re.compile(r"\s+")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”»’]?\s+[\"“«]?[A-ZÀ-Ý]")


def last_char(text: str) -> str:
    """The last character that is not a closing quote, bracket or emphasis marker."""
    stripped = text.rstrip(_CLOSERS)
    return stripped[-1:] if stripped else ""


def is_terminated(text: str) -> bool:
    """Does the text end a sentence (. ! ? …, possibly inside closing quotes)?"""
    return last_char(text) in tuple(_TERMINAL)


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


def _norm_for_compare(text: str) -> str:
    """Case-, accent-form-, spacing- and trailing-punctuation-insensitive form of a line."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# --- markup left in text -----------------------------------------------------------------------
# Whatever the format, a block's text carries no markup: HTML inside markdown, stray tags in text
# files, and tags that HTML entities spell out ("&lt;b&gt;") are removed. A "tag" is `<name …>` or
# `</name>` for an HTML element name (custom elements with a hyphen and namespaced names such as
# Word's <o:p> included), not preceded by another "<": Italian text often writes «…» as <<…>>, and
# "<<A volte>>" or "<<I ragazzi>>" must stay. Comments, CDATA, doctypes and processing
# instructions go too.

HTML_ELEMENT_NAMES = frozenset("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote body br
button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed
fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
image img input ins isindex kbd keygen label legend li link listing main map mark marquee math menu menuitem meta
meter nav nobr noembed noframes noscript object ol optgroup option output p param picture plaintext pre progress q rb
rp rt rtc ruby s samp script search section select slot small source span strike strong style sub summary sup svg
table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp
""".split())
_TAG_NAME = (r"(?:" + "|".join(sorted(HTML_ELEMENT_NAMES, key=len, reverse=True))
             + r"|[a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z][a-z0-9]*:[a-z][\w.-]*)")
# Attributes are bounded so that a "<" that never closes costs a bounded scan, not the rest of the text.
MARKUP_TAG = re.compile(
    rf"(?<!<)</?{_TAG_NAME}(?=[\s/>])[^<>]{{0,2000}}>|<!--|<!\[CDATA\[|<![a-z][^<>]{{0,2000}}>|<\?[^<>]{{0,2000}}>",
    re.I,
)
# Tags that separate words when removed ("uno<br>due" is two words; "l'<b>ANSA</b>" is one).
_SPACING_TAG = re.compile(r"</?(?:br|p|div|li|h[1-6]|td|th|tr|dt|dd|blockquote|hr|section|article)\b", re.I)
_HIDDEN_OPENING = re.compile(r"<!--|<!\[CDATA\[|<(script|style)\b[^<>]{0,2000}>", re.I)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ATTRIBUTE = re.compile(r"""([a-z][\w:-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>]+)""", re.I)
_INLINE_IMG = re.compile(r"(?<!<)<img\b[^<>]{0,2000}>", re.I)
_INLINE_ANCHOR = re.compile(r"(?<!<)<a\s([^<>]{0,2000})>(.{0,1000}?)</a\s*>", re.I)


def drop_hidden_markup(text: str) -> str:
    """The text without what a browser never shows: comments, CDATA sections, <script> and <style>
    elements, whole (they may span lines). An opening that is never closed loses only itself."""
    if "<" not in text:
        return text
    lowered = text.lower()
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # closings already known to be absent past some point
    while m := _HIDDEN_OPENING.search(text, pos):
        opening = m.group(0)
        closing = "-->" if opening == "<!--" else "]]>" if opening.startswith("<![") else f"</{m.group(1).lower()}"
        out.append(text[pos:m.start()])
        end = -1 if closing in unclosed else lowered.find(closing, m.end())
        if end < 0:
            unclosed.add(closing)
            pos = m.end()
            continue
        end += len(closing)
        if closing.startswith("</"):
            gt = text.find(">", end)
            end = len(text) if gt < 0 else gt + 1
        pos = end
    out.append(text[pos:])
    return "".join(out)


def strip_markup(text: str) -> str:
    """`text` without tags (see above); other characters, line breaks included, stay."""
    if "<" not in text or not MARKUP_TAG.search(text):
        return text
    # A tag inside an attribute value (<p title="<b>">) only shows its outer tag once the inner one
    # is gone: repeat, a bounded number of linear passes.
    for _ in range(8):
        stripped = MARKUP_TAG.sub(lambda m: " " if _SPACING_TAG.match(m.group(0)) else "", text)
        if stripped == text:
            break
        text = stripped
    return re.sub(r"[^\S\n]{2,}", " ", text).strip()


def _inline_html(text: str, links: list[Link]) -> str:
    """Inline HTML in a markdown line: <a href> and <img> become links (an image leaves the text),
    entities are decoded; tags are removed later by `strip_markup`."""
    def image(m: re.Match) -> str:
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTRIBUTE.findall(m.group(0))}
        links.append(Link("image", html_unescape(attrs.get("alt", "")).strip() or None,
                          html_unescape(attrs.get("src", "")).strip() or None))
        return " "

    def anchor(m: re.Match) -> str:
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTRIBUTE.findall(m.group(1))}
        if attrs.get("href"):
            anchor_text = _WS.sub(" ", strip_markup(m.group(2))).strip()
            links.append(Link("link", html_unescape(anchor_text) or None, html_unescape(attrs["href"]).strip()))
        return m.group(2)

    if "<" in text:
        text = _INLINE_IMG.sub(image, text)
        text = _INLINE_ANCHOR.sub(anchor, text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html_unescape(m.group(0)), text)
    return text


# --- markdown ----------------------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])"),
    re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
    re.compile(r"`([^`\n]+)`"),
)
_MD_STRAY_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__)(?=\w)|(?<=[\w.,;:!?…\"”’»)])(\*\*|__)(?!\w)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_QUOTE_PREFIX = re.compile(r"^(?:>\s?)+")
# A list item: "- ", "* ", "+ ", "• ", "1. ", "2) ". En and em dashes are not bullets: Italian uses
# them to open dialogue and quotations.
_LIST_ITEM = re.compile(r"^(?:[-*+•▪·]|\d{1,3}[.)])\s+(?=\S)")


def strip_inline_markdown(raw: str) -> tuple[str, list[Link]]:
    """Markdown inline markup -> (plain text, links). Link anchor text stays in the text; images
    leave the text (they become links rows of kind image)."""
    links: list[Link] = []

    def image(m: re.Match) -> str:
        links.append(Link("image", m.group(1).strip() or None, m.group(2) or None))
        return " "

    def link(m: re.Match) -> str:
        anchor = m.group(1)
        links.append(Link("link", _strip_emphasis(anchor).strip() or None, m.group(2) or None))
        return anchor

    def autolink(m: re.Match) -> str:
        links.append(Link("link", m.group(1), m.group(1)))
        return m.group(1)

    text = raw
    if "](" in text:
        text = _MD_IMAGE.sub(image, text)
        text = _MD_LINK.sub(link, text)
    if "<" in text:
        text = _MD_AUTOLINK.sub(autolink, text)
    text = _inline_html(text, links)
    text = _strip_emphasis(text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return _WS.sub(" ", text).strip(), links


def _strip_emphasis(text: str) -> str:
    if not any(marker in text for marker in "*_~`"):
        return text
    for pattern in _MD_EMPHASIS:
        text = pattern.sub(r"\1", text)
    # A bold span cut by a page break leaves an unpaired "**" at the edge of a line.
    return _MD_STRAY_EMPHASIS.sub("", text)


def units_from_text(text: str, markdown: bool) -> list[Unit]:
    """One unit per non-empty line; for markdown, `#` headings become hints and inline markup is
    removed. Lines are the unit because news text comes with one paragraph per line, with or
    without blank lines between paragraphs; wrapped paragraphs are rejoined later."""
    units: list[Unit] = []
    seen_h1 = False
    for line in text.split("\n"):
        raw = line.strip()
        if not raw:
            continue
        item = _LIST_ITEM.match(raw)
        if not markdown:
            body = raw[item.end():] if item else raw
            units.append(Unit(raw=raw, text=_WS.sub(" ", body), hint="item" if item else None))
            continue
        hint = None
        body = raw
        heading = _MD_HEADING.match(raw)
        if heading:
            body = heading.group(2)
            hint = "title" if len(heading.group(1)) == 1 and not seen_h1 else "heading"
            seen_h1 = seen_h1 or hint == "title"
        elif not _MD_IMAGE.match(raw):
            body = _MD_QUOTE_PREFIX.sub("", raw)
            if item := _LIST_ITEM.match(body):
                body, hint = body[item.end():], "item"
        plain, links = strip_inline_markdown(body)
        if not plain and any(link.kind == "image" for link in links):
            hint = "image"
            plain = " ".join(link.text for link in links if link.kind == "image" and link.text)
        units.append(Unit(raw=raw, text=plain, links=links, hint=hint))
    return units


# --- HTML --------------------------------------------------------------------------------------
# lxml's event interface (a parser target) feeds a small tree of our own, walked with explicit
# stacks: no recursion anywhere, so HTML of any depth parses, in time linear in its size. lxml's
# own tree builder would not do: libxml2 stops at depth 256 (2,048 with huge_tree) and silently
# drops the rest of the document. selectolax (lexbor) has no depth limit, but its HTML5 tree
# construction is quadratic in the nesting depth of block elements (80,000 nested <div>: 10 s).

_HTML_DROP = frozenset({"script", "style", "noscript", "template", "svg", "math", "canvas", "head", "button", "form",
                        "select", "input", "textarea"})
_HTML_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figure", "pre", "dt", "dd",
                "address", "figcaption", "td", "th", "caption", "img", "iframe", "video", "audio", "hr"}
_HTML_CONTAINERS = {"div", "section", "article", "main", "header", "body", "html", "nav", "footer", "aside",
                    "ul", "ol", "dl", "table", "thead", "tbody", "tr", "center", "details", "summary"}
_HTML_CHROME = {"nav", "footer", "aside"}
_HTML_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
                        "param", "source", "track", "wbr"})
_CLASS_HINTS = (
    (re.compile(r"byline|author|firma|autore|signature", re.I), "byline"),
    (re.compile(r"kicker|occhiello|overtitle|eyebrow|category|rubrica|section-label", re.I), "section"),
    (re.compile(r"subtitle|sottotitolo|sommario|standfirst|summary|abstract|\bdek\b|catenaccio", re.I), "subtitle"),
    (re.compile(r"share|social|newsletter|cookie|paywall|related|correlati|advert|banner|promo|breadcrumb|tags?\b", re.I),
     "boilerplate"),
)
_EMBED_CLASSES = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|fb-post|bluesky-embed|embed", re.I)

# What an element holds below it, as bits (`_Element.below`), so that "does this block hold other
# blocks?" costs nothing instead of a search of the subtree (quadratic on deep nesting).
_HOLDS_BLOCK = 1  # a block element other than <img>
_HOLDS_IMG = 2
_HOLDS_DIV = 4
_HOLDS_HEADLINE = 8  # <h1> or <article>: the element holds the article itself


def _tag_bits(tag: str) -> int:
    bits = 0
    if tag in _HTML_BLOCKS:
        bits |= _HOLDS_IMG if tag == "img" else _HOLDS_BLOCK
    if tag == "div":
        bits |= _HOLDS_DIV
    if tag in ("h1", "article"):
        bits |= _HOLDS_HEADLINE
    return bits


class _Element:
    __slots__ = ("tag", "attrs", "children", "below")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Element | str] = []  # elements and text, in document order
        self.below = 0  # _HOLDS_* bits of all descendants

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


class _TreeBuilder:
    """lxml parser target: builds `_Element`s, leaving out dropped elements (scripts, forms …)
    with everything inside them, and comments (not delivered)."""

    def __init__(self) -> None:
        self.root = _Element("#document", {})
        self.stack = [self.root]
        self.dropped_depth = 0  # > 0 while inside a dropped element

    def start(self, tag, attrib) -> None:
        tag = tag.lower()
        if self.dropped_depth or tag in _HTML_DROP:
            self.dropped_depth += 1
            return
        element = _Element(tag, dict(attrib) if attrib else {})
        self.stack[-1].children.append(element)
        self.stack.append(element)

    def end(self, tag) -> None:
        if self.dropped_depth:
            self.dropped_depth -= 1
        elif len(self.stack) > 1:  # libxml2 reports every start with its end, implied ones included
            self._pop()

    def data(self, text) -> None:
        if not self.dropped_depth:
            self.stack[-1].children.append(str(text))

    def close(self) -> _Element:
        while len(self.stack) > 1:
            self._pop()
        return self.root

    def _pop(self) -> None:
        element = self.stack.pop()
        self.stack[-1].below |= element.below | _tag_bits(element.tag)


def parse_html_tree(html: str) -> _Element:
    """The document as a tree of `_Element`s under a `#document` root (libxml2's HTML parser:
    forgiving of broken markup, entities decoded, tag and attribute names lower case)."""
    from lxml import etree

    builder = _TreeBuilder()
    if not html.strip():
        return builder.close()
    parser = etree.HTMLParser(target=builder, encoding="utf-8", huge_tree=True, remove_comments=True,
                              remove_pis=True, no_network=True)
    parser.feed(html.encode("utf-8", "replace"))  # the text is already decoded: its <meta charset> is moot
    return parser.close()


def _iter_elements(element: _Element):
    """`element` and every element below it, in document order."""
    stack = [element]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in reversed(node.children) if isinstance(child, _Element))


def _find(element: _Element, tags) -> _Element | None:
    """The first element below `element` (not itself) whose tag is in `tags`."""
    return next((e for e in _iter_elements(element) if e is not element and e.tag in tags), None)


def _raw_text(element: _Element, line_after: frozenset[str] = frozenset()) -> str:
    """The text of `element` as it stands, <br> as a line break, and a line break after each
    element named in `line_after`."""
    parts: list[str] = []
    stack: list[_Element | str] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
        elif node.tag == "br":
            parts.append("\n")
        else:
            if node.tag in line_after:
                stack.append("\n")
            stack.extend(reversed(node.children))
    return "".join(parts)


def _html_text(element: _Element) -> str:
    return _WS.sub(" ", _raw_text(element)).strip()


def _start_tag(element: _Element) -> str:
    attrs = "".join(f' {name}="{html_escape(value)}"' for name, value in element.attrs.items())
    return f"<{element.tag}{attrs}>"


class _EndTag:
    __slots__ = ("element",)

    def __init__(self, element: _Element):
        self.element = element


def _outer_html(element: _Element) -> str:
    """`element` serialized as HTML (what `blocks.raw` keeps)."""
    parts: list[str] = []
    stack: list = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(html_escape(node, quote=False))
        elif isinstance(node, _EndTag):
            parts.append(f"</{node.element.tag}>")
        else:
            parts.append(_start_tag(node))
            if node.tag not in _HTML_VOID:
                stack.append(_EndTag(node))
                stack.extend(reversed(node.children))
    return "".join(parts)


def _image_link(img: _Element) -> Link:
    return Link("image", (img.get("alt") or "").strip() or None, (img.get("src") or "").strip() or None)


def _html_links(element: _Element) -> list[Link]:
    """Links (<a href>) then images (<img>) of `element`, itself included, in document order."""
    elements = list(_iter_elements(element))
    links = [Link("link", _html_text(a) or None, a.attrs["href"].strip())
             for a in elements if a.tag == "a" and a.get("href")]
    return links + [_image_link(img) for img in elements if img.tag == "img"]


def _class_hint(element: _Element) -> str | None:
    if not element.attrs:
        return None
    attrs = " ".join(element.get(name, "") for name in ("class", "id", "itemprop", "rel"))
    for pattern, hint in _CLASS_HINTS:
        if pattern.search(attrs):
            return None if hint == "boilerplate" and element.below & _HOLDS_HEADLINE else hint
    return None


def _chrome_hint(element: _Element) -> str | None:
    """"boilerplate" for page chrome (<nav>, <footer>, <aside>, share bars, newsletter boxes …),
    unless the element holds the article itself (its <h1> or an <article>)."""
    if element.tag in _HTML_CHROME or _class_hint(element) == "boilerplate":
        if not element.below & _HOLDS_HEADLINE:
            return "boilerplate"
    return None


def _inline_lines(nodes: list) -> list[tuple[str, str, list[Link]]]:
    """Loose inline content (text and inline elements) cut into lines at <br> and line breaks:
    (raw HTML, plain text, links) per line. An element cut by a line break is open at the end
    of one line's raw and closed in the next, as in the input."""
    lines: list[tuple[str, str, list[Link]]] = []
    raw: list[str] = []
    text: list[str] = []
    links: list[Link] = []
    open_anchors: list[tuple[Link, list[str]]] = []

    def end_line() -> None:
        nonlocal raw, text, links
        lines.append(("".join(raw).strip(), _WS.sub(" ", "".join(text)).strip(), links))
        raw, text, links = [], [], []

    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            for k, piece in enumerate(node.split("\n")):
                if k:
                    end_line()
                raw.append(html_escape(piece, quote=False))
                text.append(piece)
                for _, anchor_text in open_anchors:
                    anchor_text.append(piece)
        elif isinstance(node, _EndTag):
            raw.append(f"</{node.element.tag}>")
            if node.element.tag == "a" and node.element.get("href"):
                link, anchor_text = open_anchors.pop()
                link.text = _WS.sub(" ", "".join(anchor_text)).strip() or None
        elif node.tag == "br":
            end_line()
        else:
            raw.append(_start_tag(node))
            if node.tag == "img":
                links.append(_image_link(node))
            if node.tag in _HTML_VOID:
                continue
            if node.tag == "a" and node.get("href"):
                link = Link("link", None, node.attrs["href"].strip())
                links.append(link)
                open_anchors.append((link, []))
            stack.append(_EndTag(node))
            stack.extend(reversed(node.children))
    end_line()
    return lines


def units_from_html(html: str, tree: _Element | None = None) -> list[Unit]:
    """Block elements in document order. Scripts, styles and forms are dropped; iframes and tweet
    blockquotes become embeds; <nav>/<footer>/<aside> and share/newsletter widgets are boilerplate;
    loose text in containers is split at <br> and line breaks like lines of text. `tree`: the
    page already parsed by `parse_html_tree`."""
    units: list[Unit] = []
    seen_h1 = False
    inline: list = []

    def flush(chrome_hint: str | None) -> None:
        """Loose inline content of a container becomes one unit per line."""
        if not inline:
            return
        lines = _inline_lines(inline)
        inline.clear()
        for raw, plain, links in lines:
            if plain:
                units.append(Unit(raw=raw, text=plain, links=links, hint=chrome_hint))

    # One frame per open container: (its remaining children, the hint its loose content takes).
    # A frame is flushed when its children run out, as the recursive walk did on returning.
    frames: list[tuple] = [(iter((tree if tree is not None else parse_html_tree(html)).children), None)]
    while frames:
        children, chrome_hint = frames[-1]
        child = next(children, None)
        if child is None:
            frames.pop()
            flush(chrome_hint)
            continue
        if isinstance(child, str):
            inline.append(child)
            continue
        name = child.tag
        hint = chrome_hint or _chrome_hint(child) or _class_hint(child)
        is_embed = name == "iframe" or (name == "blockquote" and _EMBED_CLASSES.search(child.get("class", "")))
        if is_embed:
            flush(chrome_hint)
            src = child.get("src") or next(
                (a.attrs["href"] for a in reversed(list(_iter_elements(child)))
                 if a.tag == "a" and a.get("href") and SOCIAL_POST_URL.search(a.attrs["href"])),
                None,
            )
            lines = [_WS.sub(" ", line).strip() for line in _raw_text(child, frozenset({"p"})).split("\n")]
            text = "\n".join(line for line in lines if line) or (child.get("title") or "").strip()
            signature = text.rsplit("\n", 1)[-1].lstrip("—–- ")
            links = [Link("embed", signature[:200] or None, src)] if src else []
            units.append(Unit(raw=_outer_html(child), text=text, links=links, hint="embed"))
        elif name in _HTML_BLOCKS:
            flush(chrome_hint)
            if name == "hr":
                continue
            if name in ("img", "figure"):
                caption = _find(child, ("figcaption",))
                img = child if name == "img" else _find(child, ("img",))
                alt = (img.get("alt") or "").strip() if img is not None else ""
                text = _html_text(caption) if caption is not None else alt
                units.append(Unit(raw=_outer_html(child), text=text, links=_html_links(child),
                                  hint=chrome_hint or "image"))
                continue
            if child.below & _HOLDS_BLOCK:  # e.g. <li><p>…</p></li>, <blockquote><p>…
                frames.append((iter(child.children), hint))
                continue
            text = _html_text(child)
            if not text:
                if child.below & _HOLDS_IMG:
                    units.append(Unit(raw=_outer_html(child), text="", links=_html_links(child), hint="image"))
                continue
            if hint in ("byline", "section", "subtitle") and len(text) > 300:
                hint = None  # a class name on a long block says little
            if hint is None and name == "h1":
                hint = "heading" if seen_h1 else "title"
                seen_h1 = True
            elif hint is None and name in ("h2", "h3", "h4", "h5", "h6"):
                hint = "heading"
            elif hint is None and name == "li":
                hint = "item"
            units.append(Unit(raw=_outer_html(child), text=text, links=_html_links(child), hint=hint))
        elif name in _HTML_CONTAINERS:
            flush(chrome_hint)
            # Containers pass on only the boilerplate hint (a share bar, a footer): a wrapper
            # class like "category-news" says nothing about each of its blocks.
            frames.append((iter(child.children), hint if hint == "boilerplate" else None))
        elif child.below & (_HOLDS_BLOCK | _HOLDS_IMG | _HOLDS_DIV):  # an inline element around blocks
            flush(chrome_hint)
            frames.append((iter(child.children), hint))
        else:  # inline element (a, b, i, span, strong, em, time, …)
            inline.append(child)
    return units


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
    # datelines: only dates, times and the words around them ("Pubblicato il 12/02/2025 alle 18:40")
    r"(?=.*\d)(?:(?:pubblicat[oa]|aggiornat[oa])\b|(?:il|alle|ore|h)\b|"
    r"(?:lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|gennaio|febbraio|marzo|aprile|maggio|giugno"
    r"|luglio|agosto|settembre|ottobre|novembre|dicembre|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic)\b\.?"
    r"|\d{1,4}|[\s,/.:|–-])+",
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
    return last_char(text) in tuple(_TERMINAL + ":;,")


def is_post_signature(text: str) -> bool:
    return bool(_POST_SIGNATURE.match(text) or _INSTAGRAM_SIGNATURE.match(text))


def _is_title_shaped(text: str, config: ParseConfig) -> bool:
    return (
        len(text) <= config.title_max_chars
        and last_char(text) not in (".", ";", ",", ":")
        and not starts_lowercase(text)
        and n_words(text) >= 2
        and len(_SENTENCE_BREAK.findall(text)) <= 1  # "Crisi, il premier si dimette. Il Colle: «Consultazioni»"
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
        title_key = _norm_for_compare(title)
        for u in units[title_index + 1:]:
            if u.kind is None and _norm_for_compare(u.text) == title_key:
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
        and len(_SENTENCE_BREAK.findall(u.text)) <= 1
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
                    or any(q in prev.text for q in _QUOTE_CHARS) or prev.text.rstrip().endswith(":")):
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


# --- documents -> tables -----------------------------------------------------------------------


def parse_document(text: str, fmt: str, config: ParseConfig, main_text: str | None = None) -> ParsedDocument:
    """Blocks of one document. For HTML, `main_text` (the page's main text as trafilatura finds
    it, `pipeline.intake.webpage.main_text`) turns the paragraphs outside it into boilerplate
    (`mark_outside_main_text`), unless the page is nested too deep for lxml's tree builder."""
    if fmt == "html":
        tree = parse_html_tree(text)
        units = units_from_html(text, tree=tree)
        if main_text:
            from pipeline.intake.webpage import LXML_MAX_DEPTH

            if tree_depth(tree) <= LXML_MAX_DEPTH:
                mark_outside_main_text(units, main_text)
    else:
        units = units_from_text(drop_hidden_markup(text), markdown=fmt == "markdown")
    return classify_units(_without_markup(units), config)


def tree_depth(root: _Element) -> int:
    """How deeply elements nest below `root` (iterative: any depth)."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, _Element))
    return deepest


_MAIN_TEXT_HINTS = (None, "item", "heading")
_MAIN_TEXT_MATCH_BUDGET = 200_000_000  # characters compared at most (units x main text) before exact lines only


def _match_key(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def mark_outside_main_text(units: list[Unit], main_text: str) -> None:
    """Paragraphs, list items and headings of a web page that are not in its main text (navigation,
    comments, related-article lists, cookie banners) become boilerplate. Units the markup gives
    another role (title, subtitle, byline, image, embed, section) are left to the rules. Nothing
    changes when no paragraph is found in the main text (the extractor found something else)."""
    main_lines = {_match_key(line) for line in main_text.split("\n") if line.strip()}
    main_all = "\n".join(sorted(main_lines)) if len(main_lines) < 100_000 else ""
    candidates = [u for u in units if u.hint in _MAIN_TEXT_HINTS and u.text.strip()]
    scan = len(candidates) * len(main_all) <= _MAIN_TEXT_MATCH_BUDGET
    inside = []
    for u in candidates:
        key = _match_key(u.text)
        inside.append(key in main_lines or (scan and key in main_all))
    if not any(inside):
        return
    for u, is_main in zip(candidates, inside):
        if not is_main:
            u.hint = "boilerplate"


def _without_markup(units: list[Unit]) -> list[Unit]:
    """Tags left in the units' text removed; a unit that was nothing but markup is left out."""
    kept = []
    for u in units:
        if "<" in u.text:
            text = strip_markup(u.text)
            if not text.strip() and not u.links:
                continue
            u.text = text
        kept.append(u)
    return kept


_ANY_TAG = re.compile(r"<[a-z/!?][^<>]{0,2000}>", re.I)


def fallback_text(text: str, fmt: str) -> str:
    """The visible text of a document that could not be parsed, as one paragraph: hidden markup
    and tags removed (for HTML every tag, with entities decoded), spacing collapsed."""
    text = drop_hidden_markup(text)
    if fmt == "html":
        text = html_unescape(_ANY_TAG.sub(" ", text))
    return _WS.sub(" ", strip_markup(text)).strip()


def source_id_for(doc_id: str, outlet: str | None) -> str:
    """The outlet's slug when known, else a stable per-document id ("doc-" + 8 hex of doc_id)."""
    slug = slugify(outlet) if outlet else ""
    return slug or f"doc-{doc_id[:8]}"


# Columns of `documents` that only collection rows fill (absent from frames built by older code or tests).
_ROW_METADATA = {"row_id": pl.Utf8, "title": pl.Utf8, "author": pl.Utf8}
# Private column of the articles frame between `parse_documents` and `attach_published_dates`.
HTML_DATE = "html_published_date"


def _plain(value: str | None) -> str | None:
    """A metadata string as block text: tags (also ones spelled with entities) removed, one line."""
    if not value:
        return None
    text = _WS.sub(" ", strip_markup(html_unescape(value) if "&" in value else value)).strip()
    return text if has_letters(text) else None


def _with_row_metadata(documents: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in _ROW_METADATA.items()
               if name not in documents.columns]
    return documents.with_columns(missing) if missing else documents


def parse_documents(documents: pl.DataFrame, config: ParseConfig) -> dict[str, pl.DataFrame]:
    """documents -> {articles (without publication dates), blocks, links, sources}.

    Metadata, first given first: a collection row's own title, author, outlet, URL and date
    (documents columns) win over the text; for a web page (format html) what its markup states
    (`pipeline.intake.webpage.page_metadata`) comes next: the title when the text has none, the
    author, the site name as outlet when the manifest gives none, the canonical URL, and the date
    (kept in the private column `html_published_date` for `attach_published_dates`)."""
    from pipeline.intake.webpage import PageMetadata, main_text, page_metadata

    articles, blocks, links, outlets = [], [], [], []
    documents = _with_row_metadata(documents)
    rows = documents.select("doc_id", "path", "text", "format", "outlet", "url", "title", "author").iter_rows(named=True)
    for doc in progress(rows, desc="parse", total=documents.height):
        page = page_metadata(doc["text"]) if doc["format"] == "html" else PageMetadata()
        try:
            main = main_text(doc["text"]) if doc["format"] == "html" else None
            parsed = parse_document(doc["text"], doc["format"], config, main_text=main)
        except Exception:  # noqa: BLE001 - one bad document never stops the run
            log.exception("%s: parsing failed; the whole text is kept as one paragraph", doc["path"])
            parsed = ParsedDocument([Unit(raw=doc["text"], text=fallback_text(doc["text"], doc["format"]),
                                          kind="paragraph")], None, None, None, None)
        given_title = _plain(doc["title"]) or (None if parsed.title else _plain(page.title))
        if given_title and not parsed.title:
            parsed.blocks.insert(0, Unit(raw=given_title, text=given_title, kind="title"))
        for block_no, b in enumerate(parsed.blocks):
            blocks.append({"doc_id": doc["doc_id"], "block_no": block_no, "kind": b.kind, "text": b.text, "raw": b.raw})
            for link in b.links:
                links.append({"doc_id": doc["doc_id"], "block_no": block_no, "kind": link.kind,
                              "text": link.text, "target": link.target})
        outlet = doc["outlet"] or page.site_name
        outlets.append(outlet)
        articles.append({
            "doc_id": doc["doc_id"],
            "source_id": source_id_for(doc["doc_id"], outlet),
            "title": given_title or parsed.title,
            "subtitle": parsed.subtitle,
            "section": parsed.section,
            "byline": _plain(doc["author"]) or _plain(page.author) or parsed.byline,
            "n_blocks": len(parsed.blocks),
            "n_chars": len(doc["text"]),
            "url": doc["url"] or page.url,
            HTML_DATE: page.published_date,
        })
    schema = {k: v for k, v in TABLES["articles"].polars_schema.items()
              if k not in ("published_date", "published_date_source")}
    articles_df = pl.DataFrame(articles, schema={**schema, HTML_DATE: pl.Date})
    named = documents.select("doc_id", "path").with_columns(pl.Series("outlet", outlets, dtype=pl.Utf8))
    return {
        "articles": articles_df,
        "blocks": pl.DataFrame(blocks, schema=TABLES["blocks"].polars_schema),
        "links": pl.DataFrame(links, schema=TABLES["links"].polars_schema),
        "sources": build_sources(articles_df, named),
    }


def build_sources(articles: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """One row per source_id: the outlet's name (or "<file name> (outlet unknown)") and its documents.

    The file name comes first so that names cut short in charts stay distinguishable.
    """
    named = articles.select("doc_id", "source_id").join(documents.select("doc_id", "path", "outlet"), on="doc_id")
    named = named.with_columns(
        pl.coalesce(
            pl.col("outlet"),
            pl.format("{} (outlet unknown)", pl.col("path").map_elements(lambda p: PurePosixPath(p).name,
                                                                           return_dtype=pl.Utf8)),
        ).alias("name")
    )
    return named.group_by("source_id").agg(
        pl.col("name").min().alias("name"),  # min: deterministic when spellings of one outlet differ
        pl.len().cast(pl.Int64).alias("n_docs"),
    )


def document_plain_text(blocks: pl.DataFrame) -> pl.DataFrame:
    """doc_id -> the markup-free text of all its blocks, in reading order, one block per paragraph."""
    return (
        blocks.sort("doc_id", "block_no")
        .group_by("doc_id", maintain_order=True)
        .agg(pl.col("text").str.join("\n\n").alias("text"))
    )


def attach_published_dates(articles: pl.DataFrame, documents: pl.DataFrame, blocks: pl.DataFrame) -> pl.DataFrame:
    """Add published_date and published_date_source from `pipeline.nlp.pubdate`. A date given
    with the document comes first: the manifest's (`manifest`), a collection row's
    (`collection`), then the web page's markup (`html_meta`, the private `html_published_date`
    column, dropped here); the URL rule reads the article's URL (`articles.url`)."""
    from pipeline.nlp.pubdate import infer_published_dates

    documents = _with_row_metadata(documents)
    if HTML_DATE not in articles.columns:
        articles = articles.with_columns(pl.lit(None, dtype=pl.Date).alias(HTML_DATE))
    if "url" not in articles.columns:
        articles = articles.with_columns(pl.lit(None, dtype=pl.Utf8).alias("url"))
    given = documents.select(
        "doc_id",
        pl.col("url").alias("document_url"),
        pl.col("published_date").alias("document_date"),
        pl.when(pl.col("row_id").is_not_null()).then(pl.lit("collection")).otherwise(pl.lit("manifest"))
        .alias("document_date_source"),
    ).join(articles.select("doc_id", "url", HTML_DATE), on="doc_id", how="left")
    frame = (
        given.join(document_plain_text(blocks), on="doc_id", how="left")
        .with_columns(
            pl.col("text").fill_null(""),
            pl.coalesce("document_url", "url").alias("url"),
            pl.coalesce("document_date", HTML_DATE).alias("manifest_date"),
            pl.when(pl.col("document_date").is_not_null()).then(pl.col("document_date_source"))
            .when(pl.col(HTML_DATE).is_not_null()).then(pl.lit("html_meta"))
            .otherwise(pl.lit(None, dtype=pl.Utf8)).alias("manifest_date_source"),
        )
        .select("doc_id", "text", "url", "manifest_date", "manifest_date_source")
    )
    dates = infer_published_dates(frame).select("doc_id", "published_date", "published_date_source")
    return articles.drop(HTML_DATE).join(dates, on="doc_id", how="left")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = ParseConfig.from_params(load_params("parse"))
    documents = read_table("documents")
    tables = parse_documents(documents, config)
    tables["articles"] = attach_published_dates(tables["articles"], documents, tables["blocks"])
    for name, df in tables.items():
        write_table(name, df)
    n_untitled = tables["articles"].filter(pl.col("title").is_null()).height
    log.info("parse: %d articles (%d without a title), %d blocks, %d links, %d sources",
             tables["articles"].height, n_untitled, tables["blocks"].height, tables["links"].height,
             tables["sources"].height)


if __name__ == "__main__":
    main()
