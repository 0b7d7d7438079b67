"""Encryption at rest of free-text fields (case notes), with keys from the environment.

``TREMPLIN_FIELD_KEY`` holds one or more Fernet keys separated by commas: the first encrypts,
all of them decrypt. Rotating means putting a new key first, running
``tremplin rotate_field_key`` (which re-encrypts every value with the first key), then removing
the old key. Without the variable, a key is generated once into ``var/field_key`` (demo and
development only; production must set it, see docs/deployment.md).

Fernet is AES-128-CBC with an HMAC-SHA256 tag: a value altered in the database fails to
decrypt instead of being silently wrong.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


class FieldKeyError(RuntimeError):
    """Raised when a value cannot be decrypted with any configured key."""


_cache: dict[tuple[str, ...], MultiFernet] = {}


def _fernet() -> MultiFernet:
    keys = tuple(settings.TREMPLIN_FIELD_KEYS)
    if not keys:
        raise FieldKeyError("TREMPLIN_FIELD_KEY is not configured")
    if keys not in _cache:
        _cache.clear()
        _cache[keys] = MultiFernet([Fernet(key.encode()) for key in keys])
    return _cache[keys]


def encrypt(plaintext: str) -> str:
    return PREFIX + _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise FieldKeyError("value is not encrypted")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        # Never include the value in the message: it could end up in a log.
        raise FieldKeyError("value cannot be decrypted with the configured keys") from exc


def rotate(stored: str) -> str:
    """The same plaintext, encrypted again with the first (current) key."""
    if not stored:
        return stored
    return PREFIX + _fernet().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; the empty string stays empty (nothing to hide).

    It cannot be searched or ordered in SQL, which is the point: notes are read only through
    a case file that was opened (and logged).
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def encrypted_fields():
    """Every (model, field name) stored with EncryptedTextField, for rotation."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
