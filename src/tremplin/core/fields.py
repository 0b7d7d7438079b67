"""Field factories for what many models declare alike."""

from django.conf import settings
from django.db import models


def actor(verbose_name=None, **options) -> models.ForeignKey:
    """The account that did something to a record (created, scheduled, checked in…): a trace,
    not a relation to browse (no reverse accessor). Optional, and the record outlives the
    account (``SET_NULL``) unless ``options`` say otherwise (``on_delete=models.PROTECT``)."""
    options = {
        "null": True,
        "blank": True,
        "on_delete": models.SET_NULL,
        "related_name": "+",
        **options,
    }
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, **options)


def optional_link(to, verbose_name=None, **options) -> models.ForeignKey:
    """A link that may be empty to a row that does not list its back-references (a territory,
    a municipality, a building…): null, blank, no reverse accessor, and ``PROTECT`` unless
    ``options`` say otherwise (``on_delete=models.SET_NULL``)."""
    options = {"on_delete": models.PROTECT, "related_name": "+", **options}
    return models.ForeignKey(to, verbose_name=verbose_name, null=True, blank=True, **options)


def author(verbose_name=None, **options) -> models.ForeignKey:
    """The account that wrote a record it must stay accountable for (a follow-up, a register
    entry): required, no reverse accessor, and ``PROTECT``: such an account is deactivated,
    never deleted."""
    options = {"on_delete": models.PROTECT, "related_name": "+", **options}
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, **options)
