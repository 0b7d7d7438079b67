"""Limited formatting for texts written in Tremplin and shown on the public site and in emails.

People type plain text (blank lines between paragraphs; web addresses become links) or a few
HTML tags (paragraphs, bold, italics, links, lists, subheadings, quotes). Everything else is
removed by nh3: scripts and styles with their content, inline event handlers, ``javascript:``
links, images, frames, forms.
"""

import re
from html.parser import HTMLParser

import nh3
from django.utils.html import urlize

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCK = re.compile(r"<\s*(p|h[1-6]|ul|ol|blockquote|div|table)\b", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def plain_to_html(text: str) -> str:
    """Paragraphs from blank lines, line breaks kept, web addresses turned into links."""
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n")) if p.strip()]
    html = []
    for paragraph in paragraphs:
        lines = [urlize(line, autoescape=True) for line in paragraph.split("\n")]
        html.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(html)


def clean_html(value: str | None) -> str:
    """Sanitized HTML from what someone typed (plain text or limited HTML)."""
    text = (value or "").strip()
    if not text:
        return ""
    if not looks_like_html(text):
        text = plain_to_html(text)
    elif not _BLOCK.search(text):
        # Inline markup only (a link, some bold): paragraphs still come from blank lines.
        paragraphs = [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n"))]
        text = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs if p)
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    return cleaned if html_to_text(cleaned) else ""


# --------------------------------------------------------------------------- email styling

EMAIL_STYLES = {
    "p": "margin:0 0 16px 0;",
    "h2": "margin:24px 0 8px 0;font-size:20px;line-height:26px;color:#08425a;",
    "h3": "margin:20px 0 8px 0;font-size:17px;line-height:23px;color:#08425a;",
    "ul": "margin:0 0 16px 0;padding-left:24px;",
    "ol": "margin:0 0 16px 0;padding-left:24px;",
    "li": "margin:0 0 4px 0;",
    "blockquote": "margin:0 0 16px 0;padding-left:12px;border-left:4px solid #cfd8e3;",
    "a": "color:#0b5a7a;text-decoration:underline;",
}
_STYLED_TAG = re.compile(r"<(" + "|".join(EMAIL_STYLES) + r")(?=[\s>])")


def email_styled(html: str) -> str:
    """Inline styles on sanitized HTML, for email clients that ignore style sheets.

    Only applied to the output of ``clean_html`` (its tags carry no ``style`` attribute), in
    email bodies and in the sandboxed preview of an email, never on the site's own pages.
    """
    return _STYLED_TAG.sub(lambda m: f'<{m.group(1)} style="{EMAIL_STYLES[m.group(1)]}"', html)


# --------------------------------------------------------------------------- plain text


class _TextWriter(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "ul", "ol", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "a":
            text = "".join(self.link_text).strip()
            if self.href and self.href not in text:
                self.out.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        data = re.sub(r"\s+", " ", data)
        if self.href is not None:
            self.link_text.append(data)
        self.out.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from sanitized HTML (paragraphs, list dashes, link addresses)."""
    writer = _TextWriter()
    writer.feed(html or "")
    writer.close()
    text = "".join(writer.out)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def excerpt(html: str, length: int = 280) -> str:
    """The beginning of a text, cut at a word, for story cards."""
    text = " ".join(html_to_text(html).split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


# --------------------------------------------------------------------------- personal information

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def personal_information(text: str) -> list[str]:
    """What in a text looks like someone's contact details (email address, phone number)."""
    plain = html_to_text(text) if looks_like_html(text or "") else (text or "")
    found = _EMAIL.findall(plain) + _PHONE.findall(plain)
    return found
