"""The indicator catalogue, one module per group (importing them registers them, in the
dashboard orders groups by catalogue.GROUP_ORDER, and indicators within a group as registered)."""

from . import (  # noqa: F401
    casework,
    collective,
    concertation,
    funding,
    mobilization,
    reach,
)
