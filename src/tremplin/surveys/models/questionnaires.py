"""Questionnaires and their versions: sections, questions, choices; an XLSForm being imported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, optional_link
from tremplin.core.models import Localized, PublicModel, english

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000
RATING_MIN, RATING_MAX = 1, 5
NUMBER_LIMIT = 1_000_000_000  # any number beyond this is a typing error


def localized(fr: str, en: str) -> str:
    """The English wording when English is active and given, else the French one."""
    return en if (en and english()) else fr


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
    created_by = actor(_("créé par"))
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
    created_by = actor()

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

    title = Localized("title_fr", "title_en")

    intro = Localized("intro_fr", "intro_en")


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

    title = Localized("title_fr", "title_en")


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

    label = Localized("label_fr", "label_en")

    hint = Localized("hint_fr", "hint_en")

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

    label = Localized("label_fr", "label_en")


class QuestionnaireImport(PublicModel):
    """An uploaded XLSForm: checked (dry run) first, imported once confirmed."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("vérifié (essai)")
        APPLIED = "applied", _("importé")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    questionnaire = optional_link(Questionnaire, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]
