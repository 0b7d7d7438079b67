"""Reads of collective work, always given the user (404 outside their scope)."""

from django.db.models import Prefetch
from django.http import Http404

from . import permissions
from .models import Accompaniment, Project, ProjectPartner, TenantAssociation


def _require(user):
    if not permissions.can_read(user):
        raise Http404


def projects_for_user(user):
    _require(user)
    return Project.objects.all()


def get_project_for_user(user, public_id) -> Project:
    _require(user)
    try:
        return Project.objects.select_related("lead_organizer").get(public_id=public_id)
    except (Project.DoesNotExist, ValueError):
        raise Http404 from None


def get_project_for_edit(user, public_id) -> Project:
    project = get_project_for_user(user, public_id)
    if not permissions.can_edit_project(user, project):
        raise Http404
    return project


def community_story(user, *, provider=None, building=None) -> list[dict]:
    """Projects, tenant associations and accompaniments of a site, in time order (newest first).

    For a provider: its own and its buildings'. Each item: {"date", "kind", "object"}; projects
    come with their partners (``partner_roles``).
    """
    _require(user)
    if provider is not None:
        projects = Project.objects.filter(providers=provider) | Project.objects.filter(
            buildings__provider=provider
        )
        associations = TenantAssociation.objects.filter(provider=provider)
        accompaniments = Accompaniment.objects.filter(provider=provider).select_related("organizer")
    else:
        projects = Project.objects.filter(buildings=building)
        associations = TenantAssociation.objects.filter(buildings=building)
        accompaniments = Accompaniment.objects.none()
    # With whom (partners and roles), who took part (the activity summary kept on the project)
    # and what came of it (observed results): the story says it without another query per item.
    projects = projects.distinct().prefetch_related(
        Prefetch("partner_roles", queryset=ProjectPartner.objects.select_related("partner"))
    )
    items = [{"date": p.start_date, "kind": "project", "object": p} for p in projects]
    items += [{"date": a.founded_on, "kind": "association", "object": a} for a in associations]
    items += [{"date": a.start_date, "kind": "accompaniment", "object": a} for a in accompaniments]
    return sorted(items, key=lambda i: (i["date"] is not None, i["date"]), reverse=True)


def associations_for_user(user):
    """Tenant associations (every program role reads them, as the list page)."""
    _require(user)
    return TenantAssociation.objects.all()


def get_association_for_user(user, public_id) -> TenantAssociation:
    _require(user)
    try:
        return TenantAssociation.objects.select_related(
            "provider__municipality__mrc__territory"
        ).get(public_id=public_id)
    except (TenantAssociation.DoesNotExist, ValueError):
        raise Http404 from None


def accompaniments_for_user(user):
    """Accompaniments (every program role reads the list page's columns)."""
    _require(user)
    return Accompaniment.objects.all()
