"""The written reason of a journalled act that is not routine (a bulk-read bar lifted, a
rectification): one length, one form field, one check in the service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .limits.models import REASON_MAX_LENGTH  # the lift's column, and every reason's length


def reason_field(label, help_text, *, error_messages=None) -> forms.CharField:
    """The reason typed on three lines, at most ``REASON_MAX_LENGTH`` characters."""
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages=error_messages,
    )


def checked_reason(reason: str | None, missing: str) -> str:
    """The reason without surrounding spaces; ``missing`` (on the ``reason`` field) when there
    is none, or a message when it is longer than ``REASON_MAX_LENGTH``."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("La raison dépasse %(n)s caractères.") % {"n": REASON_MAX_LENGTH}}
        )
    return reason
