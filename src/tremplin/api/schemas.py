"""Shared schema bases."""

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    """A request body: an unknown field is an error (a typo must not be silently dropped)."""

    model_config = ConfigDict(extra="forbid")
