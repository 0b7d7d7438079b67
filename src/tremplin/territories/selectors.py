"""Reads of the territorial hierarchy (public reference data: every signed-in user may read it)."""

from .models import LocalTeam, Mrc, Municipality, Territory


def territories_for_choices():
    return Territory.objects.order_by("name")


def mrcs_for_choices():
    return Mrc.objects.order_by("name")


def local_teams_for_choices():
    return LocalTeam.objects.order_by("name")


def municipalities_for_choices():
    return Municipality.objects.select_related("mrc").order_by("name")
