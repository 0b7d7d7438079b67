"""Questionnaires (with frozen versions), campaigns in sites, answers and their summaries.

A questionnaire's content lives in its versions. A version that has answers is frozen
(``frozen_at``): editing the questionnaire then creates the next version, so answers always
match the wording they were given with, and every response records the version it used.

Answers are stored one row per value (``AnswerValue``: one row per chosen option of a
multiple-choice question), so that results are SQL aggregates. ``SiteResult`` holds those
aggregates per site (counts per question and option), recomputed for a site whenever its
answers change (``services.site_refresh_results``): a results page reads a few hundred summary
rows whatever the number of answers.

Respondents are not tracked: a response keeps its date (not the time), its site and how it was
collected; no address, no account, no device identifier. Contact details left by residents who
want to get involved (``Volunteer``) are kept apart from answers, encrypted at rest, with no
link to the response.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.core.crypto import EncryptedTextField
from tremplin.core.models import PublicModel
from tremplin.housing.models import Building, HousingProvider
from tremplin.territories.models import Territory

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000
RATING_MIN, RATING_MAX = 1, 5
NUMBER_LIMIT = 1_000_000_000  # any number beyond this is a typing error


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def localized(fr: str, en: str) -> str:
    """The English wording when English is active and given, else the French one."""
    return en if (en and _english()) else fr


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiples")
    RATING = "rating", _("Échelle de 1 à 5")
    NUMBER = "number", _("Nombre")
    SHORT_TEXT = "short_text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
CLOSED_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})


class Questionnaire(PublicModel):
    """A questionnaire; its wording is in its versions (the last one is the current one)."""

    title = models.CharField(_("titre"), max_length=200)  # the latest version's French title
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("créé par"),
    )
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title

    def latest_version(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(PublicModel):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    intro_fr = models.TextField(_("mot d'accueil (français)"), blank=True, max_length=2000)
    intro_en = models.TextField(_("mot d'accueil (anglais)"), blank=True, max_length=2000)
    # Set when the first answer is stored: from then on the version never changes.
    frozen_at = models.DateTimeField(_("figée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("version de questionnaire")
        verbose_name_plural = _("versions de questionnaire")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="surveys_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.title_fr} (v{self.number})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def title(self) -> str:
        return localized(self.title_fr, self.title_en)

    @property
    def intro(self) -> str:
        return localized(self.intro_fr, self.intro_en)


class Section(PublicModel):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nom (XLSForm)"), max_length=64)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="surveys_section_unique_name")
        ]

    def __str__(self):
        return self.title_fr

    @property
    def title(self) -> str:
        return localized(self.title_fr, self.title_en)


class Question(PublicModel):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    # Order within the section; the questionnaire's order is (section position, position).
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nom (XLSForm)"), max_length=64)
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    label_fr = models.CharField(_("libellé (français)"), max_length=500)
    label_en = models.CharField(_("libellé (anglais)"), max_length=500, blank=True)
    hint_fr = models.CharField(_("indication (français)"), max_length=500, blank=True)
    hint_en = models.CharField(_("indication (anglais)"), max_length=500, blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)
    # ``conditions.py``: {"q": name, "op": "=", "value": "x"} or {"all"|"any": [...]}.
    condition = models.JSONField(_("condition"), null=True, blank=True)
    integer_only = models.BooleanField(_("nombre entier"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["version", "section__position", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="surveys_question_unique_name")
        ]

    def __str__(self):
        return self.label_fr

    @property
    def label(self) -> str:
        return localized(self.label_fr, self.label_en)

    @property
    def hint(self) -> str:
        return localized(self.hint_fr, self.hint_en)

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def max_length(self) -> int:
        return LONG_TEXT_MAX if self.kind == QuestionKind.LONG_TEXT else SHORT_TEXT_MAX


class Choice(models.Model):
    """An option of a single- or multiple-choice question (rating questions get 1 to 5)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nom (XLSForm)"), max_length=64)
    label_fr = models.CharField(_("libellé (français)"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200, blank=True)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choix de réponse")
        verbose_name_plural = _("choix de réponse")
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="surveys_choice_unique_name")
        ]

    def __str__(self):
        return self.label_fr

    @property
    def label(self) -> str:
        return localized(self.label_fr, self.label_en)


class Campaign(PublicModel):
    """A questionnaire version run in chosen sites between two dates."""

    title = models.CharField(_("titre"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("version du questionnaire"),
    )
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("fermeture"))
    allows_contact = models.BooleanField(
        _("les répondant·es peuvent laisser leurs coordonnées pour s'impliquer"),
        default=False,
        help_text=_(
            "Sinon, les réponses sont entièrement anonymes. Les coordonnées sont conservées à "
            "part des réponses, sans lien avec elles."
        ),
    )
    # Derived from the sites (services.campaign_refresh): scope of organizers.
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="survey_campaigns", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by services.site_refresh_results: lists show it without counting answers.
    response_count = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("campagne d'enquête")
        verbose_name_plural = _("campagnes d'enquête")

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("La fermeture doit suivre l'ouverture (ou être le même jour).")}
            )

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def status_on(self, day) -> str:
        if day < self.opens_on:
            return "upcoming"
        if day > self.closes_on:
            return "closed"
        return "open"


class CampaignSite(PublicModel):
    """A building or a housing provider where a campaign collects answers; ``code`` is the
    short, unguessable part of its public answer link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sites")
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_sites"
    )
    provider = models.ForeignKey(
        HousingProvider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_sites",
    )
    code = models.CharField(max_length=16, unique=True)
    label = models.CharField(_("site"), max_length=300)
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.PositiveIntegerField(_("objectif (réponses)"), default=0)
    # Kept by services.site_refresh_results.
    response_count = models.PositiveIntegerField(default=0, editable=False)
    tablet_count = models.PositiveIntegerField(default=0, editable=False)
    paper_count = models.PositiveIntegerField(default=0, editable=False)

    @property
    def online_count(self) -> int:
        return self.response_count - self.tablet_count - self.paper_count

    class Meta:
        ordering = ["campaign", "label", "id"]
        verbose_name = _("site d'une campagne")
        verbose_name_plural = _("sites d'une campagne")
        constraints = [
            models.CheckConstraint(
                condition=(Q(building__isnull=False) & Q(provider__isnull=True))
                | (Q(building__isnull=True) & Q(provider__isnull=False)),
                name="surveys_site_building_or_provider",
            ),
            models.UniqueConstraint(
                fields=["campaign", "building"], name="surveys_site_unique_building"
            ),
            models.UniqueConstraint(
                fields=["campaign", "provider"], name="surveys_site_unique_provider"
            ),
        ]

    def __str__(self):
        return self.label


class Source(models.TextChoices):
    ONLINE = "online", _("En ligne")
    TABLET = "tablet", _("Tablette de l'équipe")
    PAPER = "paper", _("Papier (saisie)")


class Response(PublicModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    site = models.ForeignKey(CampaignSite, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    # The day only: the time of an answer could single out who answered.
    submitted_on = models.DateField(_("date"))
    source = models.CharField(_("mode"), max_length=8, choices=Source.choices)
    sheet_number = models.PositiveIntegerField(_("numéro de feuille"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=5, default="fr")
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sheet_number"], name="surveys_response_unique_sheet"
            ),
            models.CheckConstraint(
                condition=Q(source="paper", sheet_number__isnull=False)
                | (~Q(source="paper") & Q(sheet_number__isnull=True)),
                name="surveys_response_sheet_iff_paper",
            ),
        ]
        indexes = [models.Index(fields=["site", "id"], name="surveys_response_site")]

    def __str__(self):
        return f"{self.campaign} #{self.pk}"


class AnswerValue(models.Model):
    """One value of one answer: a chosen option, a number or a text. Campaign and site are
    copied from the response so that aggregates group without joining it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="values")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(CampaignSite, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    themes = models.ManyToManyField("Theme", blank=True, related_name="answers")

    class Meta:
        ordering = ["id"]
        verbose_name = _("valeur de réponse")
        verbose_name_plural = _("valeurs de réponse")
        indexes = [
            models.Index(fields=["site", "question"], name="surveys_value_site_question"),
            # Free-text answers of a campaign, page by page.
            models.Index(fields=["campaign", "question", "id"], name="surveys_value_question"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.choice_id or self.number or self.text[:40]}"


class SiteResult(models.Model):
    """Aggregates of one site's answers to one question: ``choice`` set → how many chose it;
    ``choice`` empty → how many answered the question (and, for numbers, their sum)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(CampaignSite, on_delete=models.CASCADE, related_name="results")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE)
    count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "question"], name="surveys_result_campaign"),
            models.Index(fields=["site"], name="surveys_result_site"),
        ]

    def __str__(self):
        return f"{self.site_id}/{self.question_id}/{self.choice_id}: {self.count}"


class Theme(PublicModel):
    """A theme into which the organizers sort free-text answers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("thème"), max_length=100)

    class Meta:
        ordering = ["campaign", "name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="surveys_theme_unique_name")
        ]

    def __str__(self):
        return self.name


class Volunteer(PublicModel):
    """A resident who left contact details to get involved. Deliberately not linked to any
    response; encrypted at rest; read only by the organizers of the site's territory."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="volunteers")
    site = models.ForeignKey(CampaignSite, on_delete=models.CASCADE, related_name="volunteers")
    name = EncryptedTextField(_("nom"))
    phone = EncryptedTextField(_("téléphone"), blank=True)
    email = EncryptedTextField(_("courriel"), blank=True)
    note = EncryptedTextField(_("disponibilités, intérêts"), blank=True)
    left_on = models.DateField(_("date"))
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["campaign", "site", "id"]
        verbose_name = _("résident·e volontaire")
        verbose_name_plural = _("résident·es volontaires")


class UsedToken(models.Model):
    """A one-time token already spent on a campaign (a device's, or a form's). Only a digest is
    kept, with no link to the response it came with."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    used_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "digest"], name="surveys_token_unique")
        ]

    def __str__(self):
        return self.digest[:12]


class QuestionnaireImport(PublicModel):
    """An uploaded XLSForm: checked (dry run) first, imported once confirmed."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("vérifié (essai)")
        APPLIED = "applied", _("importé")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
