"""What the public site shows, without a token (``newsletter.selectors``): published project
stories (what their public page shows: the story, the project's kind, territories and start
year) and the program's partners (name, kind, website — the public partners page). The
housing directory is not on the public site (its pages need an account): it is not public
here either (``/directory/…`` with ``directory:read``); published events are
``/events/public``."""

import datetime as dt
import uuid

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema

from tremplin.newsletter import sanitize, selectors
from tremplin.territories.models import Territory

from ..auth import PublicAuth, scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import fields

router = Router(auth=PublicAuth())


class StoryOut(Schema):
    id: uuid.UUID
    title: str
    title_en: str
    body_html: str = ""
    body_html_en: str = ""
    project_kind: str
    territories: list[str]
    since_year: int | None
    image_url: str | None
    image_alt: str
    image_alt_en: str
    published_at: dt.datetime | None
    is_demo: bool
    updated_at: dt.datetime


class StorySummaryOut(Schema):
    id: uuid.UUID
    title: str
    title_en: str
    project_kind: str
    territories: list[str]
    since_year: int | None
    published_at: dt.datetime | None
    is_demo: bool
    updated_at: dt.datetime


StoryPage = page_schema("StoryPage", StorySummaryOut)


class PublicPartnerOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    kind: str
    website: str
    is_fictitious: bool


PublicPartnerPage = page_schema("PublicPartnerPage", PublicPartnerOut)


TERRITORIES = Prefetch("project__territories", queryset=Territory.objects.only("name"))


def story_summary(s) -> dict:
    project = s.project
    return {
        "id": s.public_id,
        "project_kind": project.kind,
        "territories": [t.name for t in project.territories.all()],
        "since_year": project.start_date.year if project.start_date else None,
        **fields(s, "title", "title_en", "published_at", "is_demo", "updated_at"),
    }


@router.get("/stories", response=StoryPage, summary="Histoires de projets publiées")
@scoped(None)
def stories(request, params: Query[ListParams]):
    qs = selectors.published_stories(request.user).prefetch_related(TERRITORIES)
    return page(request, qs, params, story_summary)


@router.get("/stories/{story_id}", response=StoryOut, summary="Une histoire publiée")
@scoped(None)
def story(request, story_id: uuid.UUID):
    """The text as the public page shows it (sanitized HTML)."""
    s = selectors.get_public_story(request.user, story_id)
    if not s.is_published:  # a draft: its editor reads it on the site, not here
        raise Http404
    return {
        **story_summary(s),
        "body_html": sanitize.clean_html(s.body),
        "body_html_en": sanitize.clean_html(s.body_en) if s.body_en else "",
        "image_url": (
            request.build_absolute_uri(reverse("newsletter:story-image", args=[s.public_id]))
            if s.image
            else None
        ),
        "image_alt": s.image_alt,
        "image_alt_en": s.image_alt_en,
    }


@router.get("/partners", response=PublicPartnerPage, summary="Partenaires du programme")
@scoped(None)
def partners(request, params: Query[ListParams]):
    qs = selectors.public_partners(request.user)
    return page(
        request,
        qs,
        params,
        lambda p: {
            "id": p.public_id,
            **fields(p, "name", "short_name", "kind", "website", "is_fictitious"),
        },
    )
