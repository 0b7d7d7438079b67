"""Public pages (anyone, no account): home, about, partners, labs, stories, the newsletter's web
archive, subscription and unsubscription. Only what was published is reachable here."""

from itertools import groupby

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tremplin.core import keyset, ratelimit

from . import sanitize, selectors, services, tokens
from .forms import ConfirmForm, SubscribeForm
from .models import SectionKind, SitePageSlug, Subscriber, SubscriberStatus

STORIES_PER_PAGE = 12
MAX_PAGE = 1000


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _page_context(request, page_slug: str) -> dict:
    return {"page": selectors.site_page(request.user, page_slug)}


def public_home(request):
    """The home page of anonymous visitors (``tremplin.views.home`` hands them over here)."""
    context = _page_context(request, SitePageSlug.HOME)
    context.update(
        {
            "stories": list(selectors.published_stories(request.user)[:3]),
            "events": selectors.upcoming_events(request.user, limit=4),
            "events_url": selectors.events_page_url(),
            "latest_edition": selectors.public_editions(request.user).first(),
            "form": SubscribeForm(initial={"language": _language()}),
        }
    )
    return render(request, "newsletter/public_home.html", context)


def about(request):
    context = _page_context(request, SitePageSlug.ABOUT)
    return render(request, "newsletter/about.html", context)


def partners(request):
    rows = sorted(
        selectors.public_partners(request.user),
        key=lambda p: (p.get_kind_display(), p.name.lower()),
    )
    groups = [
        (kind, list(items)) for kind, items in groupby(rows, key=lambda p: p.get_kind_display())
    ]
    return render(request, "newsletter/partners.html", {"groups": groups, "count": len(rows)})


def labs(request):
    context = _page_context(request, SitePageSlug.LABS)
    context["stories"] = list(selectors.lab_stories(request.user))
    return render(request, "newsletter/labs.html", context)


def story_list(request):
    stories = selectors.published_stories(request.user)
    total = stories.count()
    page = keyset.offset_page(
        stories.prefetch_related("project__territories"),
        per_page=STORIES_PER_PAGE,
        total=total,
        params=request.GET,
        most=MAX_PAGE,
    )
    return render(
        request,
        "newsletter/story_list.html",
        {"stories": page.rows, "page": page.number, "pages": page.pages, "total": total},
    )


def story_detail(request, public_id):
    story = selectors.get_public_story(request.user, public_id)
    project = story.project
    return render(
        request,
        "newsletter/story_detail.html",
        {
            "story": story,
            "project": project,
            "territories": [t.name for t in project.territories.all()],
        },
    )


def _image_response(file_field, content_type: str, public: bool):
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


def story_image(request, public_id):
    story = selectors.get_public_story(request.user, public_id)
    if not story.image:
        raise Http404
    return _image_response(story.image, story.image_type, story.is_published)


def section_image(request, public_id):
    section = selectors.get_section_image(request.user, public_id)
    return _image_response(
        section.image, section.image_type, section.edition.published_at is not None
    )


def archive(request):
    editions = list(selectors.public_editions(request.user))
    return render(request, "newsletter/archive.html", {"editions": editions})


def web_sections(edition) -> list[dict]:
    """The sections of an edition as the site shows them (a card only for a published story)."""
    items = []
    for section in edition.sections.select_related("story__project"):
        item = {"section": section}
        if section.kind == SectionKind.STORY:
            story = section.story
            if story is None or not story.is_published:
                continue
            item["story"] = story
            item["excerpt"] = sanitize.excerpt(sanitize.clean_html(story.display_body))
        items.append(item)
    return items


def edition_public(request, number):
    edition = selectors.get_public_edition(request.user, number)
    return render(
        request,
        "newsletter/edition_public.html",
        {"edition": edition, "items": web_sections(edition)},
    )


# --------------------------------------------------------------------------- subscription


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"language": _language()})
    if request.method == "POST":
        if not ratelimit.allow("newsletter.subscribe", request):
            return render(request, "newsletter/rate_limited.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            # Robots fill in the hidden field: they get the same answer, and nothing happens.
            if not data["website"]:
                email = services.normalize_email(data["email"])
                if ratelimit.hit("newsletter.confirmation", email.lower()).allowed:
                    services.subscription_request(
                        email=email,
                        language=data["language"],
                        consent_text=str(form.fields["consent"].label),
                    )
            return redirect("newsletter:subscribe-thanks")
    return render(request, "newsletter/subscribe.html", {"form": form})


def subscribe_thanks(request):
    return render(request, "newsletter/subscribe_thanks.html")


def _invalid_link(request, kind: str):
    return render(request, "newsletter/link_invalid.html", {"kind": kind}, status=404)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    data = tokens.read_confirm_token(token)
    subscriber = None
    if data is not None:
        public_id, stamp = data
        subscriber = Subscriber.objects.filter(public_id=public_id).first()
        if subscriber is not None and subscriber.status == SubscriberStatus.PENDING:
            requested = subscriber.requested_at.isoformat() if subscriber.requested_at else ""
            if requested != stamp:
                subscriber = None  # a newer request was made: only its link works
    if subscriber is None or subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return _invalid_link(request, "confirm")
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return render(request, "newsletter/confirm_done.html", {"already": True})
    if request.method == "POST":
        services.subscription_confirm(subscriber=subscriber, request=request)
        return render(request, "newsletter/confirm_done.html", {"already": False})
    return render(
        request, "newsletter/confirm.html", {"form": ConfirmForm(), "subscriber": subscriber}
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without any cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with a button (link checkers must not unsubscribe anyone). POST: done, from
    that button or from the mail client's one-click unsubscribe. The signed token is the only
    authority needed, so the POST needs no CSRF token."""
    value = tokens.read_unsubscribe_token(token)
    if value is None:
        return _invalid_link(request, "unsubscribe")
    if value == tokens.TEST_VALUE:
        return render(request, "newsletter/unsubscribe_test.html")
    subscriber = Subscriber.objects.filter(public_id=value).first()
    if request.method == "POST" or subscriber is None:
        if subscriber is not None:
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            services.subscription_cancel(
                subscriber=subscriber, method="one-click" if one_click else "link", request=request
            )
        return render(request, "newsletter/unsubscribe_done.html")
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "already": subscriber.status == SubscriberStatus.UNSUBSCRIBED,
        },
    )
