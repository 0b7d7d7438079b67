"""Signed tokens in the links of subscription emails (no table of tokens to keep).

* Confirmation: the subscriber's public id and the time of the request, signed and time-stamped,
  valid 7 days; a newer request makes older links useless (the time no longer matches).
* Unsubscribe: the subscriber's public id, signed, without expiry (a link in a message from
  years ago must still work). ``TEST_TOKEN`` marks the link of a test send.
"""

from django.core import signing

CONFIRM_SALT = "tremplin.newsletter.confirm"
UNSUBSCRIBE_SALT = "tremplin.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
TEST_VALUE = "essai"


def confirm_token(subscriber) -> str:
    stamp = subscriber.requested_at.isoformat() if subscriber.requested_at else ""
    return signing.dumps([str(subscriber.public_id), stamp], salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[str, str] | None:
    try:
        public_id, stamp = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return str(public_id), str(stamp)


def unsubscribe_token(subscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.public_id))


def test_unsubscribe_token() -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(TEST_VALUE)


def read_unsubscribe_token(token: str) -> str | None:
    """The subscriber's public id, ``TEST_VALUE`` for a test send, or None if forged."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
