"""Forms of the privacy pages: journal and register filters, incidents, rectification."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ConfidentialityIncident, IncidentStatus, Person
from ..reasons import reason_field
from .services import RECTIFIABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class PersonFilterForm(forms.Form):
    """A person chosen by name: ``q`` lists the matches, ``personne`` holds the one chosen."""

    q = forms.CharField(label=_("Rechercher une personne (nom)"), required=False, max_length=100)
    personne = forms.UUIDField(required=False, widget=forms.HiddenInput)


class JournalFilterForm(PersonFilterForm):
    utilisateur = UserChoiceField(
        label=_("Utilisateur·trice"),
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label=_("Tous"),
    )
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    au = forms.DateField(label=_("Au"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and start > end:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
            data.pop("au", None)
        return data


class IncidentForm(forms.ModelForm):
    class Meta:
        model = ConfidentialityIncident
        fields = [
            "discovered_on",
            "occurred_on",
            "description",
            "information_involved",
            "persons_affected",
            "serious_injury_risk",
            "reported_to_cai_on",
            "persons_notified_on",
            "measures",
            "status",
        ]
        widgets = {
            "discovered_on": DateInput(),
            "occurred_on": DateInput(),
            "reported_to_cai_on": DateInput(),
            "persons_notified_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "information_involved": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "occurred_on": _("Si elle est connue, ou une date approximative."),
            "description": _(
                "Circonstances de l'incident et évaluation du risque de préjudice : sensibilité "
                "des renseignements, conséquences appréhendées, probabilité d'utilisation à des "
                "fins préjudiciables. Ne nommez pas les personnes concernées."
            ),
            "information_involved": _(
                "Les catégories de renseignements (par ex. notes d'intervention, coordonnées)."
            ),
            "persons_affected": _("Le nombre, ou une approximation."),
            "serious_injury_risk": _(
                "Si oui, la Commission d'accès à l'information et les personnes concernées "
                "doivent être avisées avec diligence."
            ),
            "measures": _("Mesures prises pour diminuer les risques et éviter qu'il se répète."),
        }

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        discovered = data.get("discovered_on")
        for name in ("reported_to_cai_on", "persons_notified_on"):
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("Cette date ne peut pas être dans le futur."))
            elif value and discovered and value < discovered:
                self.add_error(name, _("Cette date ne peut pas précéder la découverte."))
        if (
            data.get("status") == IncidentStatus.CLOSED
            and data.get("serious_injury_risk")
            and not (data.get("reported_to_cai_on") and data.get("persons_notified_on"))
        ):
            self.add_error(
                "status",
                _(
                    "Un incident qui présente un risque de préjudice sérieux ne peut être fermé "
                    "qu'une fois la Commission d'accès à l'information et les personnes "
                    "concernées avisées (indiquez les deux dates)."
                ),
            )
        return data


class RectificationForm(forms.ModelForm):
    reason = reason_field(
        _("Raison de la rectification"),
        _(
            "Par exemple : demande de la personne reçue le …, pièce vue. Ne recopiez pas les "
            "anciennes ni les nouvelles valeurs : le journal garde seulement le nom des champs "
            "modifiés et cette raison."
        ),
    )

    class Meta:
        model = Person
        fields = list(RECTIFIABLE_FIELDS)
        widgets = {"birth_date": DateInput()}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in RECTIFIABLE_FIELDS}


class StatsForm(forms.Form):
    annee = forms.TypedChoiceField(label=_("Année financière"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(y, f"{y}-{y + 1}") for y in reversed(years)]
