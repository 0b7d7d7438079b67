from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.territories.models import Municipality

from .models import Building, Clientele, Contact, HousingProvider


class MunicipalityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.mrc.name})"


class ProviderForm(forms.ModelForm):
    municipality = MunicipalityField(
        queryset=Municipality.objects.select_related("mrc").order_by("name"),
        label=_("Municipalité"),
    )

    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = HousingProvider
        fields = [
            "kind",
            "name",
            "municipality",
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "placeholder": "G6V 3Z1"}
            ),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_municipality(self):
        municipality = self.cleaned_data["municipality"]
        membership = getattr(self.user, "membership", None)
        if membership is not None and membership.role == Role.ORGANIZER:
            if municipality.mrc.territory_id not in membership.territory_ids():
                raise ValidationError(_("Cette municipalité n'est pas dans vos territoires."))
        return municipality


ContactFormSet = forms.inlineformset_factory(
    HousingProvider,
    Contact,
    fields=["name", "role", "phone", "email"],
    extra=1,
    can_delete=True,
)


class BuildingForm(forms.ModelForm):
    municipality = MunicipalityField(
        queryset=Municipality.objects.select_related("mrc").order_by("name"),
        label=_("Municipalité"),
    )
    clienteles = forms.ModelMultipleChoiceField(
        queryset=Clientele.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Clientèles"),
    )

    class Meta:
        model = Building
        fields = [
            "name",
            "address",
            "municipality",
            "postal_code",
            "units_studio",
            "units_1br",
            "units_2br",
            "units_3br",
            "units_4br_plus",
            "clienteles",
            "program",
            "year_built",
            "has_elevator",
            "adapted_units",
            "has_common_room",
        ]
        widgets = {
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "placeholder": "G6V 3Z1"}
            ),
        }

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provider is not None:
            self.instance.provider = provider
        for name in Building.UNIT_FIELDS + ("adapted_units",):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
