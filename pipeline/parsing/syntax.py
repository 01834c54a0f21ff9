"""The syntax of markup, declared once: HTML tags and entities, Markdown inline and line syntax.

The markdown parser (`pipeline.parsing.markdown`) strips what these patterns match; format
detection and the visible-text reader of `ingest` (`pipeline.intake.detect`) look for it.
"""

from __future__ import annotations

import re

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
SPACING_TAG = re.compile(r"</?(?:br|p|div|li|h[1-6]|td|th|tr|dt|dd|blockquote|hr|section|article)\b", re.I)
HIDDEN_OPENING = re.compile(r"<!--|<!\[CDATA\[|<(script|style)\b[^<>]{0,2000}>", re.I)
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
ATTRIBUTE = re.compile(r"""([a-z][\w:-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>]+)""", re.I)
INLINE_IMG = re.compile(r"(?<!<)<img\b[^<>]{0,2000}>", re.I)
INLINE_ANCHOR = re.compile(r"(?<!<)<a\s([^<>]{0,2000})>(.{0,1000}?)</a\s*>", re.I)


def drop_hidden_markup(text: str) -> str:
    """The text without what a browser never shows: comments, CDATA sections, <script> and <style>
    elements, whole (they may span lines). An opening that is never closed loses only itself."""
    if "<" not in text:
        return text
    lowered = text.lower()
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # closings already known to be absent past some point
    while m := HIDDEN_OPENING.search(text, pos):
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
        stripped = MARKUP_TAG.sub(lambda m: " " if SPACING_TAG.match(m.group(0)) else "", text)
        if stripped == text:
            break
        text = stripped
    return re.sub(r"[^\S\n]{2,}", " ", text).strip()


# --- markdown ----------------------------------------------------------------------------------

MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
MD_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])"),
    re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
    re.compile(r"`([^`\n]+)`"),
)
MD_STRAY_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__)(?=\w)|(?<=[\w.,;:!?…\"”’»)])(\*\*|__)(?!\w)")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
MD_HEADING_LINE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
MD_QUOTE_PREFIX = re.compile(r"^(?:>\s?)+")
# A list item: "- ", "* ", "+ ", "• ", "1. ", "2) ". En and em dashes are not bullets: Italian uses
# them to open dialogue and quotations.
LIST_ITEM = re.compile(r"^(?:[-*+•▪·]|\d{1,3}[.)])\s+(?=\S)")


# --- what format detection and the visible-text reader look for (pipeline.intake.detect) ----------
# Bounded patterns: a long line of "[[[[" or "**" must not cost the square of its length, and a failed
# match never scans past the next bracket, tag or line end.

HTML_DOC = re.compile(r"\A\s*(<!doctype\s+html|<html[\s>]|<\?xml[^<>]{0,1000}>\s*<html)", re.I)
# The common tags of a page: text dense in them is HTML even without <html>.
HTML_COMMON_TAG = re.compile(r"</?(p|div|span|a|br|h[1-6]|article|section|img|ul|ol|li|figure|table|body|head|script)\b[^<>]{0,4000}>", re.I)
ANY_TAG = re.compile(r"</?[A-Za-z!?][^<>]{0,4000}>")
HTML_COMMENT_OPEN = "<!--"
# Elements whose content a browser does not show.
HIDDEN_ELEMENT = re.compile(r"<(script|style|noscript|template|svg|math|iframe|object)\b", re.I)
MD_IMAGE_OR_LINK = re.compile(r"!?\[([^\[\]\n]{0,1000})\]\((?:data:[^)\s\[\]]*|[^)\s\[\]]{0,4000})(?:\s+\"[^\"\n]{0,1000}\")?\)")
MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]{1,200}\]:[^\n]*$", re.M)
MD_HEADING_START = re.compile(r"^#{1,6}\s+\S", re.M)
MD_STRONG = re.compile(r"\*\*(?=\S)[^\n*]{1,300}(?<=\S)\*\*|__(?=\S)[^\n_]{1,300}(?<=\S)__")
MD_LIST_OR_QUOTE = re.compile(r"^(?:[-*+]\s+\S|\d+\.\s+\S|>\s+\S)", re.M)
# Characters of Markdown syntax, and list markers at the start of a line.
MARKUP_CHARS = re.compile(r"[*_#>`|~=]+|^\s{0,3}(?:[-+*]|\d{1,3}\.)\s", re.M)
