"""Every outgoing e-mail goes through a django-tasks job that retries with backoff.

An app queues a *builder*: the dotted path of a function of its own that returns the message
to send (an ``EmailMessage``) or ``None`` when there is nothing to send any more (a
registration cancelled since), with JSON arguments (ids, never an address or a text)::

    mail.enqueue("tremplin.events.emails.registration_message", registration.pk, kind, base)

The job builds the message when it runs and sends it through the configured backend. When
the mail server cannot be reached or answers a temporary error (4xx, connection dropped), the
job queues itself again, ``RETRY_DELAYS`` later (1 min, 5 min, 15 min, 1 h, 3 h, 6 h), and
gives up after the last with a log line; a permanent refusal (5xx) is not retried. A builder may
name an ``on_sent`` function (same arguments), called once the server accepted the message.

The message is built again at each attempt (its links and tokens stay current) and the queue
holds no personal data. Password-reset messages, whose link Django builds with the token, are
queued whole (``stored_message``), as Django renders them.

The queue is django-tasks' backend named by ``TREMPLIN_MAIL_TASK_BACKEND`` (``default``: the
database queue that ``tremplin db_worker`` runs). The tests use ``immediate`` (the same job,
run at once), and the SMTP-outage test the database queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

log = logging.getLogger("tremplin.mail")

# Seconds before attempts 2, 3, …: about ten hours in all before giving up.
RETRY_DELAYS = (60, 300, 900, 3600, 3 * 3600, 6 * 3600)
ALLOWED_PREFIX = "tremplin."


class PermanentFailureError(Exception):
    pass


def _backend_alias() -> str:
    alias = getattr(settings, "TREMPLIN_MAIL_TASK_BACKEND", "default")
    return alias if alias in getattr(settings, "TASKS", {}) else "default"


def enqueue(builder: str, *args, on_sent: str = "") -> None:
    """Queue the e-mail ``builder(*args)`` returns (call it after the transaction commits)."""
    if not builder.startswith(ALLOWED_PREFIX) or (
        on_sent and not on_sent.startswith(ALLOWED_PREFIX)
    ):
        raise ValueError("builders are Tremplin functions")
    send_email.using(backend=_backend_alias()).enqueue(builder, list(args), on_sent, 1)


def backoff(attempt: int) -> int | None:
    """Seconds before the attempt after ``attempt``; None once every retry is spent."""
    return RETRY_DELAYS[attempt - 1] if attempt <= len(RETRY_DELAYS) else None


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


@task()
def send_email(builder: str, args: list, on_sent: str, attempt: int) -> str:
    """One attempt at one e-mail; queues the next attempt itself when this one fails."""
    if not builder.startswith(ALLOWED_PREFIX):
        raise ValueError(builder)
    message = import_string(builder)(*args)
    if message is None:
        return "nothing to send"
    try:
        message.connection = get_connection(
            fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30
        )
        accepted = message.send()
        if not accepted:
            raise smtplib.SMTPException("message not accepted")
    except (smtplib.SMTPException, OSError) as exc:
        delay = None if _is_permanent(exc) else backoff(attempt)
        name = builder.rsplit(".", 1)[-1]
        if delay is None:
            log.error(
                "mail %s: attempt %s failed, giving up (%s)", name, attempt, type(exc).__name__
            )
            raise PermanentFailureError(f"{name}: {type(exc).__name__}") from exc
        try:
            retry = send_email.using(
                backend=_backend_alias(), run_after=timezone.now() + dt.timedelta(seconds=delay)
            )
            retry.enqueue(builder, args, on_sent, attempt + 1)
        except Exception:  # noqa: BLE001 - a backend without deferral (the tests' immediate one)
            log.error("mail %s: attempt %s failed, no retry possible", name, attempt)
            raise PermanentFailureError(name) from exc
        log.warning(
            "mail %s: attempt %s failed (%s), retry in %s s",
            name,
            attempt,
            type(exc).__name__,
            delay,
        )
        return f"retry in {delay} s"
    if on_sent:
        if not on_sent.startswith(ALLOWED_PREFIX):
            raise ValueError(on_sent)
        import_string(on_sent)(*args)
    return "sent"


# --------------------------------------------------------------------------- whole messages


def serialize(message: EmailMessage) -> dict:
    data = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [],
    }
    for alternative in getattr(message, "alternatives", []) or []:
        content, mimetype = alternative[0], alternative[1]
        data["alternatives"].append([content, mimetype])
    return data


def stored_message(data: dict) -> EmailMessage:
    """The builder of a message queued whole (``enqueue_message``)."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def enqueue_message(message: EmailMessage) -> None:
    enqueue("tremplin.operations.mail.stored_message", serialize(message))
