"""The public site's editable pages, project stories, and the quarterly newsletter (infolettre):
editions and their sections, subscribers with the proof of their consent (Canada's anti-spam
law, CASL), one delivery row per recipient and edition, and spreadsheet imports of subscribers.

Rich text (page bodies, story texts, text sections) is stored already sanitized by
``sanitize.clean_html`` (nh3, a short allow-list of tags); templates sanitize it again when they
show it, so a row written by any other path cannot inject markup either.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, author, optional_link
from tremplin.core.models import Localized, LocalizedLanguage, PublicModel, TimeStampedModel

LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
IMAGE_MAX_BYTES = 2 * 1024 * 1024
# Images that every email client shows (WebP is still missing from some desktop clients).
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}


class Illustrated(models.Model):
    """What a story and an image section say of their image, beside the file itself (each
    stores it under its own path): its checked type and its description in both languages."""

    image_type = models.CharField(max_length=20, blank=True)
    image_alt = models.CharField(_("description de l'image"), max_length=250, blank=True)
    image_alt_en = models.CharField(
        _("description de l'image (anglais)"), max_length=250, blank=True
    )

    display_image_alt = Localized("image_alt")

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- site pages


class SitePageSlug(models.TextChoices):
    HOME = "accueil", _("Accueil : présentation du programme")
    ABOUT = "a-propos", _("À propos du programme")
    LABS = "laboratoires", _("Laboratoires d'innovation")
    SENDER = "expediteur", _("Expéditeur de l'infolettre (pied de chaque message)")


class SitePage(TimeStampedModel):
    """A page (or block) of the public site whose text the coordination edits, in both languages."""

    slug = models.CharField(max_length=20, choices=SitePageSlug.choices, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    body = models.TextField(_("texte"), blank=True)
    body_en = models.TextField(_("texte (anglais)"), blank=True)
    updated_by = actor()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page du site public")
        verbose_name_plural = _("pages du site public")

    display_title = Localized("title")
    display_body = Localized("body")
    body_lang = LocalizedLanguage("body")

    def __str__(self):
        return self.get_slug_display()


# --------------------------------------------------------------------------- stories


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


def story_image_path(instance, filename):
    # Never the uploaded name: a random name with the extension of the checked type.
    return f"newsletter/stories/{instance.public_id}.{IMAGE_TYPES.get(instance.image_type, 'bin')}"


class Story(Illustrated, PublicModel):
    """The public story of a project, written and published (opted in) by someone who may edit
    the project. It holds no personal information: the public page shows only what is here,
    the project's kind, its territories and its start year."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="story"
    )
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    body_en = models.TextField(_("texte (anglais)"), blank=True)
    image = models.FileField(upload_to=story_image_path, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = actor()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("histoire de projet")
        verbose_name_plural = _("histoires de projets")
        indexes = [models.Index(fields=["status", "published_at"])]

    display_title = Localized("title")
    title_lang = LocalizedLanguage("title")
    display_body = Localized("body")
    body_lang = LocalizedLanguage("body")

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == StoryStatus.PUBLISHED

    def clean(self):
        self.title = (self.title or "").strip()


# --------------------------------------------------------------------------- editions


class Season(models.TextChoices):
    WINTER = "winter", _("Hiver")
    SPRING = "spring", _("Printemps")
    SUMMER = "summer", _("Été")
    FALL = "fall", _("Automne")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SCHEDULED = "scheduled", _("Programmée")
    SENT = "sent", _("Envoyée")


class Edition(PublicModel):
    """One issue of the newsletter. Editable while a draft; once scheduled its deliveries are
    created and a background job sends it; it is ``sent`` when every delivery is settled."""

    number = models.PositiveIntegerField(
        _("numéro"), unique=True, validators=[MinValueValidator(1)]
    )
    season = models.CharField(_("saison"), max_length=10, choices=Season.choices)
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    send_after = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True, editable=False)
    scheduled_by = actor(editable=False)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, editable=False)
    # Public (web archive, feed) from the moment the first message was accepted: by then the
    # edition is out, and it can no longer be cancelled.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Deliveries are created once, by the first run of the sending job (resumes reuse them).
    recipients_prepared = models.BooleanField(default=False, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    # Why the last run of the sending job stopped early (SMTP server unreachable…), in French.
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("édition de l'infolettre")
        verbose_name_plural = _("éditions de l'infolettre")
        constraints = [
            models.UniqueConstraint(fields=["season", "year"], name="edition_once_a_season")
        ]

    display_title = Localized("title")
    title_lang = LocalizedLanguage("title")

    def __str__(self):
        return f"{self.number} – {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == EditionStatus.DRAFT

    @property
    def is_sent(self) -> bool:
        return self.status == EditionStatus.SENT

    def clean(self):
        self.title = (self.title or "").strip()
        self.title_en = (self.title_en or "").strip()


class SectionKind(models.TextChoices):
    TEXT = "text", _("Texte")
    IMAGE = "image", _("Image")
    STORY = "story", _("Histoire de projet")


def section_image_path(instance, filename):
    ext = IMAGE_TYPES.get(instance.image_type, "bin")
    return f"newsletter/editions/{instance.edition.public_id}/{instance.public_id}.{ext}"


class Section(Illustrated, PublicModel):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=10, choices=SectionKind.choices)
    heading = models.CharField(_("intertitre"), max_length=200, blank=True)
    heading_en = models.CharField(_("intertitre (anglais)"), max_length=200, blank=True)
    body = models.TextField(_("texte"), blank=True)
    body_en = models.TextField(_("texte (anglais)"), blank=True)
    image = models.FileField(upload_to=section_image_path, blank=True)
    story = optional_link(Story, _("histoire"), on_delete=models.SET_NULL, related_name="sections")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    display_heading = Localized("heading")
    heading_lang = LocalizedLanguage("heading")
    display_body = Localized("body")
    body_lang = LocalizedLanguage("body")

    def __str__(self):
        return f"{self.edition.number} §{self.position} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == SectionKind.TEXT and not (self.body or "").strip():
            errors["body"] = _("Une section de texte a un texte.")
        if self.kind == SectionKind.IMAGE:
            # Whether an image is there is checked by the services: the upload is stored only
            # once everything else is valid.
            if not (self.image_alt or "").strip():
                errors["image_alt"] = _("Décrivez l'image pour les personnes qui ne la voient pas.")
        if self.kind == SectionKind.STORY:
            if self.story_id is None:
                errors["story"] = _("Choisissez une histoire publiée.")
            elif not self.story.is_published:
                errors["story"] = _("Seule une histoire publiée peut figurer dans l'infolettre.")
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- subscribers


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("En attente de confirmation")
    CONFIRMED = "confirmed", _("Abonné·e")
    UNSUBSCRIBED = "unsubscribed", _("Désabonné·e")


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web", _("Formulaire du site, confirmé par courriel")
    IMPORT = "import", _("Importé : consentement obtenu ailleurs")


class Subscriber(PublicModel):
    """A newsletter recipient and the proof of their consent (CASL): when, how and from where.

    Only ``confirmed`` subscribers receive editions: a web sign-up becomes confirmed when the
    person follows the link sent to the address (double opt-in); an import records consent
    obtained elsewhere (a paper form at an event…) with its source and date.
    """

    email = models.EmailField(_("courriel"), unique=True)
    language = models.CharField(_("langue"), max_length=2, choices=LANGUAGES, default="fr")
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("demande faite le"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_method = models.CharField(
        _("mode de consentement"), max_length=10, choices=ConsentMethod.choices
    )
    consent_source = models.CharField(_("source du consentement"), max_length=300)
    # The statement the person agreed to, as worded at the time (proof of what was consented to).
    consent_text = models.TextField(_("énoncé de consentement"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné·e le"), null=True, blank=True)
    unsubscribe_method = models.CharField(max_length=40, blank=True)
    import_batch = optional_link("SubscriberImport", on_delete=models.SET_NULL)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["email"]
        verbose_name = _("personne abonnée")
        verbose_name_plural = _("personnes abonnées")
        indexes = [models.Index(fields=["status", "email"])]

    def __str__(self):
        return self.email

    @property
    def masked_email(self) -> str:
        """``j•••@example.org``: enough for the person to recognize their address."""
        local, _sep, domain = self.email.partition("@")
        return f"{local[:1]}•••@{domain}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    SKIPPED = "skipped", _("Non envoyé (désabonné·e)")


class Delivery(models.Model):
    """One edition to one subscriber. The unique pair is what makes a resumed job send nobody
    twice: a row is claimed (``sending``, with the claimer's token) before its message goes out
    and marked ``sent`` only once the SMTP server has accepted it."""

    MAX_ATTEMPTS = 3

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="delivery_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return f"{self.edition_id}→{self.subscriber_id} {self.status}"


class SubscriberImport(PublicModel):
    """A spreadsheet of people who consented elsewhere, as imported: who imported it, from
    which file, the consent source typed on the form, the counts. Each subscriber it created
    or confirmed points to it (``Subscriber.import_batch``), the proof of how they came in.
    The history of the import itself (mapping, rejected rows, undo) is ``imports.ImportRecord``."""

    user = author()
    filename = models.CharField(max_length=255)
    source = models.CharField(_("source du consentement"), max_length=300)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
