"""The region of a committee (``Committee.region``): what it defaults to, and the rule that its
local team and its territories lie in it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tremplin.territories.models import Region, Territory


def _one(region_ids) -> Region | None:
    ids = set(region_ids)
    if len(ids) != 1:
        return None
    return Region.objects.filter(pk=ids.pop()).first()


def default_region(*, local_team=None, territories=(), user=None) -> Region | None:
    """The region to use when none is chosen: the local team's (an ÉLÉ); the one region of the
    territories listed; the one region of the user's territories (an organizer); the only
    region there is. ``None`` when it cannot be told."""
    if local_team is not None:
        return local_team.region
    region = _one(t.region_id for t in territories)
    if region is None and user is not None and getattr(user, "membership", None) is not None:
        mine = user.membership.territory_ids()
        if mine:
            region = _one(Territory.objects.filter(pk__in=mine).values_list("region_id", flat=True))
    if region is None:
        regions = list(Region.objects.all()[:2])
        region = regions[0] if len(regions) == 1 else None
    return region


def check_territories(region, territories) -> None:
    """Every territory a committee covers must be in its region."""
    if region is None:
        return
    outside = sorted(t.name for t in territories if t.region_id != region.pk)
    if outside:
        raise ValidationError(
            {
                "territories": _(
                    "Ces territoires ne sont pas dans la région %(region)s : %(names)s."
                )
                % {"region": region.name, "names": ", ".join(outside)}
            }
        )
