"""Saved web pages: the page's own metadata and its main text, read with trafilatura and htmldate.

- `page_metadata`: title, author, site name and canonical URL from `<meta>` tags (Open Graph,
  Dublin Core, `name="author"` …), JSON-LD and `<link rel="canonical">` (trafilatura's
  `extract_metadata`; the site name falls back to the canonical URL's host), and the publication
  date from the page's markup only (htmldate with `extensive_search=False` and no URL: meta tags,
  JSON-LD, `<time>` elements). A date that only the URL states is left to the pipeline's own
  URL rule (`pipeline.nlp.pubdate`, source `url`), so that `html_meta` means the markup said it.
- `main_text`: the article's text as trafilatura finds it, one paragraph per line, without
  navigation, comments, related-article lists, cookie banners and other page furniture.

Determinism: htmldate by default rejects dates after "today" (a clock read); the bound here is a
fixed date, so the same page gives the same date on every run.

Logging: trafilatura and htmldate log ERROR and WARNING records for pages they decline and handle
themselves by returning None: "parsed tree length: 0, wrong data type or not valid HTML" for a
document that is one bare paragraph, "empty HTML tree", "discarding data" for a page with little
text. Here those are ordinary inputs (no main text: the caller keeps every paragraph; a page with
no visible text at all was already rejected by ingest as `empty`), so their loggers are raised to
CRITICAL when the first page is read, unless a level was set on them already (set one, e.g.
`logging.getLogger("trafilatura").setLevel(logging.DEBUG)`, to see them). What raises is caught
and logged as this module's own warning.

Depth: trafilatura parses with lxml's tree builder, which (libxml2) silently stops at 256 levels
of nesting and drops the rest of the page. The caller (`pipeline.parsing.document`) measures the depth with
its own iterative parser and ignores `main_text` for pages deeper than `LXML_MAX_DEPTH`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass

log = logging.getLogger("pipeline.intake.webpage")

LXML_MAX_DEPTH = 250  # libxml2's limit is 256 nested elements; keep a margin
_DATE_BOUNDS = {"min_date": "1990-01-01", "max_date": "2099-12-31"}
_MAX_META_CHARS = 300


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    published_date: dt.date | None = None
    site_name: str | None = None
    url: str | None = None


def _clean(value: object, limit: int = _MAX_META_CHARS) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text[:limit] if text else None


_PAGE_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan")


@functools.cache
def quiet_page_libraries() -> None:
    """Raise the page libraries' loggers to CRITICAL, unless a level was set on them (see the
    module docstring). Once per process."""
    for name in _PAGE_LIBRARY_LOGGERS:
        library_log = logging.getLogger(name)
        if library_log.level == logging.NOTSET:
            library_log.setLevel(logging.CRITICAL)


def _load(html: str):
    from trafilatura import load_html

    quiet_page_libraries()
    return load_html(html)


def page_metadata(html: str) -> PageMetadata:
    """What the page says about itself (see the module docstring). Never raises: a page whose
    metadata cannot be read gives an empty `PageMetadata`."""
    try:
        from htmldate import find_date
        from trafilatura import extract_metadata

        tree = _load(html)
        if tree is None:
            return PageMetadata()
        meta = extract_metadata(tree, date_config={"extensive_search": False, "original_date": True,
                                                   "url": "", **_DATE_BOUNDS})
        date_text = find_date(tree, extensive_search=False, original_date=True, url="", **_DATE_BOUNDS)
    except Exception as err:  # noqa: BLE001 - broken markup must not stop the run
        log.warning("page metadata not read: %s: %s", type(err).__name__, err)
        return PageMetadata()
    published = None
    if date_text:
        try:
            published = dt.date.fromisoformat(date_text[:10])
        except ValueError:
            published = None
    url = _clean(meta.url, 2000)
    if url and not url.lower().startswith(("http://", "https://")):
        url = None
    return PageMetadata(title=_clean(meta.title), author=_clean(meta.author), published_date=published,
                        site_name=_clean(meta.sitename, 120), url=url)


def main_text(html: str) -> str | None:
    """The main text of the page (trafilatura, tables kept, comments left out), one paragraph
    per line; None when trafilatura finds none or fails."""
    try:
        from trafilatura import extract

        quiet_page_libraries()
        text = extract(html, include_comments=False, include_tables=True, include_images=False,
                       include_links=False, output_format="txt", deduplicate=False, with_metadata=False,
                       date_extraction_params={"extensive_search": False, **_DATE_BOUNDS})
    except Exception as err:  # noqa: BLE001
        log.warning("main text not extracted: %s: %s", type(err).__name__, err)
        return None
    return text or None
