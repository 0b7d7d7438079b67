"""Forms of the committee pages: short, one concern each (usable on a phone). The committee
and its seats here; a meeting's forms in ``forms_meetings.py``, the list's filters in
``forms_pages.py``.

The model rules (``Model.clean``) give the error messages; a rule about a field that a form
does not show is reported at the top of the form instead of failing.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.territories.models import LocalTeam, Region, Territory

from . import permissions, regions
from .models import (
    Committee,
    CommitteeKind,
    CommitteeMembership,
    OrganizationKind,
)


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SafeModelForm(forms.ModelForm):
    """A model form that reports a model rule about a field it does not show as a form error,
    and shows the current choice of a select keyed by public id (``to_field_name``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, formfield in self.fields.items():
            if not isinstance(formfield, forms.ModelChoiceField) or isinstance(
                formfield, forms.ModelMultipleChoiceField
            ):
                continue
            if formfield.to_field_name and self.initial.get(name) is not None:
                related = getattr(self.instance, name, None)
                if related is not None:
                    self.initial[name] = getattr(related, formfield.to_field_name)

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            fixed: dict = {}
            for field, messages in errors.error_dict.items():
                key = field if field in self.fields else NON_FIELD_ERRORS
                fixed.setdefault(key, []).extend(messages)
            errors = ValidationError(fixed)
        super()._update_errors(errors)

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show the errors a service raised (the same rules, checked again on save)."""
        self._update_errors(exc)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        municipality = getattr(obj, "municipality", None)
        return f"{obj.name} ({municipality.name})" if municipality is not None else obj.name


# --------------------------------------------------------------------------- committees


class CommitteeForm(SafeModelForm):
    local_team = forms.ModelChoiceField(
        label=_("Équipe locale élargie (pour une ÉLÉ)"),
        queryset=LocalTeam.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        help_text=_("Laissée vide : celle de l'équipe locale ou des territoires couverts."),
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires couverts"),
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Actif depuis le"), widget=date_input())
    end_date = forms.DateField(
        label=_("Actif jusqu'au (facultatif)"), required=False, widget=date_input()
    )

    class Meta:
        model = Committee
        fields = [
            "name",
            "kind",
            "region",
            "local_team",
            "territories",
            "agreement",
            "mandate",
            "objectives",
            "start_date",
            "end_date",
        ]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = permissions.creatable_kinds(user)
        if self.instance.pk and self.instance.kind not in kinds:
            kinds = [*kinds, self.instance.kind]
        self.fields["kind"].choices = [
            (k, label) for k, label in CommitteeKind.choices if k in kinds
        ]
        teams = LocalTeam.objects.order_by("name")
        territories = Territory.objects.order_by("name")
        self.is_organizer = permissions.role_of(user) == Role.ORGANIZER
        if self.is_organizer:
            mine = user.membership.territory_ids()
            teams = teams.filter(municipalities__mrc__territory__in=mine).distinct()
            territories = territories.filter(pk__in=mine)
        self.fields["local_team"].queryset = teams
        self.fields["territories"].queryset = territories
        self.fields["region"].queryset = (
            Region.objects.filter(
                Q(pk__in=territories.values("region")) | Q(pk=self.instance.region_id)
            ).order_by("code")
            if self.is_organizer
            else Region.objects.order_by("code")
        )
        if self.instance.pk is None and not self.is_bound:
            region = regions.default_region(user=user)
            if region is not None:
                self.initial["region"] = region.code
        self.fields["territories"].help_text = (
            _(
                "Au moins un de vos territoires. Une ÉLÉ couvre les municipalités de son équipe locale."
            )
            if self.is_organizer
            else _(
                "Aucun : toute la région. Une ÉLÉ couvre les municipalités de son équipe locale."
            )
        )
        if CommitteeKind.AGREEMENT in kinds:
            agreement = self.fields["agreement"]
            agreement.label = _("Entente gérée (pour un comité de gestion)")
            agreement.required = False
            agreement.to_field_name = "slug"
            if self.instance.agreement_id:
                self.initial["agreement"] = self.instance.agreement.slug
        else:
            del self.fields["agreement"]
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Pour une ÉLÉ, laissez vide pour reprendre le nom de l'équipe locale."
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == CommitteeKind.LOCAL_TEAM:
            cleaned["territories"] = []
            team = cleaned.get("local_team")
            if team is not None and cleaned.get("region") is None:
                cleaned["region"] = team.region
            if team is not None and not cleaned.get("name"):
                cleaned["name"] = team.name
                self.instance.name = team.name
        else:
            cleaned["local_team"] = None
            self.instance.local_team = None
            if self.is_organizer and not cleaned.get("territories"):
                self.add_error(
                    "territories",
                    _(
                        "Choisissez au moins un de vos territoires : un comité régional relève "
                        "de la coordination."
                    ),
                )
        if not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", _("Donnez un nom au comité."))
        if kind != CommitteeKind.AGREEMENT and "agreement" in self.fields:
            cleaned["agreement"] = None
        return cleaned


# --------------------------------------------------------------------------- memberships


def _site_filter(committee: Committee, prefix: str) -> dict:
    """Providers (or associations, through ``prefix``) within the committee's territories."""
    ids = permissions.committee_territory_ids(committee)
    if committee.kind == CommitteeKind.LOCAL_TEAM and committee.local_team_id:
        return {f"{prefix}municipality__local_teams": committee.local_team_id}
    if ids:
        return {f"{prefix}municipality__mrc__territory__in": ids}
    return {}


class MembershipForm(SafeModelForm):
    user = PersonChoiceField(
        label=_("Compte Tremplin (facultatif)"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Pour une personne qui a un compte. Un·e locataire n'en a pas besoin."),
    )
    organization_kind = forms.ChoiceField(
        label=_("Représente"),
        choices=OrganizationKind.choices,
        widget=forms.RadioSelect,
    )
    partner = NamedChoiceField(
        label=_("Partenaire"), queryset=None, required=False, to_field_name="public_id"
    )
    provider = NamedChoiceField(
        label=_("Organisme d'habitation"), queryset=None, required=False, to_field_name="public_id"
    )
    association = NamedChoiceField(
        label=_("Association de locataires"),
        queryset=None,
        required=False,
        to_field_name="public_id",
    )
    start_date = forms.DateField(label=_("Membre depuis le"), widget=date_input())
    end_date = forms.DateField(
        label=_("Membre jusqu'au (facultatif)"),
        required=False,
        widget=date_input(),
        help_text=_("Fin du mandat : la personne reste membre ce jour-là."),
    )

    class Meta:
        model = CommitteeMembership
        fields = [
            "person_name",
            "organization_kind",
            "partner",
            "provider",
            "association",
            "community_organization",
            "role",
            "start_date",
            "end_date",
            "user",
        ]

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        from tremplin.housing.models import HousingProvider
        from tremplin.partners.models import Partner
        from tremplin.projects.models import TenantAssociation

        self.instance.committee = committee
        self.fields["partner"].queryset = Partner.objects.order_by("name")
        self.fields["provider"].queryset = HousingProvider.objects.filter(
            **_site_filter(committee, "")
        ).select_related("municipality")
        self.fields["association"].queryset = TenantAssociation.objects.filter(
            **_site_filter(committee, "provider__")
        ).order_by("name")
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, membership__isnull=False)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["community_organization"].label = _("Organisme communautaire ou autre")
        self.fields["community_organization"].help_text = _(
            "Remplissez seulement le champ de l'organisation choisie ci-dessus."
        )
        if self.instance.pk is None and not self.is_bound:
            start = max(committee.start_date, dt.date.today())
            if committee.end_date:
                start = min(start, committee.end_date)
            self.initial.setdefault("start_date", start)
