"""Writes of the public site and the newsletter: validated with ``full_clean()`` in a transaction,
and audited. Texts are sanitized here, before they are stored."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited
from tremplin.operations import mail
from tremplin.projects.services import sniff_type

from . import emails, sanitize, tasks
from .models import (
    IMAGE_MAX_BYTES,
    IMAGE_TYPES,
    ConsentMethod,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Season,
    Section,
    SectionKind,
    SitePage,
    Story,
    StoryStatus,
    Subscriber,
    SubscriberStatus,
)

# --------------------------------------------------------------------------- images


def checked_image_type(upload) -> str:
    """The real type of an uploaded image, checked by its content (the projects app's sniffer):
    JPEG or PNG, at most 2 MB. Raises a French ``ValidationError`` otherwise."""
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("L'image dépasse la taille maximale de 2 Mo."), code="too_big")
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_type(head)
    if content_type not in IMAGE_TYPES:
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG ou PNG, quel que soit son nom."),
            code="bad_type",
        )
    return content_type


def _store_image(obj, upload, content_type: str) -> None:
    obj.image_type = content_type
    obj.image.save("upload", upload, save=False)


def _describe_image_error() -> str:
    return _("Décrivez l'image pour les personnes qui ne la voient pas.")


def _checked_with_image(obj, image, errors: dict) -> str | None:
    """Check ``obj`` (``full_clean()``) and its uploaded ``image``, if any, together, adding to
    ``errors`` (the caller's own checks): every error is raised at once, before anything is
    stored. Returns the image's real type."""
    content_type = None
    if image is not None:
        try:
            content_type = checked_image_type(image)
        except ValidationError as error:
            errors["image"] = error.messages
    try:
        obj.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return content_type


# --------------------------------------------------------------------------- site pages


@transaction.atomic
def site_page_save(*, user, page: SitePage, request=None) -> SitePage:
    """Save a page of the public site (coordination); its texts are sanitized."""
    page.body = sanitize.clean_html(page.body)
    page.body_en = sanitize.clean_html(page.body_en)
    page.updated_by = user
    return save_audited(
        page, "newsletter.page", verb="update", user=user, request=request, data={"slug": page.slug}
    )


# --------------------------------------------------------------------------- stories


def _personal_information_errors(story: Story) -> dict:
    errors = {}
    for name in ("title", "title_en", "body", "body_en", "image_alt", "image_alt_en"):
        found = sanitize.personal_information(getattr(story, name) or "")
        if found:
            errors[name] = _(
                "Retirez ce qui ressemble à des coordonnées (%(found)s) : une histoire publique "
                "ne contient aucun renseignement personnel."
            ) % {"found": ", ".join(sorted(set(found)))[:200]}
    return errors


@transaction.atomic
def story_save(
    *, user, story: Story, image=None, remove_image: bool = False, request=None
) -> Story:
    """Create or update a project's story (still a draft unless it was published).

    Everything is checked before the uploaded image is stored (no file left behind by a
    refused form)."""
    created = story.pk is None
    story.body = sanitize.clean_html(story.body)
    story.body_en = sanitize.clean_html(story.body_en)
    errors = _personal_information_errors(story)
    keeps_image = image is not None or (bool(story.image) and not remove_image)
    if keeps_image and not (story.image_alt or "").strip():
        errors["image_alt"] = [_describe_image_error()]
    content_type = _checked_with_image(story, image, errors)
    if story.image and (remove_image or image is not None):
        story.image.delete(save=False)
        story.image = ""
        story.image_type = ""
    if image is not None:
        _store_image(story, image, content_type)
    story.save()
    log_action(
        story.project,
        "newsletter.story.create" if created else "newsletter.story.update",
        user=user,
        request=request,
        data={"story": str(story.public_id)},
    )
    return story


@transaction.atomic
def story_publish(*, user, story: Story, request=None) -> Story:
    """Publish a story on the public site (the person attests it holds no personal information)."""
    errors = _personal_information_errors(story)
    if story.image and not (story.image_alt or "").strip():
        errors["image_alt"] = _describe_image_error()
    if errors:
        raise ValidationError(errors)
    story.full_clean()
    story.status = StoryStatus.PUBLISHED
    story.published_at = story.published_at or timezone.now()
    story.published_by = user
    story.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    log_action(
        story.project,
        "newsletter.story.publish",
        user=user,
        request=request,
        data={"story": str(story.public_id)},
    )
    return story


@transaction.atomic
def story_unpublish(*, user, story: Story, request=None) -> Story:
    """Withdraw a story from the public site (it stays as a draft)."""
    story.status = StoryStatus.DRAFT
    story.save(update_fields=["status", "updated_at"])
    log_action(
        story.project,
        "newsletter.story.unpublish",
        user=user,
        request=request,
        data={"story": str(story.public_id)},
    )
    return story


# --------------------------------------------------------------------------- editions


SEASON_BY_MONTH = {
    1: Season.WINTER,
    2: Season.WINTER,
    3: Season.SPRING,
    4: Season.SPRING,
    5: Season.SPRING,
    6: Season.SUMMER,
    7: Season.SUMMER,
    8: Season.SUMMER,
    9: Season.FALL,
    10: Season.FALL,
    11: Season.FALL,
    12: Season.WINTER,
}


def next_edition_defaults() -> dict:
    today = timezone.localdate()
    last = Edition.objects.aggregate(n=Max("number"))["n"] or 0
    return {"number": last + 1, "season": SEASON_BY_MONTH[today.month], "year": today.year}


def _require_draft(edition: Edition) -> None:
    if not edition.is_draft:
        raise ValidationError(
            _("Cette édition est programmée ou envoyée : elle ne se modifie plus."),
            code="not_draft",
        )


@transaction.atomic
def edition_save(*, user, edition: Edition, request=None) -> Edition:
    if edition.pk is not None:
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        _require_draft(current)
    return save_audited(edition, "newsletter.edition", user=user, request=request)


@transaction.atomic
def edition_delete(*, user, edition: Edition, request=None) -> None:
    _require_draft(edition)
    log_action(edition, "newsletter.edition.delete", user=user, request=request)
    edition.delete()


@transaction.atomic
def section_save(*, user, section: Section, image=None, request=None) -> Section:
    """Add or change a section of a draft edition (texts sanitized, image checked)."""
    edition = Edition.objects.select_for_update().get(pk=section.edition_id)
    _require_draft(edition)
    created = section.pk is None
    if created:
        last = edition.sections.aggregate(p=Max("position"))["p"]
        section.position = 0 if last is None else last + 1
    section.body = sanitize.clean_html(section.body)
    section.body_en = sanitize.clean_html(section.body_en)
    errors = {}
    if image is None and section.kind == SectionKind.IMAGE and not section.image:
        errors["image"] = [_("Choisissez une image.")]
    content_type = _checked_with_image(section, image, errors)
    if image is not None:
        if section.image:
            section.image.delete(save=False)
        _store_image(section, image, content_type)
    section.save()
    log_action(
        edition,
        "newsletter.section.create" if created else "newsletter.section.update",
        user=user,
        request=request,
        data={"section": str(section.public_id), "kind": section.kind},
    )
    return section


@transaction.atomic
def section_delete(*, user, section: Section, request=None) -> None:
    edition = Edition.objects.select_for_update().get(pk=section.edition_id)
    _require_draft(edition)
    log_action(
        edition,
        "newsletter.section.delete",
        user=user,
        request=request,
        data={"section": str(section.public_id), "kind": section.kind},
    )
    if section.image:
        section.image.delete(save=False)
    section.delete()


@transaction.atomic
def section_move(*, user, section: Section, offset: int, request=None) -> None:
    """Move a section up (-1) or down (+1); positions are renumbered 0, 1, 2…"""
    edition = Edition.objects.select_for_update().get(pk=section.edition_id)
    _require_draft(edition)
    sections = list(edition.sections.order_by("position", "id"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    target = index + offset
    if 0 <= target < len(sections):
        sections[index], sections[target] = sections[target], sections[index]
    for position, item in enumerate(sections):
        if item.position != position:
            Section.objects.filter(pk=item.pk).update(position=position)


def _enqueue_send(edition: Edition):
    task = tasks.send_edition
    if edition.send_after and edition.send_after > timezone.now():
        task = task.using(run_after=edition.send_after)
    result = task.enqueue(edition.pk)
    Edition.objects.filter(pk=edition.pk).update(task_id=str(result.id)[:64])
    return result


def edition_schedule(
    *, user, edition: Edition, send_after: dt.datetime | None = None, request=None
) -> Edition:
    """Schedule an edition: the background job sends it now, or at ``send_after``."""
    now = timezone.now()
    if send_after is not None and send_after <= now:
        send_after = None
    if send_after is not None and not tasks.send_edition.get_backend().supports_defer:
        raise ValidationError(
            _("L'envoi différé n'est pas possible avec cette configuration : envoyez maintenant."),
            code="no_defer",
        )
    with transaction.atomic():
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        _require_draft(current)
        if not current.sections.exists():
            raise ValidationError(_("L'édition n'a aucune section."), code="empty")
        for section in current.sections.select_related("story"):
            # A story withdrawn since it was added, an image gone…: refuse to send.
            section.full_clean()
            if section.kind == SectionKind.IMAGE and not section.image:
                raise ValidationError(_("Une section d'image n'a pas d'image."))
        current.status = EditionStatus.SCHEDULED
        current.send_after = send_after
        current.scheduled_at = now
        current.scheduled_by = user
        current.last_error = ""
        current.save()
        log_action(
            current,
            "newsletter.edition.schedule",
            user=user,
            request=request,
            data={"send_after": send_after.isoformat() if send_after else None},
        )
    _enqueue_send(current)
    current.refresh_from_db()
    return current


def edition_resume(*, user, edition: Edition, request=None) -> Edition:
    """Start the job again for a scheduled edition whose run stopped (or was killed)."""
    if edition.status != EditionStatus.SCHEDULED:
        raise ValidationError(_("Seule une édition en cours d'envoi peut être reprise."))
    log_action(edition, "newsletter.edition.resume", user=user, request=request)
    Edition.objects.filter(pk=edition.pk).update(send_after=None)
    edition.send_after = None
    _enqueue_send(edition)
    edition.refresh_from_db()
    return edition


@transaction.atomic
def edition_cancel(*, user, edition: Edition, request=None) -> Edition:
    """Back to draft, as long as no message has gone out."""
    current = Edition.objects.select_for_update().get(pk=edition.pk)
    started = current.deliveries.filter(
        status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING]
    ).exists()
    if current.status != EditionStatus.SCHEDULED or started or current.published_at:
        raise ValidationError(
            _("L'envoi a commencé : il ne peut plus être annulé."), code="started"
        )
    current.deliveries.all().delete()
    current.status = EditionStatus.DRAFT
    current.recipients_prepared = False
    current.send_after = None
    current.scheduled_at = None
    current.scheduled_by = None
    current.last_error = ""
    current.save()
    log_action(current, "newsletter.edition.cancel", user=user, request=request)
    return current


def edition_test_send(*, user, edition: Edition, language: str = "fr", request=None) -> str:
    """Send the edition as it stands to the person's own address; returns that address."""
    address = (getattr(user, "email", "") or "").strip()
    if not address:
        raise ValidationError(
            _("Votre compte n'a pas d'adresse courriel : ajoutez-en une pour recevoir l'essai.")
        )
    rendered = emails.render_edition(edition, language=language, test=True)
    message = emails.edition_message(rendered, to=address, unsubscribe=emails.unsubscribe_url(None))
    try:
        message.connection = get_connection(fail_silently=False, timeout=30)
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise ValidationError(
            _("L'envoi d'essai a échoué : %(error)s") % {"error": str(exc)[:200]}
        ) from exc
    log_action(
        edition, "newsletter.edition.test_send", user=user, request=request, data={"to": address}
    )
    return address


# --------------------------------------------------------------------------- subscribers


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def subscription_request(
    *, email: str, language: str, consent_text: str, send_email: bool = True
) -> Subscriber:
    """Record a request from the web form and queue the right email for the address.

    Whatever the address's state, the caller answers the same thing: new or pending → a
    (new) confirmation link; unsubscribed → pending again, with a new link; already confirmed →
    a notice to the address itself. Nothing is sent to an address until it confirms.
    """
    email = normalize_email(email)
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            subscriber = Subscriber(
                email=email,
                consent_method=ConsentMethod.WEB_FORM,
                consent_source=_("Formulaire d'abonnement du site web"),
            )
        if subscriber.status == SubscriberStatus.CONFIRMED:
            kind = "already"
        else:
            kind = "confirm"
            subscriber.status = SubscriberStatus.PENDING
            subscriber.language = language
            subscriber.requested_at = now
            subscriber.consent_text = consent_text
            subscriber.consent_method = ConsentMethod.WEB_FORM
            subscriber.consent_source = _("Formulaire d'abonnement du site web")
            subscriber.full_clean()
            subscriber.save()
    if send_email:
        # Through the e-mail queue (retried with backoff while the mail server is down).
        mail.enqueue("tremplin.newsletter.tasks.subscription_email", subscriber.pk, kind)
    return subscriber


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber, request=None) -> bool:
    """Confirm a pending subscription (double opt-in): the consent is given now."""
    current = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if current.status != SubscriberStatus.PENDING:
        return False
    now = timezone.now()
    current.status = SubscriberStatus.CONFIRMED
    current.confirmed_at = now
    current.consent_at = now
    current.unsubscribed_at = None
    current.unsubscribe_method = ""
    current.save()
    log_action(current, "newsletter.subscriber.confirm", request=request)
    return True


@transaction.atomic
def subscription_cancel(*, subscriber: Subscriber, method: str, user=None, request=None) -> bool:
    """Unsubscribe (any state); deliveries not yet sent to this address will be skipped."""
    current = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if current.status == SubscriberStatus.UNSUBSCRIBED:
        return False
    current.status = SubscriberStatus.UNSUBSCRIBED
    current.unsubscribed_at = timezone.now()
    current.unsubscribe_method = method[:40]
    current.save()
    Delivery.objects.filter(subscriber=current, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED
    )
    log_action(
        current,
        "newsletter.subscriber.unsubscribe",
        user=user,
        request=request,
        data={"method": method},
    )
    return True
