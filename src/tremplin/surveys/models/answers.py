"""Answers (one row per value), their per-site summaries, themes, volunteers, spent tokens."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.crypto import EncryptedTextField
from tremplin.core.fields import actor, optional_link
from tremplin.core.models import PublicModel

from .campaigns import Campaign, CampaignSite
from .questionnaires import Choice, Question, QuestionnaireVersion


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
    entered_by = actor()
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
    choice = optional_link(Choice)
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
