"""Reads of the public site and the newsletter, always given the user.

Public reads return only what was published (stories with status ``published``, editions whose
sending has started, active partners' names and kinds); a draft is reachable only by those who
may edit it. Staff reads raise ``Http404`` for anyone outside the coordination (or, for stories,
outside the people who may edit the project).
"""

import logging

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tremplin.core.text import fold
from tremplin.partners.models import Partner
from tremplin.projects import selectors as project_selectors

from . import permissions
from .models import (
    Edition,
    Section,
    SitePage,
    Story,
    StoryStatus,
    Subscriber,
    SubscriberStatus,
)

logger = logging.getLogger(__name__)


def _get(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


# --------------------------------------------------------------------------- public


def site_page(user, slug: str) -> SitePage | None:
    return SitePage.objects.filter(slug=slug).first()


def published_stories(user):
    return (
        Story.objects.filter(status=StoryStatus.PUBLISHED)
        .select_related("project")
        .order_by("-published_at", "-id")
    )


def lab_stories(user):
    """Published stories of the innovation labs (projects of kind ``lab``)."""
    return published_stories(user).filter(project__kind="lab").order_by("project__start_date")


def get_public_story(user, public_id) -> Story:
    """A published story for anyone; a draft only for those who may edit its project."""
    story = _get(
        Story.objects.select_related("project").prefetch_related("project__territories"),
        public_id=public_id,
    )
    if not story.is_published and not permissions.can_edit_story(user, story.project):
        raise Http404
    return story


def public_editions(user):
    """Editions in the web archive: those whose sending has started."""
    return Edition.objects.filter(published_at__isnull=False).order_by("-number")


def get_public_edition(user, number: int) -> Edition:
    return _get(public_editions(user), number=number)


def get_section_image(user, public_id) -> Section:
    """A section's image: public once its edition is; before that, for the coordination."""
    section = _get(Section.objects.select_related("edition"), public_id=public_id)
    if section.edition.published_at is None and not permissions.can_manage_newsletter(user):
        raise Http404
    if not section.image:
        raise Http404
    return section


def public_partners(user):
    """Active partners: name, kind and website only (no amounts, contacts or notes)."""
    return Partner.objects.filter(active=True).only(
        "public_id", "name", "short_name", "kind", "website", "is_fictitious"
    )


def upcoming_events(user, limit: int = 5) -> list:
    """Upcoming published events from the events app, each with ``public_url`` (or None).

    The events app is built alongside this one: without its public selector (or its public
    page), this returns what it can — possibly nothing — rather than failing the home page.
    """
    try:
        from tremplin.events import selectors as event_selectors
    except ImportError:
        return []
    upcoming = getattr(event_selectors, "upcoming_public_events", None)
    if upcoming is None:
        return []
    events = list(upcoming(user)[:limit])
    for event in events:
        try:
            event.public_url = reverse("events:public-detail", args=[event.public_id])
        except NoReverseMatch:
            event.public_url = None
        starts = getattr(event, "starts_at", None)
        event.start_date = timezone.localtime(starts).date() if starts else None
    return events


def events_page_url() -> str | None:
    try:
        return reverse("events:public-list")
    except NoReverseMatch:
        return None


# --------------------------------------------------------------------------- stories (staff)


def _require_story_writer(user):
    if not permissions.can_write_stories(user):
        raise Http404


def stories_for_user(user) -> list[Story]:
    """The stories this person may edit (drafts and published), newest first."""
    _require_story_writer(user)
    stories = (
        Story.objects.select_related("project")
        .prefetch_related("project__territories")
        .order_by("-updated_at")
    )
    return [s for s in stories if permissions.can_edit_story(user, s.project)]


def story_projects(user, q: str = "", limit: int = 20) -> list:
    """Projects this person may write a story for: matching ``q``, else those they lead."""
    _require_story_writer(user)
    projects = (
        project_selectors.projects_for_user(user)
        .select_related("story")
        .prefetch_related("territories")
    )
    key = fold(q)[:100]
    if key:
        projects = projects.filter(Q(search_key__contains=key) | Q(title__icontains=q[:100]))
    else:
        projects = projects.filter(lead_organizer=user)
    rows = [p for p in projects.order_by("-start_date", "title")[: limit * 3]]
    return [p for p in rows if permissions.can_edit_story(user, p)][:limit]


def get_project_for_story(user, public_id):
    """The project whose story this person may write, or 404."""
    _require_story_writer(user)
    project = project_selectors.get_project_for_edit(user, public_id)
    if not permissions.can_edit_story(user, project):
        raise Http404
    return project


# --------------------------------------------------------------------------- newsletter (staff)


def _require_manager(user):
    if not permissions.can_manage_newsletter(user):
        raise Http404


def editions_for_user(user):
    _require_manager(user)
    return Edition.objects.all().order_by("-number")


def get_edition_for_user(user, public_id) -> Edition:
    _require_manager(user)
    return _get(Edition.objects.all(), public_id=public_id)


def get_section_for_user(user, public_id) -> Section:
    _require_manager(user)
    return _get(Section.objects.select_related("edition", "story"), public_id=public_id)


def publishable_stories(user):
    """Published stories that a section of an edition may present."""
    _require_manager(user)
    return published_stories(user)


def site_pages_for_user(user):
    _require_manager(user)
    return SitePage.objects.all()


def subscribers_for_user(user, params) -> tuple:
    """Subscribers filtered by ``q`` (part of the address) and ``status``; (queryset, filters)."""
    _require_manager(user)
    subscribers = Subscriber.objects.all().order_by("email")
    filters = {}
    q = (params.get("q") or "").strip().lower()[:100]
    if q:
        subscribers = subscribers.filter(email__contains=q)
        filters["q"] = q
    status = params.get("status") or ""
    if status in SubscriberStatus.values:
        subscribers = subscribers.filter(status=status)
        filters["status"] = status
    return subscribers, filters


def get_subscriber_for_user(user, public_id) -> Subscriber:
    _require_manager(user)
    return _get(Subscriber.objects.all(), public_id=public_id)
