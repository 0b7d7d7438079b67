"""Fields and widgets the forms of case files share."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.housing.models import Building
from tremplin.territories.models import Territory

from .. import permissions
from ..models import NOTE_MAX_LENGTH, ConsentKind, Reason

DATE = {"type": "date"}


def date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def _length_help_text(n):
    return gettext(
        "%(n)s caractères au plus. Écrivez des faits utiles au suivi, sans diagnostic."
    ) % {"n": n}


_length_help = lazy(_length_help_text, str)


def note_field(label, rows=3, required=False, max_length=NOTE_MAX_LENGTH, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        # Lazy: a form class's fields are built once, at import, before any language is active.
        help_text=help_text or _length_help(max_length),
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def reasons_field():
    return forms.MultipleChoiceField(
        label=_("Motifs du suivi"),
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un motif.")},
    )


class TodayByDefault:
    """A form whose date fields named in ``today_fields`` start at today (unless given)."""

    today_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.today_fields:
            self.initial.setdefault(name, timezone.localdate())


class _UserLabel:
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class UserChoiceField(_UserLabel, forms.ModelChoiceField):
    pass


class UserMultipleChoiceField(_UserLabel, forms.ModelMultipleChoiceField):
    pass


class BuildingField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.address}, {obj.municipality.name}"


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


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = obj.territory.name if obj.territory_id else _("Régional")
        return f"{obj.name} ({where})"


def _in_territories(qs, user, lookup: str):
    """``qs`` within the user's territories (every one when the membership names none)."""
    m = permissions.membership(user)
    territory_ids = m.territory_ids() if m else set()
    return qs.filter(**{lookup: territory_ids}) if territory_ids else qs


def buildings_for(user):
    qs = Building.objects.select_related("municipality").order_by("municipality__name", "address")
    return _in_territories(qs, user, "municipality__mrc__territory__in")


def territories_for(user):
    qs = Territory.objects.select_related("region").order_by("region__code", "name")
    return _in_territories(qs, user, "pk__in")
