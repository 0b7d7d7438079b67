"""Shared schema bases, and the plain fields of an answer's row."""

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    """A request body: an unknown field is an error (a typo must not be silently dropped)."""

    model_config = ConfigDict(extra="forbid")


def fields(obj, *names: str) -> dict:
    """``obj``'s attributes ``names``, each under its own name: the fields an answer gives as
    the model holds them (the others, renamed or computed, are written out beside them)."""
    return {name: getattr(obj, name) for name in names}
