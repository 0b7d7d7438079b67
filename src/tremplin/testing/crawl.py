"""Crawl the site as one person: every page reachable by following links from the home page.

Used by the English crawl (no French left in the interface once English is chosen) and the
accessibility crawl (axe-core on every page, every role). The test client does the crawl: it is
fast, and the browser only visits the URLs it found.

What is followed: same-origin ``<a href>`` links (``area`` too), GET only, never a link whose
route is a deletion, a sign-out or a file download (PDF, Word, Excel, CSV, iCalendar, images,
feeds: their own tests render them; the PDF renders take seconds). GET is safe in this project,
so following every other link changes nothing but the audit journal (reads of case files are
logged).

Deduplication: one visit per *route pattern*, that is the view's namespaced name, the kwargs that
choose a kind of page rather than an object (``kind``, ``fmt``) and the names of the query
parameters (``?page=``, ``?q=``). The 170 buildings of the demo make one visit, a filtered list
one more.

``Page.failed`` lists the links that answered an error (a 404 or a 500 on a link found in the
site is a bug).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.urls import Resolver404, resolve

# Routes never followed: sign-out, deletions, ending sessions, and file downloads (the formats'
# own tests render them; the PDF renders take seconds).
SKIPPED_ROUTE = re.compile(
    r"^(logout|set_language|favicon|health|.*-delete|session-end|sessions-end-others|"
    r"export.*|.*-export|.*-docx|.*-download|print-pdf|report|site-qr|results-chart|"
    r".*-image|feed|event-ics|edition-preview-frame)$"
)
SKIPPED_SUFFIX = re.compile(r"\.(pdf|docx|xlsx|csv|ics|atom|xml|svg|png|jpe?g|gif|webp|zip|json)$")
# Django's admin and the REST API (its Swagger page is the library's) are not the interface.
SKIPPED_PREFIX = ("/static/", "/media/", "/admin/", "/i18n/", "/api/")
# Kwargs naming a kind of page rather than one object: part of the pattern.
KIND_KWARGS = frozenset({"kind", "fmt"})
HREF = re.compile(r"""<a(?:rea)?\s[^>]*?href\s*=\s*["']([^"'#][^"']*)["']""", re.IGNORECASE)


@dataclass
class Page:
    url: str
    key: tuple
    status: int
    content: str
    found_on: str
    links: list[str] = field(default_factory=list)


def route_key(path: str, query: str = "") -> tuple | None:
    """(view name, kind kwargs, query parameter names), or None for a path no route serves."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kinds = tuple(sorted((k, str(v)) for k, v in match.kwargs.items() if k in KIND_KWARGS))
    params = tuple(sorted({name for name, _value in parse_qsl(query, keep_blank_values=True)}))
    return (match.view_name, kinds, params)


def followed(path: str, key: tuple | None) -> bool:
    if path.startswith(SKIPPED_PREFIX) or SKIPPED_SUFFIX.search(path):
        return False
    if key is None:
        return True  # visited, so that a dead link is reported
    name = key[0].rpartition(":")[2]
    return not SKIPPED_ROUTE.search(name)


def links_of(html: str, base: str) -> list[str]:
    """Same-origin paths (with their query) of the page's links."""
    from urllib.parse import urljoin

    out = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&").strip()
        if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        absolute = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(absolute)
        if parts.netloc not in ("", "testserver"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def fetch(client, url: str, **headers):
    response = client.get(url, **headers)
    if getattr(response, "streaming", False):
        # Read to the end: closing a streaming response closes the database connection.
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response, body


def crawl(client, start=("/",), *, limit: int = 1000, keep=None) -> list[Page]:
    """Breadth-first from ``start``: one ``Page`` per route pattern (HTML pages only).

    ``keep(path, key)`` may refuse more links (e.g. a role's pages only)."""
    seen: set[tuple] = set()
    queue = deque((url, "(start)") for url in start)
    pages: list[Page] = []
    while queue and len(pages) < limit:
        url, found_on = queue.popleft()
        parts = urlsplit(url)
        key = route_key(parts.path, parts.query) or ("(unresolved)", parts.path)
        if key in seen or not followed(parts.path, route_key(parts.path)):
            continue
        if keep is not None and not keep(url, key):
            continue
        seen.add(key)
        response, body = fetch(client, url)
        content_type = response.get("Content-Type", "")
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append((response["Location"], url))
            continue
        html = body.decode(response.charset or "utf-8") if "html" in content_type else ""
        page = Page(url=url, key=key, status=response.status_code, content=html, found_on=found_on)
        if html:
            page.links = links_of(html, url)
            queue.extend((link, url) for link in page.links)
        pages.append(page)
    return pages


def first_seen(pages_by_role: dict, always=("core:home",)) -> dict:
    """Role → the pages of its crawl that no earlier role reached (by route pattern), and the
    pages of ``always`` (the home page: its menu is the role's). The order of ``pages_by_role``
    decides who gets a page that several roles reach."""
    seen: set[tuple] = set()
    out = {}
    for role, pages in pages_by_role.items():
        mine = [
            p
            for p in pages
            if p.status == 200 and p.content and (p.key not in seen or p.key[0] in always)
        ]
        seen.update(p.key for p in mine)
        out[role] = mine
    return out


def failures(pages: list[Page]) -> list[str]:
    """The links of the crawl that answered an error (404, 405, 500…)."""
    return [f"{p.status} {p.url} (linked from {p.found_on})" for p in pages if p.status >= 400]


# --------------------------------------------------------------------------- untranslated text
#
# What the interface says is the text of the page's elements and the attributes people read or
# hear (placeholder, aria-label, title, alt, a button's value). A page in English must hold no
# French there, except data: what people entered (in French, and kept as entered) and what is
# marked as French (``lang="fr"``, the language switch) or literal (``code``, ``kbd``, ``pre``:
# a column name the importer expects, an example).
#
# Two ways to tell French interface text, both after taking the data out of each piece of text:
#
# * French words: a word of the catalogues' French source strings that no English translation
#   uses ("modifier", "enregistrer", "aucun", "des"), or a word with French accents that no
#   translation uses;
# * hard-coded text: a piece of text that the English page shows exactly as the French page
#   shows it, and that is neither data nor a word of the English translations (a French string
#   written in a template or a Python file without ``translate``/``gettext``).
#
# Data are the text values of every row in the database (the demo), decrypted, with the text
# of rich-text values and each line of multi-line values.

READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "aria-description")
LITERAL_TAGS = frozenset({"script", "style", "code", "kbd", "samp", "pre", "template"})
WORD = re.compile(r"[^\W\d_]+")
FRENCH_LETTERS = re.compile(r"[éèêëàâîïôûùüÿçœæ]", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")
SPACES = re.compile(r"\s+")
TOKEN = re.compile(r"\w+")
# Not words of a language: addresses, identifiers of the code (``follow_ups``, ``False``).
CODE = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b\w+_\w+\b|\b(?:True|False|None)\b")
LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# Pieces of a text between separators; one of 12 characters or more found in the data is data
# (a label cut short: "2. Dans l'ensemble, êtes-vous satisfait·e de la vie d → 1").
SEPARATORS = re.compile(r"\s*(?:[→·|–—:;()«»\[\]]|\s-\s|\d+[.)]?\s)\s*")
# Words that are the same in both languages without being in a translation: the product's name,
# the language switch.
SAME_IN_BOTH = frozenset({"tremplin", "français", "english"})


def normalize(text: str) -> str:
    return SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if len(w) > 1 or FRENCH_LETTERS.match(w)]


def text_pieces(content: str) -> list[str]:
    """The page's text nodes and read attributes, whitespace collapsed, outside literal
    elements and elements marked in another language than the page's (``lang="fr"`` in an
    English page)."""
    from lxml import html as lxml_html

    if not content.strip():
        return []
    root = lxml_html.document_fromstring(content)
    page_language = (root.get("lang") or "")[:2]
    out: list[str] = []

    def visit(element, skipped: bool):
        tag = element.tag if isinstance(element.tag, str) else ""
        lang = (element.get("lang") or page_language)[:2] if tag else page_language
        inner_skipped = skipped or tag in LITERAL_TAGS or not tag or lang != page_language
        if tag and not inner_skipped:
            for name in READ_ATTRIBUTES:
                if element.get(name):
                    out.append(element.get(name))
            if tag == "input" and element.get("type") in ("submit", "button", "reset"):
                out.append(element.get("value") or "")
            if tag == "meta" and element.get("name") == "description":
                out.append(element.get("content") or "")
        if not inner_skipped and element.text:
            out.append(element.text)
        for child in element:
            visit(child, inner_skipped)
            if child.tail and not inner_skipped:
                out.append(child.tail)

    visit(root, False)
    return [p for p in (normalize(p) for p in out) if p]


@dataclass
class Vocabulary:
    """The catalogues' words: French-only words and the words of the English translations."""

    french_only: frozenset
    english: frozenset

    @classmethod
    def from_catalogues(cls, paths) -> Vocabulary:
        import polib

        french: set[str] = set()
        english: set[str] = set(SAME_IN_BOTH)
        for path in paths:
            for entry in polib.pofile(str(path)):
                if entry.obsolete:
                    continue
                sources = [entry.msgid, entry.msgid_plural]
                targets = [entry.msgstr, *entry.msgstr_plural.values()]
                for text in sources:
                    french.update(words(PLACEHOLDER.sub(" ", text or "")))
                for text in targets:
                    english.update(words(PLACEHOLDER.sub(" ", text or "")))
        return cls(frozenset(french - english), frozenset(english))


class Data:
    """The text the database holds, to tell data from interface text."""

    def __init__(self, values):
        self.exact: set[str] = set()
        self.by_first_word: dict[str, list[str]] = {}
        for value in values:
            for piece in self._pieces(value):
                self.exact.add(piece)
        self.blob = "\x00".join(self.exact)
        for piece in self.exact:
            first = TOKEN.search(piece.lower())
            if first:
                self.by_first_word.setdefault(first.group(), []).append(piece)
        for candidates in self.by_first_word.values():
            candidates.sort(key=len, reverse=True)

    @staticmethod
    def _pieces(value: str):
        value = str(value)
        yield normalize(value)
        if "\n" in value:
            for line in value.splitlines():
                if line.strip():
                    yield normalize(line)
                    yield normalize(LIST_MARKER.sub("", line))
        if "<" in value and ">" in value:
            yield from text_pieces(f"<div>{value}</div>")

    @classmethod
    def from_database(cls) -> Data:
        """Every text value of every model's rows (encrypted fields decrypted by the ORM)."""
        from django.apps import apps
        from django.db import models

        skipped = {"sessions", "contenttypes", "admin", "auth.permission"}
        values: list[str] = []
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label in skipped or meta.label_lower in skipped:
                continue
            fields = [
                f.attname
                for f in meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
                and not f.choices
            ]
            if not fields:
                continue
            for row in model._base_manager.values_list(*fields).iterator():
                for value in row:
                    values.extend(_strings(value))
        return cls(values)

    def remove(self, text: str) -> str:
        """``text`` with the data it holds blanked out: every data value it holds as whole
        words, and every piece between separators found in the data (a label cut short)."""
        if text in self.exact or text.rstrip("…").strip() in self.exact:
            return ""
        covered = bytearray(len(text))
        for match in TOKEN.finditer(text.lower()):
            start = match.start()
            for candidate in self.by_first_word.get(match.group(), ()):
                end = start + len(candidate)
                if text.startswith(candidate, start) and (
                    end == len(text) or not text[end].isalnum()
                ):
                    covered[start:end] = b"\x01" * len(candidate)
                    break  # the longest one
        start = 0
        for separator in [*SEPARATORS.finditer(text), None]:
            end = separator.start() if separator else len(text)
            chunk = text[start:end].strip(" .,!?…")
            if len(chunk) >= 12 and chunk in self.blob:
                covered[start:end] = b"\x01" * (end - start)
            start = separator.end() if separator else end
        return "".join(" " if covered[i] else ch for i, ch in enumerate(text))


def _strings(value):
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@dataclass
class Finding:
    text: str
    why: str
    url: str
    route: str


def untranslated(english_pages, french_pages, vocabulary: Vocabulary, data: Data):
    """Findings: French interface text in the English pages (``french_pages``: the same URLs
    rendered in French, url → content)."""
    findings: dict[str, Finding] = {}
    for page in english_pages:
        pieces = text_pieces(page.content)
        french = set(text_pieces(french_pages.get(page.url, "")))
        for piece in pieces:
            if piece in findings:
                continue
            rest = CODE.sub(" ", data.remove(piece))
            rest_words = words(rest)
            if not rest_words:
                continue
            french_words = [
                w
                for w in rest_words
                if w in vocabulary.french_only
                or (FRENCH_LETTERS.search(w) and w not in vocabulary.english)
            ]
            if french_words:
                why = "French words: " + ", ".join(dict.fromkeys(french_words))
            elif piece in french and any(w not in vocabulary.english for w in rest_words):
                why = "same text in the French page, not data"
            else:
                continue
            findings[piece] = Finding(piece, why, page.url, page.key[0])
    return list(findings.values())
