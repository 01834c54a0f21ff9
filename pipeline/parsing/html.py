"""HTML documents -> units: one unit per block element, in document order.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape as html_escape

from pipeline.parsing.rules import SOCIAL_POST_URL
from pipeline.parsing.units import WHITESPACE, Link, Unit

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
    return WHITESPACE.sub(" ", _raw_text(element)).strip()


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
        lines.append(("".join(raw).strip(), WHITESPACE.sub(" ", "".join(text)).strip(), links))
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
                link.text = WHITESPACE.sub(" ", "".join(anchor_text)).strip() or None
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
            lines = [WHITESPACE.sub(" ", line).strip() for line in _raw_text(child, frozenset({"p"})).split("\n")]
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
    return WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


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
