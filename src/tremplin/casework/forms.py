"""Forms of case files. Choices (follow-ups, workers, consents) are limited to the user's
scope; a forged value naming an object outside it is resolved by the selectors (404, logged),
not silently accepted."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.core.text import fold
from tremplin.housing.models import Building
from tremplin.territories.models import Territory

from . import permissions
from .models import (
    NOTE_MAX_LENGTH,
    Consent,
    ConsentKind,
    ConsentMode,
    FollowUp,
    Intervention,
    Outcome,
    Person,
    Reason,
    Referral,
    Resource,
    ResourceCategory,
)

DATE = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def _length_help_text(n):
    return gettext(
        "%(n)s caractères au plus. Écrivez des faits utiles au suivi, sans diagnostic."
    ) % {"n": n}


_length_help = lazy(_length_help_text, str)


def _note(label, rows=3, required=False, max_length=NOTE_MAX_LENGTH, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        # Lazy: a form class's fields are built once, at import, before any language is active.
        help_text=help_text or _length_help(max_length),
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class BuildingField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.address}, {obj.municipality.name}"


def _buildings_for(user):
    qs = Building.objects.select_related("municipality").order_by("municipality__name", "address")
    m = permissions.membership(user)
    territory_ids = m.territory_ids() if m else set()
    if territory_ids:
        qs = qs.filter(municipality__mrc__territory__in=territory_ids)
    return qs


def _territories_for(user):
    qs = Territory.objects.select_related("region").order_by("region__code", "name")
    m = permissions.membership(user)
    territory_ids = m.territory_ids() if m else set()
    if territory_ids:
        qs = qs.filter(pk__in=territory_ids)
    return qs


# --------------------------------------------------------------------------- persons


class PersonForm(forms.ModelForm):
    """Identity and contact: minimal by design (no health-card number, no diagnosis)."""

    building = BuildingField(
        label=_("Immeuble"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("Le territoire et la municipalité en découlent."),
    )
    safe_contact_notes = _note(
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
            "birth_date": _date_widget(),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "birth_date": _("Facultative : l'année suffit."),
            "territory": _("Obligatoire seulement sans immeuble."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = _buildings_for(user)
        self.fields["territory"].queryset = _territories_for(user)
        self.fields["territory"].required = False
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if not data.get("building") and not data.get("territory"):
            self.add_error("territory", _("Choisissez l'immeuble ou, à défaut, le territoire."))
        return data


def _reasons_field():
    return forms.MultipleChoiceField(
        label=_("Motifs du suivi"),
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un motif.")},
    )


class PersonCreateForm(PersonForm):
    """One form for a new file: identity, follow-up consent, first follow-up, notice."""

    consent_mode = forms.ChoiceField(
        label=_("Consentement au suivi donné"),
        choices=ConsentMode.choices,
        widget=forms.RadioSelect,
    )
    consent_given_on = forms.DateField(label=_("Date du consentement"), widget=_date_widget())
    started_on = forms.DateField(label=_("Début du suivi"), widget=_date_widget())
    reasons = _reasons_field()
    goals = _note(_("Objectifs"), rows=3)
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("consent_given_on", today)
        self.initial.setdefault("started_on", today)
        workers = permissions.assignable_workers(user)
        if permissions.is_supervisor(user):
            self.fields["worker"].queryset = workers
        else:
            del self.fields["worker"]
            self.fixed_workers = [user]

    def workers(self):
        if "worker" in self.fields:
            return [self.cleaned_data["worker"]]
        return self.fixed_workers

    def consent(self) -> Consent:
        return Consent(
            kind=ConsentKind.FOLLOW_UP,
            mode=self.cleaned_data["consent_mode"],
            given_on=self.cleaned_data["consent_given_on"],
        )

    def follow_up(self) -> FollowUp:
        return FollowUp(
            started_on=self.cleaned_data["started_on"],
            reasons=",".join(self.cleaned_data["reasons"]),
            goals=self.cleaned_data.get("goals", ""),
        )


# --------------------------------------------------------------------------- consents


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["kind", "organization", "mode", "given_on"]
        widgets = {"given_on": _date_widget(), "mode": forms.RadioSelect}
        help_texts = {
            "organization": _(
                "Pour une communication : l'organisme précis à qui l'information peut aller."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate())


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Date du retrait"), widget=_date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawn_on", timezone.localdate())


# --------------------------------------------------------------------------- follow-ups


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == ConsentKind.SHARING:
            return _("%(org)s (consentement du %(date)s)") % {
                "org": obj.organization,
                "date": obj.given_on.isoformat(),
            }
        return _("%(mode)s, le %(date)s") % {
            "mode": obj.get_mode_display(),
            "date": obj.given_on.isoformat(),
        }


class FollowUpOpenForm(forms.Form):
    consent = ConsentChoiceField(label=_("Consentement au suivi"), queryset=Consent.objects.none())
    started_on = forms.DateField(label=_("Début du suivi"), widget=_date_widget())
    reasons = _reasons_field()
    goals = _note(_("Objectifs"), rows=3)
    worker = UserChoiceField(label=_("Intervenant·e assigné·e"), queryset=None)

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = person.consents.filter(
            kind=ConsentKind.FOLLOW_UP, withdrawn_on__isnull=True
        ).order_by("-given_on")
        self.initial.setdefault("started_on", timezone.localdate())
        if permissions.is_supervisor(user):
            self.fields["worker"].queryset = permissions.assignable_workers(user).exclude(
                pk__in=person.bars.values("worker_id")
            )
        else:
            del self.fields["worker"]
        self.user = user

    def workers(self):
        if "worker" in self.fields:
            return [self.cleaned_data["worker"]]
        return [self.user]

    def follow_up(self) -> FollowUp:
        return FollowUp(
            consent=self.cleaned_data["consent"],
            started_on=self.cleaned_data["started_on"],
            reasons=",".join(self.cleaned_data["reasons"]),
            goals=self.cleaned_data.get("goals", ""),
        )


class FollowUpCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Date de fermeture"), widget=_date_widget())
    outcome = forms.ChoiceField(
        label=_("Stabilité résidentielle à la fermeture"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closed_on", timezone.localdate())


class FollowUpAssignForm(forms.Form):
    workers = UserMultipleChoiceField(
        label=_("Intervenant·es assigné·es"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, follow_up, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = permissions.assignable_workers(user).exclude(
            pk__in=follow_up.person.bars.values("worker_id")
        )
        self.initial.setdefault("workers", [w.pk for w in follow_up.workers.all()])


# --------------------------------------------------------------------------- interventions


class InterventionForm(forms.ModelForm):
    """The fast entry: one short form, usable on a phone. The follow-up is a plain UUID field
    (a select of the user's open follow-ups): the view resolves it through the selectors, so
    a forged identifier gets a 404 and is logged."""

    follow_up = forms.UUIDField(
        label=_("Suivi"),
        widget=forms.Select,
        error_messages={"invalid": _("Choisissez un suivi de la liste.")},
    )
    note = _note(_("Note"), rows=4)
    next_step = _note(_("Prochaine étape"), rows=2)

    class Meta:
        model = Intervention
        fields = [
            "occurred_on",
            "type",
            "mode",
            "duration_minutes",
            "note",
            "next_step",
            "next_step_on",
        ]
        widgets = {
            "occurred_on": _date_widget(),
            "next_step_on": _date_widget(),
            "duration_minutes": forms.NumberInput(
                attrs={"min": 0, "max": 1440, "inputmode": "numeric", "step": 5}
            ),
        }

    def __init__(self, *args, follow_ups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if follow_ups is None:
            del self.fields["follow_up"]
        else:
            self.fields["follow_up"].widget.choices = [("", _("— Choisissez —"))] + [
                (
                    str(f.public_id),
                    _("%(person)s — suivi du %(date)s")
                    % {"person": f.person, "date": f.started_on.isoformat()},
                )
                for f in follow_ups
            ]
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("occurred_on", timezone.localdate())


# --------------------------------------------------------------------------- referrals


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = obj.territory.name if obj.territory_id else _("Régional")
        return f"{obj.name} ({where})"


class ReferralForm(forms.ModelForm):
    resource = ResourceChoiceField(label=_("Ressource"), queryset=Resource.objects.none())
    reason = _note(_("Motif de la référence"), rows=2, max_length=1000)

    class Meta:
        model = Referral
        fields = ["resource", "referred_on", "reason", "outcome"]
        widgets = {"referred_on": _date_widget()}

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.initial.setdefault("referred_on", timezone.localdate())


class ReferralOutcomeForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["outcome"]
        widgets = {"outcome": forms.RadioSelect}


# --------------------------------------------------------------------------- communications


class CommunicationForm(forms.Form):
    consent = ConsentChoiceField(label=_("Organisme destinataire"), queryset=Consent.objects.none())
    shared_on = forms.DateField(label=_("Date"), widget=_date_widget())
    what = _note(
        _("Information communiquée"),
        rows=3,
        required=True,
        max_length=2000,
        help_text=_("Ce qui a été transmis, sans plus de détails que nécessaire."),
    )
    why = _note(_("Raison"), rows=2, required=True, max_length=2000, help_text=" ")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = person.consents.filter(kind=ConsentKind.SHARING).order_by(
            "organization", "-given_on"
        )
        self.fields["consent"].help_text = _(
            "Seuls les organismes nommés dans un consentement à la communication figurent ici."
        )
        self.fields["why"].help_text = ""
        self.initial.setdefault("shared_on", timezone.localdate())


# --------------------------------------------------------------------------- bars, emergency


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


# --------------------------------------------------------------------------- resources


class ResourceForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = [
            "name",
            "category",
            "territory",
            "municipality",
            "address",
            "phone",
            "website",
            "description",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {"territory": _("Laissez vide pour un service régional.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.order_by("name")
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.order_by("name")


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_search")
    territory = django_filters.ModelChoiceFilter(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        to_field_name="slug",
        method="filter_territory",
        empty_label=_("Tous"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Catégorie"), choices=ResourceCategory.choices, empty_label=_("Toutes")
    )

    class Meta:
        model = Resource
        fields = ["q", "territory", "category"]

    def filter_search(self, queryset, name, value):
        for word in fold(value).split()[:5]:
            queryset = queryset.filter(name_key__contains=word)
        return queryset

    def filter_territory(self, queryset, name, value):
        # A territory's resources include the regional services.
        return queryset.filter(Q(territory=value) | Q(territory__isnull=True))


class CaseloadSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("open", _("En cours")), ("closed", _("Fermés")), ("all", _("Tous"))],
    )
