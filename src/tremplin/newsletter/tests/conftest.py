"""Fixtures of the newsletter tests: a real SMTP server on loopback (aiosmtpd) whose behaviour a
test can script (refuse some recipients, drop the connection mid-message), uploads in a
temporary directory, and small builders of stories, editions and subscribers."""

from __future__ import annotations

import datetime as dt
import io
import struct
import threading
import zlib
from email import message_from_bytes, policy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tremplin.newsletter.models import (
    ConsentMethod,
    Edition,
    EditionStatus,
    Section,
    SectionKind,
    Story,
    StoryStatus,
    Subscriber,
    SubscriberStatus,
)
from tremplin.projects.models import Project
from tremplin.testing.smtp import ReceivedMessage, SmtpServer, loopback

SITE_URL = "http://testserver"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# --------------------------------------------------------------------------- SMTP server


class Received(ReceivedMessage):
    @property
    def to(self) -> str:
        return self.rcpt_tos[0]


class ScriptedHandler:
    """Accepts every message unless told otherwise:

    * ``refuse[address] = (code, text, times)``: refuse that recipient ``times`` times (None:
      always) with that reply;
    * ``drop_on_data = {3, 7}``: close the connection, without accepting, when the 3rd and the
      7th message (counting every DATA received) come in.
    """

    def __init__(self):
        self.messages: list[Received] = []
        self.refuse: dict[str, tuple[int, str, int | None]] = {}
        self.drop_on_data: set[int] = set()
        self.data_count = 0
        self.rcpt_attempts: dict[str, int] = {}
        self.connections = 0
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        with self._lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self._lock:
            self.rcpt_attempts[address] = self.rcpt_attempts.get(address, 0) + 1
            rule = self.refuse.get(address)
            if rule is not None:
                code, text, times = rule
                if times is None or self.rcpt_attempts[address] <= times:
                    return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self._lock:
            self.data_count += 1
            drop = self.data_count in self.drop_on_data
        if drop:
            server.transport.close()
            return "421 closing"
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self._lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class LoopbackSmtp(SmtpServer):
    """The shared loopback server (``tremplin.testing.smtp``) with a scripted handler."""

    @property
    def handler(self) -> ScriptedHandler:
        return self._collector

    def recipients(self) -> list[str]:
        return [m.to for m in self.handler.messages]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 (free port); Django's SMTP backend points at it."""
    handler = ScriptedHandler()
    with loopback(settings, handler) as controller:
        yield LoopbackSmtp(controller, handler)


# --------------------------------------------------------------------------- settings


@pytest.fixture(autouse=True)
def _newsletter_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TREMPLIN_SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "infolettre@tremplin.example"
    from django.core.cache import cache

    cache.clear()  # rate limits start afresh


@pytest.fixture
def immediate_tasks(settings):
    """Background jobs run at once, in the request (the real job code, without a worker)."""
    settings.TASKS = IMMEDIATE


# --------------------------------------------------------------------------- files


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG image (grey pixels), built without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- builders


def make_project(title: str, *, buildings=(), lead_organizer=None, kind="leisure", **extra):
    from tremplin.projects.services import project_refresh_places

    project = Project.objects.create(
        title=title,
        kind=kind,
        status=extra.pop("status", "under_way"),
        start_date=extra.pop("start_date", dt.date(2022, 1, 10)),
        lead_organizer=lead_organizer,
        **extra,
    )
    project.buildings.set(buildings)
    project_refresh_places(project)
    return project


def make_story(project, title: str, *, published: bool = True, body: str = "", **extra):
    story = Story.objects.create(
        project=project,
        title=title,
        body=body or f"<p>Le récit de « {title} », raconté par l'équipe du projet.</p>",
        status=StoryStatus.PUBLISHED if published else StoryStatus.DRAFT,
        published_at=timezone.now() if published else None,
        **extra,
    )
    return story


def make_edition(
    number: int,
    title: str,
    *,
    sent: bool = False,
    scheduled: bool = False,
    season="spring",
    year=2025,
):
    """A draft edition with one text section; ``scheduled``: ready to send; ``sent``: sent."""
    status = EditionStatus.SCHEDULED if scheduled else EditionStatus.DRAFT
    edition = Edition.objects.create(
        number=number,
        season=season,
        year=year,
        title=title,
        status=EditionStatus.SENT if sent else status,
        published_at=timezone.now() if sent else None,
        sent_at=timezone.now() if sent else None,
    )
    Section.objects.create(
        edition=edition,
        position=0,
        kind=SectionKind.TEXT,
        heading=f"Mot d'ouverture {number}",
        body=f"<p>Le contenu de l'édition {number}.</p>",
    )
    return edition


def make_subscribers(count: int, *, status=SubscriberStatus.CONFIRMED, language="fr", prefix="p"):
    now = timezone.now()
    return [
        Subscriber.objects.create(
            email=f"{prefix}{i:03d}@example.org",
            language=language,
            status=status,
            consent_at=now if status == SubscriberStatus.CONFIRMED else None,
            confirmed_at=now if status == SubscriberStatus.CONFIRMED else None,
            requested_at=now,
            consent_method=ConsentMethod.WEB_FORM,
            consent_source="Formulaire d'abonnement du site web",
        )
        for i in range(count)
    ]
