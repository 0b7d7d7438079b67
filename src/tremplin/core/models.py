"""Base models shared by every app: timestamps and a public UUID identifier, the seeded code
lists, and the attributes that read a bilingual pair of columns in the active language."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """A model reachable by URL: integer keys stay internal, URLs carry a random UUID."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- two languages


def english() -> bool:
    """Whether the active language is English (French otherwise: the interface is French first)."""
    return (get_language() or "fr").startswith("en")


class Localized:
    """A read-only attribute: the English column when English is active and that column is
    filled in, else the French one. ``Localized("title")`` reads ``title`` / ``title_en``;
    ``Localized("name_fr", "name_en")`` names both columns."""

    def __init__(self, french: str, english: str = ""):
        self.french = french
        self.english = english or f"{french}_en"

    def chosen(self, obj) -> str:
        """The column read for ``obj`` in the active language."""
        return self.english if english() and getattr(obj, self.english, "") else self.french

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return getattr(obj, self.chosen(obj))

    def __set__(self, obj, value):
        raise AttributeError("read-only: set the French or the English column")


class LocalizedLanguage(Localized):
    """The language ("fr" or "en") of what ``Localized`` with the same columns returns, for
    ``lang`` attributes."""

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return "en" if self.chosen(obj) == self.english else "fr"


# --------------------------------------------------------------------------- code lists


class CodeList(models.Model):
    """A row of a short list seeded by migration (clienteles, determinants…): a stable code for
    URLs and imports, a name in each language, a position in lists."""

    code = models.SlugField(max_length=30, unique=True)
    name_fr = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return self.name_en if english() else self.name_fr
