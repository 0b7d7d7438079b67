"""Forms of follow-ups and what is written in them (interventions, referrals), and the
caseload's search."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Consent, ConsentKind, Intervention, Outcome, Referral, Resource
from .fields import (
    ConsentChoiceField,
    ResourceChoiceField,
    TodayByDefault,
    UserChoiceField,
    UserMultipleChoiceField,
    date_widget,
    note_field,
    reasons_field,
)
from .persons import FollowUpFields


class FollowUpOpenForm(FollowUpFields, TodayByDefault, forms.Form):
    today_fields = ("started_on",)

    consent = ConsentChoiceField(label=_("Consentement au suivi"), queryset=Consent.objects.none())
    started_on = forms.DateField(label=_("Début du suivi"), widget=date_widget())
    reasons = reasons_field()
    goals = note_field(_("Objectifs"), rows=3)
    worker = UserChoiceField(label=_("Intervenant·e assigné·e"), queryset=None)

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = person.consents.filter(
            kind=ConsentKind.FOLLOW_UP, withdrawn_on__isnull=True
        ).order_by("-given_on")
        self._choose_worker(user, exclude_barred_of=person)

    def follow_up(self):
        return super().follow_up(consent=self.cleaned_data["consent"])


class FollowUpCloseForm(TodayByDefault, forms.Form):
    today_fields = ("closed_on",)

    closed_on = forms.DateField(label=_("Date de fermeture"), widget=date_widget())
    outcome = forms.ChoiceField(
        label=_("Stabilité résidentielle à la fermeture"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
    )


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
    note = note_field(_("Note"), rows=4)
    next_step = note_field(_("Prochaine étape"), rows=2)

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
            "occurred_on": date_widget(),
            "next_step_on": date_widget(),
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


class ReferralForm(TodayByDefault, forms.ModelForm):
    today_fields = ("referred_on",)

    resource = ResourceChoiceField(label=_("Ressource"), queryset=Resource.objects.none())
    reason = note_field(_("Motif de la référence"), rows=2, max_length=1000)

    class Meta:
        model = Referral
        fields = ["resource", "referred_on", "reason", "outcome"]
        widgets = {"referred_on": date_widget()}

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources


class ReferralOutcomeForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["outcome"]
        widgets = {"outcome": forms.RadioSelect}


# --------------------------------------------------------------------------- caseload


class CaseloadSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("open", _("En cours")), ("closed", _("Fermés")), ("all", _("Tous"))],
    )
