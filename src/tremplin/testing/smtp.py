"""A real SMTP server on loopback for the tests (aiosmtpd), as a pytest plugin.

Load it with ``pytest_plugins = ["tremplin.testing.smtp"]`` (the root conftest). The
``smtp_server`` fixture starts a server on 127.0.0.1 on a free port, points Django's SMTP
backend at it (``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_PORT``; no TLS, no login) for the
test, and collects every message it receives::

    def test_it_sends(smtp_server):
        ...  # code that sends mail through Django
        [received] = smtp_server.messages
        assert received.rcpt_tos == ["someone@example.org"]
        assert "Bonjour" in received.text

Messages go over a real socket through Django's ``smtplib`` backend: encoding, headers and
the SMTP dialogue are exercised, not a stub.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

HOST = "127.0.0.1"


@dataclass
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # Unfolded: long or encoded headers arrive folded over several lines.
        return " ".join(str(self.message["Subject"] or "").split())

    @property
    def text(self) -> str:
        """The plain-text body, decoded."""
        return self.part("plain")

    def part(self, subtype: str) -> str:
        """The body of that subtype (``plain``, ``html``), decoded; "" when there is none."""
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""


class _Collector:
    def __init__(self):
        self.messages: list[ReceivedMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        with self._lock:
            self.messages.append(
                ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), message)
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """What the fixture yields: the server's address and the messages received so far (the
    ``messages`` list of the handler, ``collector``)."""

    def __init__(self, controller, collector):
        self._controller = controller
        self._collector = collector
        self.host = HOST

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def messages(self) -> list[ReceivedMessage]:
        return list(self._collector.messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMessage]:
        """The messages once at least ``count`` have arrived (fails after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while len(self._collector.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} message(s), the SMTP server received "
                    f"{len(self._collector.messages)}"
                )
            time.sleep(0.02)
        return self.messages

    def clear(self) -> None:
        self._collector.messages.clear()


def _controller_class():
    from aiosmtpd.controller import Controller

    class LoopbackController(Controller):
        """Binds port 0 (a free port chosen by the system) and reads back which one."""

        def _trigger_server(self):
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    return LoopbackController


@contextmanager
def loopback(settings, handler):
    """An aiosmtpd server on 127.0.0.1 (free port) with this ``handler``, Django's SMTP backend
    pointed at it (no TLS, no login) inside the ``with`` block; yields its controller."""
    try:
        controller_class = _controller_class()
    except ImportError:  # pragma: no cover - aiosmtpd is a dev dependency
        pytest.skip("aiosmtpd n'est pas installé (pip install -e '.[dev]')")
    controller = controller_class(handler, hostname=HOST, port=0)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends its mail there during the test."""
    collector = _Collector()
    with loopback(settings, collector) as controller:
        yield SmtpServer(controller, collector)
