"""Text and Markdown documents -> units: one unit per non-empty line, inline markup removed and
links, images and inline HTML collected.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape

from pipeline.parsing.syntax import (
    ATTRIBUTE,
    ENTITY,
    INLINE_ANCHOR,
    INLINE_IMG,
    LIST_ITEM,
    MD_AUTOLINK,
    MD_EMPHASIS,
    MD_ESCAPE,
    MD_HEADING_LINE,
    MD_IMAGE,
    MD_LINK,
    MD_QUOTE_PREFIX,
    MD_STRAY_EMPHASIS,
    strip_markup,
)
from pipeline.parsing.units import WHITESPACE, Link, Unit

def _inline_html(text: str, links: list[Link]) -> str:
    """Inline HTML in a markdown line: <a href> and <img> become links (an image leaves the text),
    entities are decoded; tags are removed later by `strip_markup`."""
    def image(m: re.Match) -> str:
        attrs = {k.lower(): v.strip("\"'") for k, v in ATTRIBUTE.findall(m.group(0))}
        links.append(Link("image", html_unescape(attrs.get("alt", "")).strip() or None,
                          html_unescape(attrs.get("src", "")).strip() or None))
        return " "

    def anchor(m: re.Match) -> str:
        attrs = {k.lower(): v.strip("\"'") for k, v in ATTRIBUTE.findall(m.group(1))}
        if attrs.get("href"):
            anchor_text = WHITESPACE.sub(" ", strip_markup(m.group(2))).strip()
            links.append(Link("link", html_unescape(anchor_text) or None, html_unescape(attrs["href"]).strip()))
        return m.group(2)

    if "<" in text:
        text = INLINE_IMG.sub(image, text)
        text = INLINE_ANCHOR.sub(anchor, text)
    if "&" in text:
        text = ENTITY.sub(lambda m: html_unescape(m.group(0)), text)
    return text


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
        text = MD_IMAGE.sub(image, text)
        text = MD_LINK.sub(link, text)
    if "<" in text:
        text = MD_AUTOLINK.sub(autolink, text)
    text = _inline_html(text, links)
    text = _strip_emphasis(text)
    if "\\" in text:
        text = MD_ESCAPE.sub(r"\1", text)
    return WHITESPACE.sub(" ", text).strip(), links


def _strip_emphasis(text: str) -> str:
    if not any(marker in text for marker in "*_~`"):
        return text
    for pattern in MD_EMPHASIS:
        text = pattern.sub(r"\1", text)
    # A bold span cut by a page break leaves an unpaired "**" at the edge of a line.
    return MD_STRAY_EMPHASIS.sub("", text)


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
        item = LIST_ITEM.match(raw)
        if not markdown:
            body = raw[item.end():] if item else raw
            units.append(Unit(raw=raw, text=WHITESPACE.sub(" ", body), hint="item" if item else None))
            continue
        hint = None
        body = raw
        heading = MD_HEADING_LINE.match(raw)
        if heading:
            body = heading.group(2)
            hint = "title" if len(heading.group(1)) == 1 and not seen_h1 else "heading"
            seen_h1 = seen_h1 or hint == "title"
        elif not MD_IMAGE.match(raw):
            body = MD_QUOTE_PREFIX.sub("", raw)
            if item := LIST_ITEM.match(body):
                body, hint = body[item.end():], "item"
        plain, links = strip_inline_markdown(body)
        if not plain and any(link.kind == "image" for link in links):
            hint = "image"
            plain = " ".join(link.text for link in links if link.kind == "image" and link.text)
        units.append(Unit(raw=raw, text=plain, links=links, hint=hint))
    return units
