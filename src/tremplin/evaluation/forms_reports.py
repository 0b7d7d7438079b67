"""Forms of the highlights reports: a new report (its period, territory and agreement), its
texts, and the moves of its examples. Messages in French; bad input never fails a page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.partners.models import Agreement
from tremplin.territories.models import Territory

from .periods import TERRITORY, Area, Period
from .report_services import EARLIEST, LATEST, MOVES, period_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(
            format="%Y-%m-%d",
            attrs={"min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
            **kwargs,
        )


class ReportNewForm(forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=300,
        required=False,
        help_text=_(
            "Facultatif : par défaut, le titre de l'entente en vigueur pendant la période."
        ),
    )
    period_start = forms.DateField(
        label=_("Début de la période"),
        widget=DateInput(),
        help_text=_("AAAA-MM-JJ, par exemple 2008-04-01."),
        error_messages={"required": _("Indiquez le début de la période.")},
    )
    period_end = forms.DateField(
        label=_("Fin de la période"),
        widget=DateInput(),
        help_text=_("AAAA-MM-JJ, par exemple 2009-03-31."),
        error_messages={"required": _("Indiquez la fin de la période.")},
    )
    territory = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("L'ensemble du programme"),
        error_messages={"invalid_choice": _("Ce territoire n'existe pas.")},
    )
    agreement = forms.ModelChoiceField(
        label=_("Entente"),
        queryset=Agreement.objects.order_by("-start_date"),
        to_field_name="slug",
        required=False,
        empty_label=_("L'entente en vigueur pendant la période"),
        error_messages={"invalid_choice": _("Cette entente n'existe pas.")},
    )

    def clean(self):
        data = super().clean()
        for name, message in period_errors(
            data.get("period_start"), data.get("period_end")
        ).items():
            self.add_error(name, message)
        return data


def initial_from_query(query) -> dict:
    """The new-report form's initial values from the dashboard's ``?period=&area=`` (keys that
    do not parse are ignored)."""
    initial: dict = {}
    try:
        period = Period.from_key(query.get("period", ""))
    except ValueError:
        period = None
    if period is not None and not period_errors(period.start, period.end):
        initial["period_start"], initial["period_end"] = period.start, period.end
    try:
        area = Area.from_key(query.get("area", ""))
    except ValueError:
        area = None
    if area is not None and area.kind == TERRITORY:
        slug = Territory.objects.filter(pk=area.pk).values_list("slug", flat=True).first()
        if slug:
            initial["territory"] = slug
    return initial


class ReportTextsForm(forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=300,
        error_messages={"required": _("Le rapport a besoin d'un titre.")},
    )
    context = forms.CharField(
        label=_("Mise en contexte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Séparez les paragraphes par une ligne vide."),
    )
    achievements_intro = forms.CharField(
        label=_("Présentation des réalisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Les réalisations sans chiffre, une par ligne commençant par « - ». Les chiffres "
            "(organismes rejoints, accompagnés, milieux ciblés…) sont calculés : ne les tapez pas."
        ),
    )
    extra_examples = forms.CharField(
        label=_("Autres exemples de réalisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un exemple par ligne : ce qui n'est pas un projet de la période."),
    )

    @classmethod
    def for_report(cls, report, data=None):
        return cls(
            data,
            initial={name: getattr(report, name) for name in cls.base_fields},
            prefix="texts",
        )


class ExampleMoveForm(forms.Form):
    project = forms.UUIDField(error_messages={"invalid": _("Ce projet n'existe pas.")})
    move = forms.ChoiceField(
        choices=[(m, m) for m in MOVES],
        error_messages={"invalid_choice": _("Ce déplacement n'existe pas.")},
    )
