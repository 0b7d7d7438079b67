"""Writes on the resource directory (not personal information)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from tremplin.audit.services import log_action
from tremplin.core.text import fold

from .. import permissions
from ..models import Resource


@transaction.atomic
def resource_save(*, user, resource: Resource, request=None) -> Resource:
    """Create or change an entry of the resource directory (coordination, supervisors)."""
    if not permissions.can_edit_resources(user):
        raise Http404
    created = resource.pk is None
    resource.name_key = fold(resource.name)[:200]
    resource.full_clean()
    resource.save()
    log_action(
        resource,
        "casework.resource.create" if created else "casework.resource.update",
        user=user,
        request=request,
    )
    return resource
