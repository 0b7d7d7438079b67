"""``Idempotency-Key`` on the write operations: the same key from the same token gets the
first answer again (status and body), without writing twice; the same key with another body is
a 422. Answers are kept a day."""

import datetime as dt
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from ninja import Header, Status

from .models import IdempotentAnswer
from .problems import IdempotencyConflictError

KEEP = dt.timedelta(hours=24)

IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    max_length=200,
    description="Une clé unique par écriture (UUID) : renvoyée après une réponse perdue, "
    "la même requête n'écrit pas deux fois.",
)


def _fingerprint(request) -> str:
    return hashlib.sha256(
        request.method.encode() + b" " + request.path.encode() + b"\n" + request.body
    ).hexdigest()


def run(request, key: str | None, write):
    """``write()`` returns ``(status, body)``; with a key, at most once per token and key.
    Returns the answer as a django-ninja ``Status``."""
    return Status(*_run(request, key, write))


def _run(request, key, write):
    if not key:
        return write()
    token = request.api_token
    fingerprint = _fingerprint(request)
    IdempotentAnswer.objects.filter(token=token, created_at__lt=timezone.now() - KEEP).delete()
    kept = IdempotentAnswer.objects.filter(token=token, key=key).first()
    if kept is None:
        try:
            with transaction.atomic():
                status, body = write()
                IdempotentAnswer.objects.create(
                    token=token,
                    key=key,
                    fingerprint=fingerprint,
                    status=status,
                    body=json.dumps(body, cls=DjangoJSONEncoder),
                )
                return status, body
        except IntegrityError:  # the same key at the same moment: the other one wrote
            kept = IdempotentAnswer.objects.filter(token=token, key=key).first()
            if kept is None:
                raise
    if kept.fingerprint != fingerprint:
        raise IdempotencyConflictError
    return kept.status, json.loads(kept.body)
