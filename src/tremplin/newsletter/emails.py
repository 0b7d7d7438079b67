"""Messages of the newsletter: an edition as multipart email (plain text + HTML with its images
inline), its browser preview, and the subscription emails (confirmation link, already
subscribed).

An edition is rendered once per language and send; each recipient's message differs only by
its unsubscribe link, substituted into the rendered text (``UNSUBSCRIBE_MARK``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from email.mime.image import MIMEImage
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import sanitize, tokens
from .models import Edition, SectionKind, SitePage, SitePageSlug, Story, Subscriber

UNSUBSCRIBE_MARK = "https://tremplin.invalid/desabonnement-a-remplacer"


def site_url() -> str:
    """The public base URL of the site, for links in emails (``TREMPLIN_SITE_URL``)."""
    return getattr(settings, "TREMPLIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path


def newsletter_from() -> str:
    return getattr(settings, "TREMPLIN_NEWSLETTER_FROM", "") or settings.DEFAULT_FROM_EMAIL


def list_id() -> str:
    host = urlsplit(site_url()).hostname or "localhost"
    return f"Infolettre Tremplin <infolettre.{host}>"


def unsubscribe_url(subscriber: Subscriber | None) -> str:
    token = tokens.unsubscribe_token(subscriber) if subscriber else tokens.test_unsubscribe_token()
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def confirm_url(subscriber: Subscriber) -> str:
    return absolute(reverse("newsletter:confirm", args=[tokens.confirm_token(subscriber)]))


def edition_label(edition: Edition) -> str:
    """« Infolettre no 12 · automne 2025 » in the active language."""
    return _("Infolettre n° %(number)s · %(season)s %(year)s") % {
        "number": edition.number,
        "season": edition.get_season_display().lower(),
        "year": edition.year,
    }


def edition_subject(edition: Edition) -> str:
    return f"{edition.display_title} — {edition_label(edition)}"


@dataclass
class InlineImage:
    cid: str
    content: bytes
    mimetype: str


@dataclass
class RenderedEdition:
    subject: str
    html: str
    text: str
    images: list[InlineImage] = field(default_factory=list)

    def for_recipient(self, url: str) -> tuple[str, str]:
        return self.html.replace(UNSUBSCRIBE_MARK, url), self.text.replace(UNSUBSCRIBE_MARK, url)


def _read(file_field) -> bytes | None:
    if not file_field:
        return None
    try:
        with file_field.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


class _Images:
    """Images of one rendering: ``cid:`` references (email) or ``data:`` URIs (preview)."""

    def __init__(self, mode: str):
        self.mode = mode
        self.inline: list[InlineImage] = []

    def src(self, file_field, mimetype: str, key: str) -> str | None:
        content = _read(file_field)
        if content is None:
            return None
        if self.mode == "data":
            return f"data:{mimetype};base64,{base64.b64encode(content).decode()}"
        cid = f"{key}@tremplin"
        self.inline.append(InlineImage(cid=cid, content=content, mimetype=mimetype))
        return f"cid:{cid}"


def _sender_text() -> tuple[str, str]:
    """(HTML, text) identifying the sender with a postal address (CASL)."""
    page = SitePage.objects.filter(slug=SitePageSlug.SENDER).first()
    html = sanitize.clean_html(page.display_body) if page and page.display_body else ""
    if not html:
        html = sanitize.clean_html(getattr(settings, "TREMPLIN_NEWSLETTER_SENDER", "Tremplin"))
    return html, sanitize.html_to_text(html)


def _section_items(edition: Edition, images: _Images) -> list[dict]:
    items = []
    sections = edition.sections.select_related("story__project")
    for section in sections:
        item = {"kind": section.kind, "heading": section.display_heading}
        if section.kind == SectionKind.TEXT:
            body = sanitize.clean_html(section.display_body)
            item["html"] = sanitize.email_styled(body)
            item["text"] = sanitize.html_to_text(body)
        elif section.kind == SectionKind.IMAGE:
            item["src"] = images.src(section.image, section.image_type, f"s-{section.public_id}")
            item["alt"] = section.display_image_alt
            body = sanitize.clean_html(section.display_body)
            item["html"] = sanitize.email_styled(body)
            item["text"] = sanitize.html_to_text(body)
            if item["src"] is None and not body:
                continue
        else:
            story: Story | None = section.story
            if story is None or not story.is_published:
                continue  # unpublished since: never shown
            item["title"] = story.display_title
            item["excerpt"] = sanitize.excerpt(sanitize.clean_html(story.display_body))
            item["url"] = absolute(reverse("newsletter:story-detail", args=[story.public_id]))
            item["src"] = images.src(story.image, story.image_type, f"h-{story.public_id}")
            item["alt"] = story.display_image_alt
        items.append(item)
    return items


def render_edition(
    edition: Edition, *, language: str, images: str = "cid", test: bool = False
) -> RenderedEdition:
    """The edition as an email in ``language``; the unsubscribe link is ``UNSUBSCRIBE_MARK``.

    ``images="cid"`` references inline parts (sent messages), ``"data"`` embeds them (preview).
    """
    with translation.override(language):
        collector = _Images(images)
        sender_html, sender_text = _sender_text()
        context = {
            "edition": edition,
            "label": edition_label(edition),
            "title": edition.display_title,
            "language": language,
            "html_lang": "en-CA" if language == "en" else "fr-CA",
            "sections": _section_items(edition, collector),
            "sender_html": sanitize.email_styled(sender_html),
            "sender_text": sender_text,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "web_url": absolute(reverse("newsletter:edition-public", args=[edition.number])),
            "subscribe_url": absolute(reverse("newsletter:subscribe")),
            "test": test,
        }
        subject = edition_subject(edition)
        if test:
            subject = _("[Essai] %(subject)s") % {"subject": subject}
        context["subject"] = subject
        html = render_to_string("newsletter/email/edition.html", context)
        text = render_to_string("newsletter/email/edition.txt", context)
    return RenderedEdition(subject=subject, html=html, text=text, images=collector.inline)


class NewsletterMessage(EmailMultiAlternatives):
    """multipart/alternative (text, then HTML); the HTML and its images in multipart/related,
    as mail clients expect for ``cid:`` images."""

    def __init__(self, *args, related: list[InlineImage] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.related = list(related or [])

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.related or not msg.is_multipart():
            return msg
        parts = msg.get_payload()
        html_part = parts[-1]
        related = SafeMIMEMultipart(
            _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
        )
        related.attach(html_part)
        for number, image in enumerate(self.related, start=1):
            part = MIMEImage(image.content, _subtype=image.mimetype.split("/", 1)[1])
            part.add_header("Content-ID", f"<{image.cid}>")
            extension = "png" if image.mimetype == "image/png" else "jpg"
            part.add_header("Content-Disposition", "inline", filename=f"image-{number}.{extension}")
            related.attach(part)
        parts[-1] = related
        msg.set_payload(parts)
        return msg


def edition_message(
    rendered: RenderedEdition, *, to: str, unsubscribe: str, connection=None
) -> NewsletterMessage:
    html, text = rendered.for_recipient(unsubscribe)
    message = NewsletterMessage(
        subject=rendered.subject,
        body=text,
        from_email=newsletter_from(),
        to=[to],
        connection=connection,
        related=rendered.images,
        headers={
            # RFC 2369 and RFC 8058: one-click unsubscribe by an HTTPS POST from the mail client.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id(),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# --------------------------------------------------------------------------- subscription emails


def subscription_message(subscriber: Subscriber, kind: str) -> EmailMessage:
    """``kind``: "confirm" (the double opt-in link) or "already" (already subscribed)."""
    with translation.override(subscriber.language):
        context = {
            "confirm_url": confirm_url(subscriber) if kind == "confirm" else "",
            "unsubscribe_url": unsubscribe_url(subscriber),
            "archive_url": absolute(reverse("newsletter:archive")),
            "max_days": tokens.CONFIRM_MAX_AGE // 86400,
        }
        if kind == "confirm":
            subject = _("Confirmez votre abonnement à l'infolettre Tremplin")
            body = render_to_string("newsletter/email/confirm.txt", context)
        else:
            subject = _("Vous êtes déjà abonné·e à l'infolettre Tremplin")
            body = render_to_string("newsletter/email/already.txt", context)
    return EmailMessage(
        subject=subject, body=body, from_email=newsletter_from(), to=[subscriber.email]
    )
