"""Newsletter pages of the coordination: editions and their sections, preview, test send,
sending and its progress, subscribers, imports, and the public site's editable pages.
Everyone else gets a 404 (selectors)."""

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core import keyset
from tremplin.core.form_pages import NOT_SAVED, action, form_page, submitted

from . import emails, sanitize, selectors, sending, services
from .forms import (
    SECTION_FORMS,
    EditionForm,
    ScheduleForm,
    SitePageForm,
    TestSendForm,
)
from .models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Section,
    SectionKind,
    SitePage,
    SitePageSlug,
    SubscriberStatus,
)

SUBSCRIBERS_PER_PAGE = 50
FAILURES_SHOWN = 100
# The email preview is the one page with inline styles (email clients need them). It is served
# alone, inside a sandboxed frame of the preview page, under its own policy: styles inline, images
# only as data: URIs, no script at all, no form, framed only by this site.
PREVIEW_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "sandbox": ["allow-popups", "allow-popups-to-escape-sandbox"],
}


def _to_edition(edition) -> str:
    return reverse("newsletter:edition-detail", args=[edition.public_id])


def image_errors(form, error: ValidationError) -> None:
    """A service's refusal on a form with an image (sections, stories): what it says of the
    image (its content, its type) on the file field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = "image_file" if field in ("image", "image_type") else field
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error("image_file" if "image_file" in form.fields else None, error)


# --------------------------------------------------------------------------- editions


@login_required
def edition_list(request):
    editions = list(
        selectors.editions_for_user(request.user).annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            section_count=Count("sections", distinct=True),
        )
    )
    subscribers = selectors.subscribers_for_user(request.user, {})[0].aggregate(
        confirmed=Count("id", filter=Q(status=SubscriberStatus.CONFIRMED)),
        pending=Count("id", filter=Q(status=SubscriberStatus.PENDING)),
    )
    return render(
        request,
        "newsletter/edition_list.html",
        {"editions": editions, "subscribers": subscribers},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_create(request):
    selectors.editions_for_user(request.user)  # 404 outside the coordination
    form = EditionForm(request.POST or None, initial=services.next_edition_defaults())
    return _edition_form(
        request, form, None, _("L'édition a été créée : ajoutez-lui des sections.")
    )


def _edition_form(request, form, edition, success):
    return form_page(
        request,
        form,
        lambda: services.edition_save(
            user=request.user, edition=form.save(commit=False), request=request
        ),
        success=success,
        to=_to_edition,
        template="newsletter/edition_form.html",
        context={"edition": edition},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_edit(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    if not edition.is_draft:
        messages.error(
            request, _("Cette édition est programmée ou envoyée : elle ne se modifie plus.")
        )
        return redirect("newsletter:edition-detail", public_id=edition.public_id)
    form = EditionForm(request.POST or None, instance=edition)
    return _edition_form(request, form, edition, _("L'édition a été enregistrée."))


@login_required
@require_POST
def edition_delete(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    return action(
        request,
        lambda: services.edition_delete(user=request.user, edition=edition, request=request),
        success=_("Le brouillon a été supprimé."),
        to="newsletter:edition-list",
        refused_to=_to_edition(edition),
    )


def _progress_context(edition: Edition) -> dict:
    progress = sending.progress(edition.pk)
    return {
        "edition": edition,
        "progress": progress,
        "polling": edition.status == EditionStatus.SCHEDULED and not edition.last_error,
        "can_cancel": edition.status == EditionStatus.SCHEDULED and edition.published_at is None,
    }


@login_required
def edition_detail(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    sections = list(edition.sections.select_related("story"))
    for section in sections:
        section.preview_text = sanitize.excerpt(sanitize.clean_html(section.body), 200)
    failures = list(
        Delivery.objects.filter(edition=edition, status=DeliveryStatus.FAILED)
        .select_related("subscriber")
        .order_by("id")[:FAILURES_SHOWN]
    )
    context = {
        **_progress_context(edition),
        "sections": sections,
        "section_kinds": SectionKind.choices,
        "failures": failures,
        "test_form": TestSendForm(initial={"language": "fr"}),
    }
    return render(request, "newsletter/edition_detail.html", context)


@login_required
def edition_progress(request, public_id):
    """The progress block alone (htmx polls it while the edition is being sent)."""
    edition = selectors.get_edition_for_user(request.user, public_id)
    return render(request, "newsletter/edition_detail.html#progress", _progress_context(edition))


# --------------------------------------------------------------------------- sections


def _section_form(kind, request, instance):
    form_class = SECTION_FORMS[kind]
    kwargs = {"instance": instance}
    if kind == SectionKind.STORY:
        kwargs["stories"] = selectors.publishable_stories(request.user)
    return form_class(request.POST or None, request.FILES or None, **kwargs)


def _save_section(request, edition, section, kind):
    if not edition.is_draft:
        messages.error(
            request, _("Cette édition est programmée ou envoyée : elle ne se modifie plus.")
        )
        return redirect("newsletter:edition-detail", public_id=edition.public_id)
    form = _section_form(kind, request, section)
    return form_page(
        request,
        form,
        lambda: services.section_save(
            user=request.user,
            section=form.save(commit=False),
            image=form.cleaned_data.get("image_file"),
            request=request,
        ),
        success=_("La section a été enregistrée."),
        to=_to_edition(edition),
        template="newsletter/section_form.html",
        context={
            "edition": edition,
            "section": section,
            "kind": kind,
            "kind_label": SectionKind(kind).label,
        },
        errors=image_errors,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request, public_id, kind):
    edition = selectors.get_edition_for_user(request.user, public_id)
    if kind not in SectionKind.values:
        raise Http404
    return _save_section(request, edition, Section(edition=edition, kind=kind), kind)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, public_id):
    section = selectors.get_section_for_user(request.user, public_id)
    return _save_section(request, section.edition, section, section.kind)


@login_required
@require_POST
def section_delete(request, public_id):
    section = selectors.get_section_for_user(request.user, public_id)
    return action(
        request,
        lambda: services.section_delete(user=request.user, section=section, request=request),
        success=_("La section a été retirée."),
        to=_to_edition(section.edition),
    )


@login_required
@require_POST
def section_move(request, public_id):
    section = selectors.get_section_for_user(request.user, public_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    return action(
        request,
        lambda: services.section_move(
            user=request.user, section=section, offset=offset, request=request
        ),
        success=None,
        to=_to_edition(section.edition),
    )


# --------------------------------------------------------------------------- preview and sending


def _preview_language(request) -> str:
    return "en" if request.GET.get("langue") == "en" else "fr"


@login_required
def edition_preview(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    language = _preview_language(request)
    rendered = emails.render_edition(edition, language=language, images="data")
    _html, text = rendered.for_recipient(emails.unsubscribe_url(None))
    return render(
        request,
        "newsletter/edition_preview.html",
        {"edition": edition, "language": language, "subject": rendered.subject, "text": text},
    )


@login_required
@xframe_options_sameorigin
@csp(PREVIEW_CSP)
def edition_preview_frame(request, public_id):
    """The email's HTML exactly as sent (images embedded), for the preview page's frame."""
    edition = selectors.get_edition_for_user(request.user, public_id)
    rendered = emails.render_edition(edition, language=_preview_language(request), images="data")
    html, _text = rendered.for_recipient(emails.unsubscribe_url(None))
    # Links open outside the frame (a new tab), as they would from a mail client.
    html = html.replace("<head>", '<head><base target="_blank">', 1)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
@require_POST
def edition_test_send(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    form = TestSendForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else "fr"
    return action(
        request,
        lambda: services.edition_test_send(
            user=request.user, edition=edition, language=language, request=request
        ),
        success=lambda address: _("Un essai a été envoyé à %(address)s.") % {"address": address},
        to=_to_edition(edition),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_send(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    if not edition.is_draft:
        return redirect("newsletter:edition-detail", public_id=edition.public_id)
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    saved = submitted(
        request,
        form,
        lambda: services.edition_schedule(
            user=request.user,
            edition=edition,
            send_after=form.cleaned_data["send_after"],
            request=request,
        ),
    )
    if saved is not NOT_SAVED:
        if saved.send_after:
            messages.success(request, _("L'envoi est programmé."))
        else:
            messages.success(request, _("L'envoi a commencé."))
        return redirect(_to_edition(saved))
    recipients = (
        selectors.subscribers_for_user(request.user, {})[0]
        .filter(status=SubscriberStatus.CONFIRMED)
        .count()
    )
    return render(
        request,
        "newsletter/edition_send.html",
        {
            "edition": edition,
            "form": form,
            "recipients": recipients,
            "section_count": edition.sections.count(),
        },
    )


@login_required
@require_POST
def edition_resume(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    return action(
        request,
        lambda: services.edition_resume(user=request.user, edition=edition, request=request),
        success=_("L'envoi a repris."),
        to=_to_edition(edition),
    )


@login_required
@require_POST
def edition_cancel(request, public_id):
    edition = selectors.get_edition_for_user(request.user, public_id)
    return action(
        request,
        lambda: services.edition_cancel(user=request.user, edition=edition, request=request),
        success=_("L'envoi est annulé : l'édition est redevenue un brouillon."),
        to=_to_edition(edition),
    )


# --------------------------------------------------------------------------- subscribers


@login_required
def subscriber_list(request):
    subscribers, filters = selectors.subscribers_for_user(request.user, request.GET)
    all_subscribers = selectors.subscribers_for_user(request.user, {})[0]
    counts = all_subscribers.aggregate(
        confirmed=Count("id", filter=Q(status=SubscriberStatus.CONFIRMED)),
        pending=Count("id", filter=Q(status=SubscriberStatus.PENDING)),
        unsubscribed=Count("id", filter=Q(status=SubscriberStatus.UNSUBSCRIBED)),
    )
    total = subscribers.count()
    page = keyset.offset_page(
        subscribers, per_page=SUBSCRIBERS_PER_PAGE, total=total, params=request.GET
    )
    return render(
        request,
        "newsletter/subscriber_list.html",
        {
            **page.context(),
            "filters": filters,
            "counts": counts,
            "total": total,
            "statuses": SubscriberStatus.choices,
        },
    )


@login_required
@require_POST
def subscriber_unsubscribe(request, public_id):
    """The coordination unsubscribes someone who asked by phone or by letter."""
    subscriber = selectors.get_subscriber_for_user(request.user, public_id)
    services.subscription_cancel(
        subscriber=subscriber, method="coordination", user=request.user, request=request
    )
    messages.success(request, _("La personne est désabonnée."))
    return redirect("newsletter:subscriber-list")


@login_required
def subscriber_import(request):
    """Subscribers are imported through the shared import pages (``tremplin.imports``)."""
    selectors.subscribers_for_user(request.user, {})  # 404 outside the coordination
    return redirect("imports:upload", entity="subscribers")


# --------------------------------------------------------------------------- site pages


@login_required
def page_list(request):
    existing = {p.slug: p for p in selectors.site_pages_for_user(request.user)}
    pages = [(slug, label, existing.get(slug)) for slug, label in SitePageSlug.choices]
    return render(request, "newsletter/page_list.html", {"pages": pages})


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request, slug):
    pages = selectors.site_pages_for_user(request.user)
    if slug not in SitePageSlug.values:
        raise Http404
    page = pages.filter(slug=slug).first() or SitePage(slug=slug, title=SitePageSlug(slug).label)
    form = SitePageForm(request.POST or None, instance=page)
    return form_page(
        request,
        form,
        lambda: services.site_page_save(
            user=request.user, page=form.save(commit=False), request=request
        ),
        success=_("La page a été enregistrée."),
        to="newsletter:page-list",
        template="newsletter/page_form.html",
        context={"page": page, "label": SitePageSlug(slug).label},
    )
