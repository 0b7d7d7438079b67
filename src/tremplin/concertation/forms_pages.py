"""Small forms of the committee pages: the list's filters, the date of the members shown, and
the cancellation of a meeting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.territories.models import Region, Territory

from .models import CommitteeKind, Meeting


class CommitteeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous les types"))] + list(CommitteeKind.choices),
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("code"),
        required=False,
        to_field_name="code",
        empty_label=_("Toutes les régions"),
    )
    territory = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label=_("Tous les territoires"),
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Actifs et terminés")), ("active", _("Actifs")), ("ended", _("Terminés"))],
    )


class MembersOnForm(forms.Form):
    """The date at which the committee page lists the members."""

    on = forms.DateField(
        label=_("Membres à la date du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MeetingCancelForm(forms.Form):
    cancellation_reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=Meeting._meta.get_field("cancellation_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché avec la rencontre dans l'historique du comité."),
        error_messages={
            "required": _("Indiquez le motif de l'annulation."),
            "max_length": _("Le motif tient en %(limit_value)d caractères au plus."),
        },
    )
