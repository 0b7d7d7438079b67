"""Forms of projects: one short project form, one activity form, one upload form, and the
short forms of the project page (a partner and its role, a funding line, the staff)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.core.formatting import exact_money
from tremplin.housing.models import Building, Clientele, HousingProvider
from tremplin.partners.forms import MoneyField
from tremplin.partners.selectors import partners_for_user

from . import funding_links
from .filters import organizers
from .models import Determinant, Project, ProjectActivity


class BuildingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        place = f"{obj.address}, {obj.municipality.name}"
        return f"{obj.name} – {place}" if obj.name else place


class OrganizerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


OUTSIDE_TERRITORY = _("Vous ne pouvez choisir que des sites de vos territoires.")


class ProjectForm(forms.ModelForm):
    buildings = BuildingChoiceField(
        label=_("Immeubles"),
        queryset=Building.objects.none(),
        required=False,
        error_messages={"invalid_choice": OUTSIDE_TERRITORY},
    )
    providers = forms.ModelMultipleChoiceField(
        label=_("Organismes d'habitation"),
        queryset=HousingProvider.objects.none(),
        required=False,
        error_messages={"invalid_choice": OUTSIDE_TERRITORY},
    )
    determinants = forms.ModelMultipleChoiceField(
        label=_("Déterminants de la santé"),
        queryset=Determinant.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Clientèles visées"),
        queryset=Clientele.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lead_organizer = OrganizerField(
        label=_("Organisateur·trice responsable"), queryset=organizers(), required=False
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "kind",
            "scope",
            "status",
            "start_date",
            "end_date",
            "summary",
            "buildings",
            "providers",
            "determinants",
            "target_groups",
            "all_tenants",
            "tenants_on_committee",
            "initiated_by_tenants",
            "lead_organizer",
            "expected_results",
            "observed_results",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "observed_results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        membership = getattr(user, "membership", None)
        buildings = Building.objects.select_related("municipality__mrc").order_by(
            "municipality__name", "address"
        )
        providers = HousingProvider.objects.select_related("municipality__mrc").order_by("name_key")
        self.limited_to = None
        if membership is None or membership.role != Role.COORDINATION:
            territory_ids = membership.territory_ids() if membership else set()
            self.limited_to = territory_ids
            # An organizer keeps the sites already on the project (a project may span two
            # territories) but may only add sites of their own territories.
            current_b = current_p = []
            if self.instance.pk:
                current_b = list(self.instance.buildings.values_list("pk", flat=True))
                current_p = list(self.instance.providers.values_list("pk", flat=True))
            in_territories = Q(municipality__mrc__territory__in=territory_ids)
            buildings = buildings.filter(in_territories | Q(pk__in=current_b))
            providers = providers.filter(in_territories | Q(pk__in=current_p))
        self.fields["buildings"].queryset = buildings
        self.fields["providers"].queryset = providers
        self.fields["buildings"].help_text = _(
            "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs. Laissez vide pour un projet régional."
        )
        if not self.instance.pk and membership and membership.role == Role.ORGANIZER:
            self.initial["lead_organizer"] = user.pk

    def _check_territories(self, name, territory_of):
        chosen = self.cleaned_data.get(name) or []
        if self.limited_to is None:
            return chosen
        before = set()
        if self.instance.pk:
            before = set(getattr(self.instance, name).values_list("pk", flat=True))
        for site in chosen:
            if site.pk not in before and territory_of(site) not in self.limited_to:
                raise forms.ValidationError(OUTSIDE_TERRITORY)
        return chosen

    def clean_buildings(self):
        return self._check_territories("buildings", lambda b: b.municipality.mrc.territory_id)

    def clean_providers(self):
        return self._check_territories("providers", lambda p: p.municipality.mrc.territory_id)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = ProjectActivity
        fields = [
            "date",
            "title",
            "participants",
            "tenants",
            "seniors",
            "youth",
            "families",
            "note",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "tenants": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "seniors": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "youth": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "families": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's clean() checks the date against the project's dates.
        self.instance.project = project
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("Image (JPEG, PNG, WebP) ou PDF, 8 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )


# --------------------------------------------------------------------------- project page


class PartnerLinkForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partenaire"), queryset=None, to_field_name="public_id", empty_label="—"
    )
    role = forms.CharField(
        label=_("Rôle dans le projet"),
        max_length=200,
        required=False,
        help_text=_("Ex. : prêt d'un local, formatrice, denrées."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_for_user(user).filter(active=True)


class CommitmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.partner.display_name} – {obj.purpose} ({obj.agreement})"
        if not funding_links.is_quantified(obj):
            return f"{label} · " + str(_("non chiffré"))
        return f"{label} · " + str(_("reste %(left)s")) % {
            "left": exact_money(funding_links.remaining(obj))
        }


class FundingLinkForm(forms.Form):
    commitment = CommitmentField(
        label=_("Engagement"), queryset=None, to_field_name="public_id", empty_label="—"
    )
    amount = MoneyField(
        label=_("Montant imputé au projet"),
        help_text=_("Le même engagement choisi de nouveau : son montant remplace le précédent."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = funding_links.commitments_for_user(user)


def staff_candidates():
    """People who may work on a project: the coordination, organizers and workers."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__role__in=[Role.COORDINATION, Role.ORGANIZER, Role.WORKER],
        )
        .order_by("last_name", "first_name", "username")
    )


class LeadForm(forms.Form):
    lead_organizer = OrganizerField(
        label=_("Organisateur·trice responsable"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organizer"].queryset = organizers()


class StaffAddForm(forms.Form):
    member = OrganizerField(label=_("Ajouter à l'équipe"), queryset=None, empty_label="—")

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        on_it = [u.pk for u in project.staff.all()] + [project.lead_organizer_id]
        self.fields["member"].queryset = staff_candidates().exclude(pk__in=on_it)
