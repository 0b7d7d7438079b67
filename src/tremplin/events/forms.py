"""Forms of events: the event with its stops, the public registration form (strict: it is open
to the internet), the staff's registration forms, walk-ins, counted attendance, reach period."""

import datetime as dt
import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.concertation import permissions as committee_permissions
from tremplin.concertation.models import Committee
from tremplin.concertation.selectors import committees_for_user
from tremplin.core import fiscal
from tremplin.housing.models import HousingProvider
from tremplin.territories.models import Municipality, Territory

from .models import PHONE_EXTENSION, Event, EventStop, Registration, Scope, StopAttendance

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LETTER = re.compile(r"[^\W\d_]")
_URL = re.compile(r"(https?:|www\.|://|<|>)", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^[0-9 ()+.\-]+$")


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def clean_line(value: str, *, allow_urls: bool = False) -> str:
    """One line of text: no control characters; no links or markup unless allowed."""
    value = (value or "").strip()
    if _CONTROL.search(value) or "\n" in value or "\r" in value:
        raise forms.ValidationError(_("Ce champ contient des caractères non permis."))
    if not allow_urls and _URL.search(value):
        raise forms.ValidationError(
            _("Les adresses web et les signes < > ne sont pas acceptés dans ce champ.")
        )
    return value


def clean_phone(value: str) -> str:
    """A North American number (10 digits, optional leading 1) with an optional extension."""
    value = (value or "").strip()
    if not value:
        return ""
    number = PHONE_EXTENSION.sub("", value)
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if not _PHONE_CHARS.match(number) or len(digits) != 10:
        raise forms.ValidationError(
            _("Entrez un numéro de téléphone à 10 chiffres, par exemple 418 555-0123.")
        )
    return value


# --------------------------------------------------------------------------- events


class StaffField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class CommitteeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name

    def to_python(self, value):
        # A value that is not even a public id (not a UUID) is just another invalid choice.
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code == "invalid_choice":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


def committee_choices(user, current_id=None):
    """The committees ``user`` may read (``concertation.selectors``), plus the event's own."""
    visible = Committee.objects.none()
    if committee_permissions.can_use(user):
        visible = committees_for_user(user)
    return Committee.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk=current_id)).order_by(
        "name"
    )


class EventForm(forms.ModelForm):
    committee = CommitteeField(
        label=_("Comité de concertation (facultatif)"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("Aucun"),
        help_text=_("Le comité qui organise l'événement : sa page liste ses événements."),
        error_messages={
            "invalid_choice": _("Choisissez un comité parmi ceux que vous pouvez consulter.")
        },
    )
    staff = StaffField(
        label=_("Équipe organisatrice"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "scope",
            "status",
            "capacity",
            "registration_open",
            "target_audience",
            "organizing_committee",
            "committee",
            "staff",
            "public_contact",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        }
        error_messages = {
            "capacity": {
                "min_value": _(
                    "Le nombre de places est d'au moins 1 (laissez vide : sans limite)."
                ),
                "max_value": _("Le nombre de places dépasse 100 000 : vérifiez-le."),
                "invalid": _("Entrez un nombre entier de places."),
            }
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committee_choices(user, self.instance.committee_id)
        if self.instance.committee_id and not self.is_bound:
            self.initial["committee"] = self.instance.committee.public_id
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, membership__role__in=[Role.COORDINATION, Role.ORGANIZER]
            )
            .order_by("last_name", "first_name", "username")
        )
        membership = getattr(user, "membership", None)
        if membership is None or membership.role != Role.COORDINATION:
            # Organizers run local events; regional ones belong to the coordination.
            del self.fields["scope"]
            self.instance.scope = Scope.LOCAL

    def clean_title(self):
        return clean_line(self.cleaned_data.get("title"), allow_urls=True)

    def clean(self):
        cleaned = super().clean()
        committee = cleaned.get("committee")
        if committee is not None and not (cleaned.get("organizing_committee") or "").strip():
            # The public page says who organizes: by default, the committee's name.
            cleaned["organizing_committee"] = committee.name[:200]
        return cleaned


class StopForm(forms.ModelForm):
    class Meta:
        model = EventStop
        fields = ["starts_at", "ends_at", "place", "address", "municipality"]
        widgets = {"starts_at": _datetime_widget(), "ends_at": _datetime_widget()}
        field_classes = {"starts_at": forms.DateTimeField, "ends_at": forms.DateTimeField}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities
        self.fields["starts_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["ends_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["municipality"].error_messages["invalid_choice"] = _(
            "Choisissez une municipalité de vos territoires."
        )


class BaseStopFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data.get("DELETE") or not form.instance.pk:
                continue
            if form.instance.registrations.exists():
                raise forms.ValidationError(
                    _("L'étape de %(place)s a des inscriptions : elle ne peut pas être retirée.")
                    % {"place": form.instance.municipality.name}
                )


def stop_formset(*, data=None, instance, user):
    """The stops of an event: every existing one plus one blank (at least one is required)."""
    membership = getattr(user, "membership", None)
    municipalities = Municipality.objects.select_related("mrc").order_by("name")
    if membership is None or membership.role != Role.COORDINATION:
        current = []
        if instance.pk:
            current = list(instance.stops.values_list("municipality_id", flat=True))
        municipalities = municipalities.filter(
            Q(mrc__territory__in=membership.territory_ids() if membership else [])
            | Q(pk__in=current)
        )
    extra = 1 if instance.pk else 0
    factory = inlineformset_factory(
        Event,
        EventStop,
        form=StopForm,
        formset=BaseStopFormSet,
        extra=extra,
        min_num=1,
        validate_min=True,
        can_delete=True,
    )
    formset = factory(
        data=data,
        instance=instance,
        prefix="stops",
        form_kwargs={"municipalities": municipalities},
        queryset=EventStop.objects.filter(event=instance).select_related("municipality")
        if instance.pk
        else EventStop.objects.none(),
    )
    return formset


# --------------------------------------------------------------------------- registration


class StopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from tremplin.core.formatting import date_long

        start = timezone.localtime(obj.starts_at)
        return f"{date_long(start.date())} – {obj.municipality.name}, {obj.place}"


class RegistrationForm(forms.Form):
    """The public form. Every field is checked strictly: it is open to the internet."""

    name = forms.CharField(label=_("Nom"), max_length=120, min_length=2)
    organization = forms.CharField(
        label=_("Organisme ou immeuble"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : OMH de Lévis, Coopérative des Érables, 25 rue Saint-Louis."),
    )
    email = forms.EmailField(
        label=_("Courriel"),
        max_length=254,
        required=False,
        help_text=_("Pour recevoir la confirmation et le lien d'annulation."),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        help_text=_("Si vous n'avez pas de courriel."),
    )
    stop = StopChoiceField(
        label=_("Étape"),
        queryset=EventStop.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez une des étapes à venir.")},
    )
    is_tenant = forms.BooleanField(
        label=_("Je suis locataire d'un logement social ou communautaire"), required=False
    )
    accessibility_needs = forms.CharField(
        label=_("Besoins d'accessibilité"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Facultatif. Par exemple : accès en fauteuil roulant, interprète LSQ, transport, "
            "gardiennage."
        ),
    )
    # Honeypot: hidden from people (and from assistive technology), filled in by robots.
    website = forms.CharField(label=_("Site web (laissez vide)"), required=False, max_length=200)

    error_messages = {"no_contact": _("Indiquez un courriel ou un numéro de téléphone.")}

    def __init__(self, *args, stops, **kwargs):
        super().__init__(*args, **kwargs)
        self.stops = list(stops)
        self.fields["stop"].queryset = EventStop.objects.filter(
            pk__in=[s.pk for s in self.stops]
        ).select_related("municipality")
        if len(self.stops) == 1:
            self.fields["stop"].required = False
            self.fields["stop"].widget = forms.HiddenInput()
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["organization"].widget.attrs.update(autocomplete="organization")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not _LETTER.search(name):
            raise forms.ValidationError(_("Entrez votre nom."))
        return name

    def clean_organization(self):
        return clean_line(self.cleaned_data.get("organization"))

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_accessibility_needs(self):
        value = (self.cleaned_data.get("accessibility_needs") or "").strip()
        if _CONTROL.search(value):
            raise forms.ValidationError(_("Ce champ contient des caractères non permis."))
        return value

    def clean_stop(self):
        stop = self.cleaned_data.get("stop")
        if stop is None and len(self.stops) == 1:
            return self.stops[0]
        if stop is None:
            raise forms.ValidationError(_("Choisissez une étape."))
        return stop

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("email"):
            if not self.has_error("phone"):
                self.add_error("email", self.error_messages["no_contact"])
        return data


class StaffRegistrationForm(RegistrationForm):
    """The staff register someone (by telephone, say): the same checks, no honeypot."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]

    @property
    def is_spam(self) -> bool:
        return False


class ProviderField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.municipality.name})"


class RegistrationEditForm(forms.ModelForm):
    provider = ProviderField(
        label=_("Organisme d'habitation"),
        queryset=HousingProvider.objects.none(),
        required=False,
        help_text=_("L'organisme dont vient la personne : il compte dans la portée."),
    )

    class Meta:
        model = Registration
        fields = [
            "name",
            "organization",
            "email",
            "phone",
            "stop",
            "is_tenant",
            "accessibility_needs",
            "provider",
        ]
        widgets = {"accessibility_needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event
        self.fields["stop"].queryset = event.stops.select_related("municipality")
        self.fields["provider"].queryset = providers_near(event)

    def clean_name(self):
        return clean_line(self.cleaned_data.get("name"))

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


def providers_near(event):
    """Housing providers of the regions of an event's stops (the choices on its forms)."""
    regions = {stop.municipality.mrc.region_id for stop in event.stops.all()}
    return (
        HousingProvider.objects.filter(municipality__mrc__region__in=regions)
        .select_related("municipality")
        .order_by("name_key")
    )


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=120, min_length=2)
    organization = forms.CharField(label=_("Organisme ou immeuble"), max_length=200, required=False)
    is_tenant = forms.BooleanField(label=_("Locataire"), required=False)

    def clean_name(self):
        return clean_line(self.cleaned_data["name"])

    def clean_organization(self):
        return clean_line(self.cleaned_data.get("organization"))


NEGATIVE = _("Un nombre de personnes ne peut pas être négatif.")


class AttendanceForm(forms.ModelForm):
    providers = forms.ModelMultipleChoiceField(
        label=_("Organismes d'habitation représentés"),
        queryset=HousingProvider.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = StopAttendance
        fields = ["tenants", "provider_staff", "partners", "others", "providers", "note"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
            for name in StopAttendance.CATEGORIES
        }
        error_messages = {
            name: {"min_value": NEGATIVE, "invalid": _("Entrez un nombre entier.")}
            for name in StopAttendance.CATEGORIES
        }

    def __init__(self, *args, stop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.stop = stop
        current = (
            list(self.instance.providers.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["providers"].queryset = (
            HousingProvider.objects.filter(
                Q(municipality__mrc__region=stop.municipality.mrc.region_id) | Q(pk__in=current)
            )
            .select_related("municipality")
            .order_by("name_key")
        )
        self.fields["providers"].label_from_instance = lambda p: f"{p.name} ({p.municipality.name})"


# --------------------------------------------------------------------------- reach


def fiscal_year_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The fiscal year (April → March) holding ``day``."""
    return fiscal.fiscal_year_bounds(fiscal.fiscal_year_of(day))


class ReachForm(forms.Form):
    start = forms.DateField(
        label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    territory = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label=_("Tous"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période précède son début."))
            elif (end - start).days > 366 * 30:
                self.add_error("end", _("Choisissez une période de 30 ans au plus."))
        return data
