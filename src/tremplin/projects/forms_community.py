"""Forms of the community pages: accompaniments of housing providers and tenant associations.

The provider of an accompaniment or an association decides who may edit it
(``permissions.can_edit_provider_work``); the views check it before these forms run, the forms
only offer the providers in the user's scope.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Min
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.core.fiscal import fiscal_year_bounds, fiscal_year_of  # noqa: F401
from tremplin.housing.models import Building, HousingProvider
from tremplin.territories.models import Territory

from .models import (
    Accompaniment,
    AccompanimentHours,
    AccompanimentTheme,
    AssociationMeeting,
    AssociationStatus,
    BoardMember,
    TenantAssociation,
)

FIRST_FISCAL_YEAR = 2008


def fiscal_year_choices():
    """From the first accompaniment's year (at the latest 2008, the first agreement) to now."""
    earliest = Accompaniment.objects.aggregate(first=Min("start_date"))["first"]
    first = min(FIRST_FISCAL_YEAR, fiscal_year_of(earliest)) if earliest else FIRST_FISCAL_YEAR
    last = fiscal_year_of(dt.date.today())
    return [("", _("Toutes les années"))] + [
        (str(y), f"{y}-{y + 1}") for y in range(last, first - 1, -1)
    ]


def providers_in_scope(user):
    """Providers whose collective work the user may edit (coordination: all)."""
    qs = HousingProvider.objects.select_related("municipality").order_by("name")
    m = getattr(user, "membership", None)
    if m is None:
        return qs.none()
    if m.role == Role.COORDINATION:
        return qs
    if m.role == Role.ORGANIZER:
        return qs.filter(municipality__mrc__territory_id__in=m.territory_ids())
    return qs.none()


def organizers():
    return (
        get_user_model()
        .objects.filter(membership__role=Role.ORGANIZER, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.municipality.name})"


class BuildingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name} – {obj.address}" if obj.name else obj.address
        return f"{label}, {obj.municipality.name}"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


# --------------------------------------------------------------------------- filters


class AccompanimentFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Année financière (avril à mars)"), required=False, coerce=int, empty_value=None
    )
    territory = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label=_("Tous les territoires"),
    )
    organizer = PersonChoiceField(
        label=_("Organisateur·trice"),
        queryset=organizers(),
        required=False,
        empty_label=_("Toutes et tous"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = fiscal_year_choices()
        self.fields["organizer"].queryset = organizers()


class AssociationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts"))] + list(AssociationStatus.choices),
    )
    territory = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label=_("Tous les territoires"),
    )


# --------------------------------------------------------------------------- accompaniments


class AccompanimentForm(forms.ModelForm):
    provider = ProviderChoiceField(
        label=_("Organisme d'habitation"),
        queryset=HousingProvider.objects.none(),
        to_field_name="public_id",
    )
    association = forms.ModelChoiceField(
        label=_("Association de locataires (facultatif)"),
        queryset=TenantAssociation.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"),
        choices=AccompanimentTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("Fin (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Accompaniment
        fields = [
            "provider",
            "organizer",
            "association",
            "themes",
            "start_date",
            "end_date",
            "contacts",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        providers = providers_in_scope(user)
        self.fields["provider"].queryset = providers
        self.fields["association"].queryset = TenantAssociation.objects.filter(
            provider__in=providers.order_by().values("pk")
        ).select_related("provider")
        m = getattr(user, "membership", None)
        if m is not None and m.role == Role.COORDINATION:
            self.fields["organizer"] = PersonChoiceField(
                label=_("Organisateur·trice"), queryset=organizers()
            )
        else:
            # An organizer's accompaniment is theirs; the field is not offered (nor accepted).
            del self.fields["organizer"]
        self.fields["contacts"].help_text = _(
            "Fonctions des personnes rencontrées (direction, conseil d'administration…)."
        )

    def clean(self):
        cleaned = super().clean()
        provider, association = cleaned.get("provider"), cleaned.get("association")
        if provider and association and association.provider_id != provider.pk:
            self.add_error(
                "association", _("Cette association n'est pas celle d'un immeuble de l'organisme.")
            )
        return cleaned


class HoursForm(forms.ModelForm):
    month = MonthField(label=_("Mois"))
    hours = forms.DecimalField(
        label=_("Heures"),
        max_digits=6,
        decimal_places=1,
        min_value=0,
        error_messages={"min_value": _("Le nombre d'heures ne peut pas être négatif.")},
    )

    class Meta:
        model = AccompanimentHours
        fields = ["month", "hours"]


class BaseHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            month = form.cleaned_data.get("month")
            if month in seen:
                form.add_error("month", _("Ce mois est déjà inscrit."))
            seen.add(month)


HoursFormSet = inlineformset_factory(
    Accompaniment,
    AccompanimentHours,
    form=HoursForm,
    formset=BaseHoursFormSet,
    extra=2,
    can_delete=True,
)


# --------------------------------------------------------------------------- associations


class AssociationForm(forms.ModelForm):
    provider = ProviderChoiceField(
        label=_("Organisme d'habitation"),
        queryset=HousingProvider.objects.none(),
        to_field_name="public_id",
    )
    buildings = BuildingChoiceField(
        label=_("Immeubles couverts"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    founded_on = forms.DateField(
        label=_("Fondée le (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = TenantAssociation
        fields = ["name", "provider", "buildings", "founded_on", "status", "members"]

    def __init__(self, *args, user, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = providers_in_scope(user)
        self.fields["provider"].queryset = providers
        buildings = Building.objects.select_related("municipality").order_by(
            "municipality__name", "address"
        )
        if provider is not None:
            buildings = buildings.filter(provider=provider)
        else:
            buildings = buildings.filter(provider__in=providers.order_by().values("pk"))
        self.fields["buildings"].queryset = buildings

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("provider")
        buildings = cleaned.get("buildings") or []
        if provider and any(b.provider_id != provider.pk for b in buildings):
            self.add_error("buildings", _("Choisissez des immeubles de l'organisme."))
        return cleaned


class BoardMemberForm(forms.ModelForm):
    """A name and a role: no contact details of tenants are ever asked for nor kept."""

    class Meta:
        model = BoardMember
        fields = ["name", "role"]


class MeetingForm(forms.ModelForm):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = AssociationMeeting
        fields = ["date", "kind", "attendance"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and day > dt.date.today():
            raise forms.ValidationError(_("Une rencontre tenue ne peut pas être dans le futur."))
        return day


BoardFormSet = inlineformset_factory(
    TenantAssociation, BoardMember, form=BoardMemberForm, extra=2, can_delete=True
)
MeetingFormSet = inlineformset_factory(
    TenantAssociation, AssociationMeeting, form=MeetingForm, extra=1, can_delete=True
)
