"""E-mail through the queue: an SMTP outage delays a confirmation, never loses or doubles it;
retries back off; password resets and the newsletter's double opt-in go the same way."""

import smtplib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tremplin.events.models import Registration
from tremplin.events.tests.conftest import make_event, soon
from tremplin.operations import mail


@pytest.fixture
def queue(settings, monkeypatch):
    """E-mails on the real database queue, run by the real worker."""
    settings.TREMPLIN_MAIL_TASK_BACKEND = "default"
    settings.TREMPLIN_BASE_URL = "http://testserver"
    # The worker closes "old" connections between jobs: that would end the test's transaction.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    from django.core.cache import cache

    cache.clear()  # the public forms' rate limits


class StoppableSmtp:
    """The loopback SMTP server of ``tremplin.testing.smtp``, stopped and started again on the
    same port (a new server each time, with the same mailbox)."""

    def __init__(self, settings):
        from tremplin.testing import smtp

        self.smtp = smtp
        self.collector = smtp._Collector()
        self.controller = smtp._controller_class()(self.collector, hostname=smtp.HOST, port=0)
        self.controller.start()
        self.port = self.controller.port
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = smtp.HOST, self.port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        self.running = True

    @property
    def messages(self):
        return list(self.collector.messages)

    def stop(self):
        self.controller.stop()
        self.running = False

    def start(self):
        self.controller = self.smtp._controller_class()(
            self.collector, hostname=self.smtp.HOST, port=self.port
        )
        self.controller.start()
        self.running = True


@pytest.fixture
def stoppable_smtp(settings):
    server = StoppableSmtp(settings)
    yield server
    if server.running:
        server.stop()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def mail_jobs(**filters):
    return DBTaskResult.objects.filter(task_path=mail.send_email.module_path, **filters)


def test_a_confirmation_survives_an_smtp_outage_and_arrives_once(
    client, world, stoppable_smtp, queue, django_capture_on_commit_callbacks
):
    smtp_server = stoppable_smtp
    event = make_event(capacity=5, stops=[(world["levis"], soon(20))])
    smtp_server.stop()  # the mail server is down
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:public-detail", args=[event.public_id]),
            {"name": "Marie Tremblay", "email": "marie@example.org", "website": ""},
        )
    assert response.status_code == 302  # registered all the same
    registration = Registration.objects.get()
    assert len(mail_jobs()) == 1  # nothing was sent during the request

    run_worker()  # attempt 1: connection refused
    [retry] = mail_jobs(status="READY")
    assert retry.args_kwargs["args"][3] == 2  # the second attempt
    wait = (retry.run_after - timezone.now()).total_seconds()
    assert 50 < wait <= mail.RETRY_DELAYS[0]
    # The queue holds ids, never the address or the text of the message.
    assert "marie" not in str(retry.args_kwargs)
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is None  # the staff see it is not sent yet

    smtp_server.start()  # the mail server is back
    run_worker()  # the retry is not due yet
    assert smtp_server.messages == []
    mail_jobs(status="READY").update(run_after=timezone.now())  # its minute has passed
    run_worker()
    [message] = smtp_server.messages  # the worker returns once the server accepted it
    assert message.rcpt_tos == ["marie@example.org"]
    assert message.subject == "Inscription confirmée : Atelier : bien vivre en HLM"
    run_worker()
    assert len(smtp_server.messages) == 1  # once
    assert not mail_jobs(status="READY").exists()
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None


def test_it_backs_off_then_gives_up_and_never_retries_a_permanent_refusal():
    delays = [mail.backoff(attempt) for attempt in range(1, 8)]
    assert delays == [60, 300, 900, 3600, 10800, 21600, None]
    assert sum(d for d in delays if d) == 37260  # about ten hours of outage covered
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})
    assert mail._is_permanent(refused)
    assert not mail._is_permanent(smtplib.SMTPRecipientsRefused({"x@example.org": (451, b"")}))
    assert not mail._is_permanent(ConnectionRefusedError())


def test_a_password_reset_goes_through_the_queue(client, personas, smtp_server, queue):
    client.post(reverse("accounts:password-reset"), {"email": personas["coordination"].email})
    assert smtp_server.messages == [] and len(mail_jobs()) == 1
    run_worker()
    [message] = smtp_server.wait_for(1)
    assert message.rcpt_tos == [personas["coordination"].email]
    assert "/comptes/" in message.text  # the reset link


def test_the_newsletter_double_opt_in_goes_through_the_queue(client, db, smtp_server, queue):
    form = {"email": "abonne@example.org", "language": "fr", "consent": "on", "website": ""}
    client.post(reverse("newsletter:subscribe"), form)
    assert smtp_server.messages == [] and len(mail_jobs()) == 1
    run_worker()
    [message] = smtp_server.wait_for(1)
    assert message.rcpt_tos == ["abonne@example.org"]
    assert "/infolettre/" in message.text or "http" in message.text
