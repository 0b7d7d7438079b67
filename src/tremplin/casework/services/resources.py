"""Writes on the resource directory (not personal information)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from tremplin.audit.services import save_audited
from tremplin.core.text import fold

from .. import permissions
from ..models import Resource


@transaction.atomic
def resource_save(*, user, resource: Resource, request=None) -> Resource:
    """Create or change an entry of the resource directory (coordination, supervisors)."""
    if not permissions.can_edit_resources(user):
        raise Http404
    resource.name_key = fold(resource.name)[:200]
    return save_audited(resource, "casework.resource", user=user, request=request)
