"""The indicator catalogue, one module per group (importing them registers them)."""

from . import reach  # noqa: F401
