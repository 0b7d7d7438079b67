"""Sending an edition through SMTP, resumable without sending anyone the same edition twice.

The first run creates one ``Delivery`` per confirmed subscriber (unique per edition and
subscriber). Every run then claims a few pending rows at a time (``sending`` + the run's token;
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, SQLite serializes writers), sends each
message, and marks the row ``sent`` only once the SMTP server has accepted it. So:

* a run that stops on an exception gives its unsent claimed rows back (``pending``); the next
  run (the coordination's "Reprendre l'envoi") sends them, and only them;
* a run killed outright leaves its few claimed rows ``sending``: they are claimed again once
  their lease (10 minutes) has passed, never while a live run may still be sending them;
* a recipient refused with a permanent code (5xx) fails at once; a temporary refusal (4xx) or a
  connection dropped mid-message is retried, at most ``Delivery.MAX_ATTEMPTS`` times in all;
* an SMTP server that cannot be reached, or drops the connection several times in a row, stops
  the run: the edition keeps its deliveries and shows why it stopped.

The only window for a duplicate is a crash between the server's acceptance and the row's
update; each delivery's ``Message-ID`` is fixed so that mail systems can fold such a duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import emails
from .models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
)

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
BATCH_SIZE = 10
MAX_CONNECTION_FAILURES = 3
UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class SendingStoppedError(Exception):
    """The run stopped before the end; the message (French) is kept on the edition."""


def open_connection():
    """A connection to the configured email backend, opened (raises if unreachable)."""
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 30
    connection = get_connection(fail_silently=False, timeout=timeout)
    connection.open()
    return connection


def _close(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass


def prepare_recipients(edition_id: int) -> int:
    """Create the deliveries of an edition, once: one per subscriber confirmed at that moment."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition_id)
        if edition.recipients_prepared:
            return 0
        ids = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).values_list(
            "pk", flat=True
        )
        rows = [Delivery(edition_id=edition_id, subscriber_id=pk) for pk in ids.iterator()]
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        Edition.objects.filter(pk=edition_id).update(recipients_prepared=True)
    return len(rows)


def _claimable(now) -> Q:
    return Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE
    )


def claim_batch(edition_id: int, token: str, size: int = BATCH_SIZE) -> list[Delivery]:
    """Claim up to ``size`` deliveries for this run (first attempts before retries)."""
    now = timezone.now()
    with transaction.atomic():
        # A row abandoned by killed runs too many times is given up.
        Delivery.objects.filter(
            edition_id=edition_id,
            status=DeliveryStatus.SENDING,
            claimed_at__lt=now - LEASE,
            attempts__gte=Delivery.MAX_ATTEMPTS,
        ).update(
            status=DeliveryStatus.FAILED,
            claim_token="",
            last_error=_("Envoi interrompu à chaque tentative."),
        )
        ids = list(
            Delivery.objects.filter(edition_id=edition_id, edition__status=EditionStatus.SCHEDULED)
            .filter(_claimable(now))
            .order_by("attempts", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).filter(_claimable(now)).update(
            status=DeliveryStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(pk__in=ids, claim_token=token, status=DeliveryStatus.SENDING)
        .select_related("subscriber")
        .order_by("attempts", "id")
    )


def _settle(delivery: Delivery, token: str, **values) -> None:
    Delivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=DeliveryStatus.SENDING
    ).update(claim_token="", **values)


def _mark_sent(delivery: Delivery, token: str) -> None:
    _settle(delivery, token, status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")


def _mark_failed(delivery: Delivery, token: str, error: str, *, permanent: bool) -> None:
    final = permanent or delivery.attempts >= Delivery.MAX_ATTEMPTS
    _settle(
        delivery,
        token,
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        last_error=error[:500],
    )


def release(token: str) -> int:
    """Give back the rows a run claimed and did not try (their attempt is not counted)."""
    return Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, claim_token="", attempts=F("attempts") - 1
    )


def _smtp_error(exc: Exception) -> str:
    code = getattr(exc, "smtp_code", None)
    text = getattr(exc, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else (str(exc) or exc.__class__.__name__)


def _message_id(edition: Edition, delivery: Delivery) -> str:
    host = urlsplit(emails.site_url()).hostname or "localhost"
    return f"<nl.{edition.public_id.hex[:16]}.{delivery.subscriber.public_id.hex[:16]}@{host}>"


def finish_if_settled(edition_id: int) -> bool:
    """Mark the edition sent once no delivery is left pending or in progress."""
    if Delivery.objects.filter(edition_id=edition_id, status__in=UNSETTLED).exists():
        return False
    now = timezone.now()
    return bool(
        Edition.objects.filter(pk=edition_id, status=EditionStatus.SCHEDULED).update(
            status=EditionStatus.SENT,
            sent_at=now,
            published_at=Coalesce(F("published_at"), now),
            last_error="",
        )
    )


class _Run:
    """One run of the sending job."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.token = uuid.uuid4().hex
        self.connection = None
        self.renderings: dict[str, emails.RenderedEdition] = {}
        self.connection_failures = 0
        self.published = edition.published_at is not None
        self.sent = 0

    def rendering(self, language: str) -> emails.RenderedEdition:
        if language not in self.renderings:
            self.renderings[language] = emails.render_edition(self.edition, language=language)
        return self.renderings[language]

    def send_one(self, delivery: Delivery) -> None:
        subscriber = delivery.subscriber
        if subscriber.status != SubscriberStatus.CONFIRMED:
            _settle(delivery, self.token, status=DeliveryStatus.SKIPPED)
            return
        if self.connection is None:
            try:
                self.connection = open_connection()
            except (smtplib.SMTPException, OSError) as exc:
                raise SendingStoppedError(
                    _("Le serveur de courriel est injoignable (%(error)s).")
                    % {"error": _smtp_error(exc)}
                ) from exc
        message = emails.edition_message(
            self.rendering(subscriber.language),
            to=subscriber.email,
            unsubscribe=emails.unsubscribe_url(subscriber),
            connection=self.connection,
        )
        message.extra_headers["Message-ID"] = _message_id(self.edition, delivery)
        try:
            accepted = self.connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (None, b""))
            error = _smtp_error(smtplib.SMTPResponseException(code or 0, text))
            _mark_failed(delivery, self.token, error, permanent=bool(code and code >= 500))
        except smtplib.SMTPSenderRefused as exc:
            _settle(delivery, self.token, status=DeliveryStatus.PENDING, attempts=F("attempts") - 1)
            raise SendingStoppedError(
                _("Le serveur de courriel refuse l'adresse d'expédition (%(error)s).")
                % {"error": _smtp_error(exc)}
            ) from exc
        except smtplib.SMTPDataError as exc:
            _mark_failed(delivery, self.token, _smtp_error(exc), permanent=exc.smtp_code >= 500)
        except (smtplib.SMTPException, OSError) as exc:
            # The connection dropped or timed out during this message: it was not accepted.
            _mark_failed(delivery, self.token, _smtp_error(exc), permanent=False)
            _close(self.connection)
            self.connection = None
            self.connection_failures += 1
            if self.connection_failures >= MAX_CONNECTION_FAILURES:
                raise SendingStoppedError(
                    _("La connexion au serveur de courriel a été coupée %(n)s fois de suite.")
                    % {"n": self.connection_failures}
                ) from exc
        else:
            if accepted:
                _mark_sent(delivery, self.token)
                self.connection_failures = 0
                self.sent += 1
                if not self.published:
                    Edition.objects.filter(pk=self.edition.pk, published_at__isnull=True).update(
                        published_at=timezone.now()
                    )
                    self.published = True
            else:
                _mark_failed(delivery, self.token, _("Message refusé."), permanent=False)

    def run(self) -> None:
        try:
            while True:
                batch = claim_batch(self.edition.pk, self.token)
                if not batch:
                    return
                for delivery in batch:
                    self.send_one(delivery)
        finally:
            release(self.token)
            if self.connection is not None:
                _close(self.connection)


def send_edition(edition_id: int) -> dict:
    """Send (or resume sending) an edition; returns counts. Raises ``SendingStoppedError`` (after
    recording why on the edition) when the SMTP server cannot be used."""
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None or edition.status != EditionStatus.SCHEDULED:
        return {"sent": 0, "status": edition.status if edition else "missing"}
    prepare_recipients(edition.pk)
    run = _Run(edition)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            run.run()
    except SendingStoppedError as exc:
        Edition.objects.filter(pk=edition.pk).update(last_error=str(exc)[:500])
        logger.warning("Newsletter %s: sending stopped: %s", edition.number, exc)
        raise
    Edition.objects.filter(pk=edition.pk).exclude(last_error="").update(last_error="")
    finish_if_settled(edition.pk)
    return {"sent_now": run.sent, **progress(edition.pk)}


def progress(edition_id: int) -> dict:
    """Counts of the edition's deliveries by status, in one query, and the share settled."""
    counts = Delivery.objects.filter(edition_id=edition_id).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        skipped=Count("id", filter=Q(status=DeliveryStatus.SKIPPED)),
        pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        sending=Count("id", filter=Q(status=DeliveryStatus.SENDING)),
    )
    settled = counts["sent"] + counts["failed"] + counts["skipped"]
    counts["remaining"] = counts["pending"] + counts["sending"]
    counts["percent"] = round(100 * settled / counts["total"]) if counts["total"] else 100
    return counts
