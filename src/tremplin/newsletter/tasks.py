"""Background jobs (django-tasks; ``tremplin db_worker`` runs them from the database queue)."""

from django.conf import settings
from django.core.mail import get_connection
from django_tasks import task

from . import emails, sending
from .models import Subscriber, SubscriberStatus


@task()
def send_edition(edition_id: int) -> dict:
    """Send an edition to its recipients, or resume a send that stopped (see ``sending``)."""
    return sending.send_edition(edition_id)


def subscription_email(subscriber_id: int, kind: str):
    """The confirmation link ("confirm") or the already-subscribed notice ("already"), for the
    e-mail queue (``tremplin.operations.mail``); None when it is no longer to be sent."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return None
    if kind == "confirm" and subscriber.status != SubscriberStatus.PENDING:
        return None
    return emails.subscription_message(subscriber, kind)


@task()
def send_subscription_email(subscriber_id: int, kind: str) -> bool:
    """The confirmation link ("confirm") or the already-subscribed notice ("already").

    Sent from the queue rather than during the request, so that the subscription page answers
    in the same time whatever the address's state (nothing to learn from timing)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    if kind == "confirm" and subscriber.status != SubscriberStatus.PENDING:
        return False
    message = emails.subscription_message(subscriber, kind)
    message.connection = get_connection(
        fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30
    )
    return bool(message.send())
