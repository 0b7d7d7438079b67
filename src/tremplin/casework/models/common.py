"""What the models of case files share."""

from django.utils.translation import gettext_lazy as _

# Free text is capped before encryption: a note is a note, not a document.
NOTE_MAX_LENGTH = 5000


def too_long(obj, names, limit: int = NOTE_MAX_LENGTH) -> dict:
    """The fields among ``names`` whose text is over ``limit`` characters, with the message."""
    message = _("Ce texte dépasse %(n)s caractères.")
    return {name: message % {"n": limit} for name in names if len(getattr(obj, name) or "") > limit}
