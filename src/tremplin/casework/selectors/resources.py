"""The resource directory: not personal information; every member reads it."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import Http404

from .. import permissions
from ..models import Resource
from .access import parse_uuid


def resources_for_user(user) -> QuerySet[Resource]:
    """The resource directory: every member reads it; editors also see inactive entries."""
    if not permissions.can_read_resources(user):
        raise Http404
    qs = Resource.objects.select_related("territory", "municipality")
    if not permissions.can_edit_resources(user):
        qs = qs.filter(is_active=True)
    return qs


def get_resource_for_edit(user, public_id) -> Resource:
    if not permissions.can_edit_resources(user):
        raise Http404
    key = parse_uuid(public_id)
    resource = Resource.objects.filter(public_id=key).first() if key else None
    if resource is None:
        raise Http404
    return resource


def resource_choices(user, territory=None) -> QuerySet[Resource]:
    """Active resources for a referral: the person's territory first, then regional ones."""
    qs = Resource.objects.filter(is_active=True).select_related("territory")
    if territory is not None:
        qs = qs.filter(Q(territory=territory) | Q(territory__isnull=True))
    return qs.order_by(F("territory_id").asc(nulls_last=True), "name_key")
