from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Commitment, Disbursement, Partner, PartnerContact


class MoneyField(forms.DecimalField):
    """Accepts Québec-style input: ``255 000``, ``255 000,50 $``, ``255000.50``."""

    default_error_messages = {
        "invalid": _("Entrez un montant en dollars, par exemple 255 000 ou 1 250,50.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = (
                value.replace("$", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            )
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "short_name", "kind", "parent", "website", "active", "internal_notes"]
        widgets = {"internal_notes": forms.Textarea(attrs={"rows": 3})}


PartnerContactFormSet = forms.inlineformset_factory(
    Partner, PartnerContact, fields=["name", "role", "email", "phone"], extra=1, can_delete=True
)


class CommitmentForm(forms.ModelForm):
    initial_amount = MoneyField(label=_("Investissement initial"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = ["partner", "purpose", "kind", "initial_amount", "position", "internal_note"]
        widgets = {"internal_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agreement is not None:
            self.instance.agreement = agreement
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["partner"].queryset = Partner.objects.order_by("name")


class TopUpForm(forms.Form):
    # Any year parses here; the model refuses one outside the agreement's period, with dates.
    fiscal_year = forms.IntegerField(
        label=_("Exercice financier (année de début : 2009 pour 2009-2010)"),
        min_value=1990,
        max_value=2100,
    )
    amount = MoneyField(
        label=_("Montant de la bonification"),
        required=False,
        help_text=_("Laisser vide pour retirer la bonification de cet exercice."),
    )


class DisbursementForm(forms.ModelForm):
    amount = MoneyField(label=_("Montant"), min_value=Decimal("0.01"))

    class Meta:
        model = Disbursement
        fields = ["date", "amount", "description"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    file = forms.FileField(label=_("Document PDF (10 Mo au plus)"))
