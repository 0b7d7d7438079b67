"""E-mails to registrants: confirmation (seat or waiting list), promotion from the waiting list,
cancellation of the event. Plain text, in the language the person registered in.

Called after the transaction commits (``transaction.on_commit``): a rolled-back registration
never sends mail. Each message is a job of the e-mail queue (``tremplin.operations.mail``),
built when it runs and retried with backoff while the mail server is down; a mail server that
fails never loses a registration, and the staff see that no confirmation was sent until it is.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tremplin.operations import mail

from .models import Registration, RegistrationStatus
from .tokens import make_cancel_token

log = logging.getLogger(__name__)


def base_url(request=None) -> str:
    """Where links in e-mails point: ``TREMPLIN_BASE_URL`` if set, else the request's host."""
    configured = getattr(settings, "TREMPLIN_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost:8000"


def _message(registration: Registration, kind: str, base: str) -> EmailMessage:
    event, stop = registration.event, registration.stop
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "stop": stop,
            "kind": kind,
            "rank": _rank(registration) if kind == "waitlisted" else None,
            "cancel_url": base
            + reverse("events:public-cancel", args=[make_cancel_token(registration)]),
            "event_url": base + reverse("events:public-detail", args=[event.public_id]),
            "ics_url": base + reverse("events:event-ics", args=[event.public_id]),
        }
        subject = render_to_string("events/email/subject.txt", context).strip()
        body = render_to_string("events/email/registration.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )


def _rank(registration: Registration) -> int:
    earlier = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        created_at__lt=registration.created_at,
    ).count()
    return earlier + 1


def send(registration_ids: list[int], kind: str, base: str) -> int:
    """Queue one kind of message to these registrations (those with an e-mail), one job each;
    returns the number queued. ``kind``: ``confirmation`` (the message follows the
    registration's status), ``promoted`` or ``event_cancelled``."""
    ids = list(
        Registration.objects.filter(pk__in=registration_ids)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        mail.enqueue(
            "tremplin.events.emails.registration_message",
            pk,
            kind,
            base,
            on_sent="tremplin.events.emails.registration_message_sent",
        )
    return len(ids)


def registration_message(registration_id: int, kind: str, base: str) -> EmailMessage | None:
    """The message of one job (``send``), or None when there is nothing to send any more."""
    registration = (
        Registration.objects.filter(pk=registration_id)
        .exclude(email="")
        .select_related("event", "stop__municipality")
        .first()
    )
    if registration is None:
        return None
    effective = kind
    if kind == "confirmation":
        effective = registration.status
        if effective == RegistrationStatus.CANCELLED:
            return None
    return _message(registration, effective, base)


def registration_message_sent(registration_id: int, kind: str, base: str) -> None:
    if kind == "confirmation":
        Registration.objects.filter(pk=registration_id).update(confirmation_sent_at=timezone.now())
