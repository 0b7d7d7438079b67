"""Import of a campaign's paper answers typed into a spreadsheet (one row per sheet), through
the tabular framework and ``services.response_submit`` (the same checks as the paper entry
page: answers cleaned by ``answering``, sheet numbers unique, summaries refreshed, journal).

The fields are the campaign's: its site and the sheet's number, then one per question (named
by its label, its name or its number ``Q3``). A choice is written by its label or its name;
several choices are separated by semicolons."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.tabular.mapping import Fields

from . import answering, permissions, selectors, services
from .models import QuestionKind, Response, Source

BASE_FIELDS = [
    Field("site", "Site", required=True, aliases=("Immeuble", "Lieu", "Code du site")),
    Field(
        "sheet_number",
        "Numéro de la feuille",
        required=True,
        aliases=("Feuille", "No de feuille", "Numéro", "No"),
    ),
]


class OptionsForm(forms.Form):
    campaign = forms.UUIDField(
        label=gettext_lazy("Identifiant de la campagne"),
        help_text=gettext_lazy(
            "La suite de chiffres et de lettres de l'adresse de la page de la campagne."
        ),
    )


class AnswerImporter(tabular.Importer):
    entity = "answers"
    label = "Réponses papier d'une enquête"
    row_label = "Feuille"
    fields = BASE_FIELDS
    options_form = OptionsForm
    needs_user = True  # a paper sheet is entered by someone
    reject_identical_rows = False  # two sheets may carry the same answers; numbers tell them apart

    @classmethod
    def can_import(cls, user) -> bool:
        return permissions.is_survey_staff(user)

    def _campaign(self):
        if not hasattr(self, "campaign"):
            try:
                self.campaign = selectors.get_campaign_for_user(
                    self.user, self.options.get("campaign")
                )
            except Http404:
                raise tabular.FileError(
                    _("Campagne introuvable, ou que vous ne gérez pas.")
                ) from None
            self.struct = answering.structure(self.campaign.version)
        return self.campaign

    def field_set(self) -> Fields:
        self._campaign()
        fields = list(BASE_FIELDS)
        for info in self.struct.by_name.values():
            fields.append(
                Field(info.name, info.label[:120], aliases=(info.name, f"Q{info.number}"))
            )
        return Fields(fields)

    def prepare(self, columns):
        self.columns = columns
        campaign = self._campaign()
        today = timezone.localdate()
        last_day = campaign.closes_on + dt.timedelta(days=services.PAPER_GRACE_DAYS)
        if not campaign.opens_on <= today <= last_day:
            raise tabular.FileError(
                _(
                    "Cette enquête n'accepte pas de feuilles papier aujourd'hui (du %(start)s au %(end)s)."
                )
                % {"start": campaign.opens_on.isoformat(), "end": last_day.isoformat()}
            )
        self.sites = {}
        for site in campaign.sites.select_related("building", "provider"):
            names = [site.code, site.label]
            if site.building_id:
                names.append(site.building.address)
            for name in names:
                self.sites.setdefault(tabular.loose(name), site)
        self.sheets = set(
            Response.objects.filter(campaign=campaign, sheet_number__isnull=False).values_list(
                "sheet_number", flat=True
            )
        )
        self.seen: dict[int, int] = {}
        self.choices = {
            name: {
                **{tabular.loose(c.label): c.name for c in info.choices},
                **{tabular.loose(c.name): c.name for c in info.choices},
            }
            for name, info in self.struct.by_name.items()
        }

    def check(self, row: Row):
        reasons: list[str] = []
        row.required(["site", "sheet_number"], reasons)
        number = row.integer("sheet_number", reasons, minimum=1, maximum=1_000_000)
        site = None
        if row.get("site"):
            site = self.sites.get(tabular.loose(row.text("site")))
            if site is None:
                reasons.append(
                    _("Site inconnu dans cette campagne : « %(site)s »")
                    % {"site": row.text("site")}
                )
        if number is not None:
            if number in self.sheets:
                reasons.append(
                    _("La feuille no %(number)s a déjà été saisie pour cette campagne.")
                    % {"number": number}
                )
            elif number in self.seen:
                reasons.append(
                    _("Feuille no %(number)s en double (déjà à la ligne %(line)s).")
                    % {"number": number, "line": self.seen[number]}
                )
            self.seen.setdefault(number, row.line)
        answers = {}
        for name, info in self.struct.by_name.items():
            if not row.has(name) or not row.get(name):
                continue
            text = row.get(name)
            if info.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                parts = re.split(r"\s*;\s*", text) if info.kind == QuestionKind.MULTIPLE else [text]
                answers[name] = [self.choices[name].get(tabular.loose(p), p) for p in parts]
            else:
                answers[name] = [text]
        try:
            answering.clean_answers(self.struct, answers)
        except ValidationError as error:
            for name, messages in getattr(
                error, "message_dict", {"__all__": error.messages}
            ).items():
                column = row.header(name) if row.has(name) else ""
                for message in messages:
                    reasons.append(
                        _("%(message)s (colonne « %(column)s »)")
                        % {"message": message, "column": column}
                        if column
                        else message
                    )
        label = _("Feuille %(number)s") % {"number": number or "?"}
        if not answers and not reasons:
            reasons.append(_("Aucune réponse : répondez à au moins une question."))
        if reasons:
            return RowResult(row.line, "reject", label, reasons), None
        return RowResult(row.line, "create", label), (site, number, answers)

    def write(self, plans, *, report) -> dict:
        created = []
        for site, number, answers in plans:
            response = services.response_submit(
                site=site,
                answers=answers,
                source=Source.PAPER,
                sheet_number=number,
                user=self.user,
                struct=self.struct,
            )
            created.append(response.pk)
        return {"created": created}

    def written_records(self, written: dict) -> list[tabular.Written]:
        def describe(response):
            return _("Feuille %(number)s") % {"number": response.sheet_number}

        return [tabular.Written(Response, written.get("created", []), describe=describe)]

    def undo(self, written: dict) -> None:
        for response in Response.objects.filter(pk__in=written.get("created", [])):
            services.response_delete(user=self.user, response=response)
