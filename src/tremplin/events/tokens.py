"""The signed token of the cancellation link sent in confirmation e-mails.

The token carries the registration's public id, signed with the project's secret key: it cannot
be forged or guessed from another registration's. It does not expire (a registrant may cancel
until the event), and a cancelled registration stays cancelled whatever link is reused.
"""

from django.core import signing

SALT = "tremplin.events.registration.cancel"


def make_cancel_token(registration) -> str:
    return signing.dumps(str(registration.public_id), salt=SALT)


def read_cancel_token(token: str) -> str | None:
    """The registration's public id, or None for a token that was altered or made up."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None
