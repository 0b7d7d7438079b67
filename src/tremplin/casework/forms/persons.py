"""Forms of a person's file: identity (and the new file's one form), consents,
communications to a partner, workers barred, emergency access."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.housing.models import Building

from .. import permissions
from ..models import Consent, ConsentKind, ConsentMode, FollowUp, Person
from .fields import (
    BuildingField,
    ConsentChoiceField,
    TodayByDefault,
    UserChoiceField,
    buildings_for,
    date_widget,
    note_field,
    reasons_field,
    territories_for,
)


class FollowUpFields:
    """The first follow-up's fields of a form (its start, reasons, goals, worker): a
    supervisor chooses the worker among their team; a worker is assigned themselves."""

    def _choose_worker(self, user, exclude_barred_of=None):
        self.user = user
        if permissions.is_supervisor(user):
            workers = permissions.assignable_workers(user)
            if exclude_barred_of is not None:
                workers = workers.exclude(pk__in=exclude_barred_of.bars.values("worker_id"))
            self.fields["worker"].queryset = workers
        else:
            del self.fields["worker"]

    def workers(self):
        if "worker" in self.fields:
            return [self.cleaned_data["worker"]]
        return [self.user]

    def follow_up(self, **extra) -> FollowUp:
        return FollowUp(
            started_on=self.cleaned_data["started_on"],
            reasons=",".join(self.cleaned_data["reasons"]),
            goals=self.cleaned_data.get("goals", ""),
            **extra,
        )


class PersonForm(forms.ModelForm):
    """Identity and contact: minimal by design (no health-card number, no diagnosis)."""

    building = BuildingField(
        label=_("Immeuble"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("Le territoire et la municipalité en découlent."),
    )
    safe_contact_notes = note_field(
        _("Comment joindre la personne en sécurité"),
        rows=2,
        max_length=1000,
        help_text=_("Par exemple : appeler le matin, ne pas laisser de message."),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "birth_year",
            "birth_date",
            "building",
            "unit",
            "territory",
            "phone",
            "preferred_language",
            "household",
            "safe_contact_notes",
        ]
        widgets = {
            "birth_date": date_widget(),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "birth_date": _("Facultative : l'année suffit."),
            "territory": _("Obligatoire seulement sans immeuble."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings_for(user)
        self.fields["territory"].queryset = territories_for(user)
        self.fields["territory"].required = False
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if not data.get("building") and not data.get("territory"):
            self.add_error("territory", _("Choisissez l'immeuble ou, à défaut, le territoire."))
        return data


class PersonCreateForm(FollowUpFields, TodayByDefault, PersonForm):
    """One form for a new file: identity, follow-up consent, first follow-up, notice."""

    consent_mode = forms.ChoiceField(
        label=_("Consentement au suivi donné"),
        choices=ConsentMode.choices,
        widget=forms.RadioSelect,
    )
    consent_given_on = forms.DateField(label=_("Date du consentement"), widget=date_widget())
    started_on = forms.DateField(label=_("Début du suivi"), widget=date_widget())
    reasons = reasons_field()
    goals = note_field(_("Objectifs"), rows=3)
    worker = UserChoiceField(
        label=_("Intervenant·e assigné·e"),
        queryset=None,
        help_text=_("Un·e membre de votre équipe."),
    )
    notice_acknowledged = forms.BooleanField(
        label=_(
            "J'ai présenté l'avis de collecte à la personne (fins, droits, conservation) et "
            "elle consent au suivi."
        ),
        required=False,
    )

    today_fields = ("consent_given_on", "started_on")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._choose_worker(user)

    def consent(self) -> Consent:
        return Consent(
            kind=ConsentKind.FOLLOW_UP,
            mode=self.cleaned_data["consent_mode"],
            given_on=self.cleaned_data["consent_given_on"],
        )


# --------------------------------------------------------------------------- consents


class ConsentForm(TodayByDefault, forms.ModelForm):
    today_fields = ("given_on",)

    class Meta:
        model = Consent
        fields = ["kind", "organization", "mode", "given_on"]
        widgets = {"given_on": date_widget(), "mode": forms.RadioSelect}
        help_texts = {
            "organization": _(
                "Pour une communication : l'organisme précis à qui l'information peut aller."
            ),
        }


class ConsentWithdrawForm(TodayByDefault, forms.Form):
    today_fields = ("withdrawn_on",)
    withdrawn_on = forms.DateField(label=_("Date du retrait"), widget=date_widget())


# --------------------------------------------------------------------------- communications, bars, emergency


class CommunicationForm(TodayByDefault, forms.Form):
    today_fields = ("shared_on",)

    consent = ConsentChoiceField(label=_("Organisme destinataire"), queryset=Consent.objects.none())
    shared_on = forms.DateField(label=_("Date"), widget=date_widget())
    what = note_field(
        _("Information communiquée"),
        rows=3,
        required=True,
        max_length=2000,
        help_text=_("Ce qui a été transmis, sans plus de détails que nécessaire."),
    )
    why = note_field(_("Raison"), rows=2, required=True, max_length=2000, help_text=" ")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = person.consents.filter(kind=ConsentKind.SHARING).order_by(
            "organization", "-given_on"
        )
        self.fields["consent"].help_text = _(
            "Seuls les organismes nommés dans un consentement à la communication figurent ici."
        )
        self.fields["why"].help_text = ""


class WorkerBarForm(forms.Form):
    worker = UserChoiceField(label=_("Intervenant·e refusé·e par la personne"), queryset=None)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class EmergencyAccessForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom de la personne"), max_length=100)
    last_name = forms.CharField(label=_("Nom de la personne"), max_length=100)
    birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    building = BuildingField(
        label=_("Immeuble (si plusieurs dossiers correspondent)"),
        queryset=Building.objects.none(),
        required=False,
    )
    reason = forms.CharField(
        label=_("Raison de l'accès d'urgence"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Obligatoire. Lue par la personne responsable de la protection des renseignements "
            "personnels."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.select_related("municipality").order_by(
            "municipality__name", "address"
        )
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
