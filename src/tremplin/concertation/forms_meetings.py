"""Forms of a meeting's pages: the meeting, its agenda, attendance, minutes and decisions, and
its action items (the base classes are in ``forms.py``)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import SafeModelForm, date_input, time_input
from .models import (
    ActionItem,
    ActionStatus,
    AttendanceStatus,
    Committee,
    CommitteeMembership,
    Meeting,
    active_on,
)
from .services import AgendaLine

# --------------------------------------------------------------------------- meetings


class MeetingForm(SafeModelForm):
    date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(label=_("Heure de début"), widget=time_input())
    end_time = forms.TimeField(
        label=_("Heure de fin (facultatif)"), required=False, widget=time_input()
    )
    video_link = forms.URLField(
        label=_("Lien de visioconférence"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "end_time", "place", "video_link", "guests"]

        @staticmethod
        def formfield_callback(model_field, **kwargs):
            if isinstance(model_field, models.URLField):
                kwargs.setdefault("assume_scheme", "https")
            return model_field.formfield(**kwargs)

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.committee = committee
        self.fields["place"].help_text = _("Un lieu, un lien de visioconférence, ou les deux.")

    def clean_video_link(self):
        link = self.cleaned_data.get("video_link", "")
        if link and not link.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Le lien doit commencer par https://."))
        return link


class AgendaLineForm(forms.Form):
    position = forms.IntegerField(
        label=_("N°"),
        required=False,
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    title = forms.CharField(label=_("Point"), max_length=300, required=False)
    presenter = forms.CharField(label=_("Présenté par"), max_length=150, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        required=False,
        min_value=1,
        max_value=600,
        error_messages={"min_value": _("La durée est d'au moins une minute.")},
    )


class BaseAgendaFormSet(forms.BaseFormSet):
    def lines(self) -> list[AgendaLine]:
        """Non-empty lines, ordered by their number (then by their place in the form)."""
        rows = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if not (data.get("title") or "").strip():
                continue
            rows.append(
                (
                    data.get("position") or index + 1,
                    index,
                    AgendaLine(
                        title=data["title"],
                        presenter=data.get("presenter", ""),
                        duration_minutes=data.get("duration_minutes"),
                    ),
                )
            )
        return [line for _pos, _index, line in sorted(rows, key=lambda r: (r[0], r[1]))]


AgendaFormSet = forms.formset_factory(
    AgendaLineForm, formset=BaseAgendaFormSet, extra=3, max_num=40, validate_max=True
)


def agenda_initial(meeting: Meeting) -> list[dict]:
    if meeting.pk is None:
        return []
    return [
        {
            "position": item.position,
            "title": item.title,
            "presenter": item.presenter,
            "duration_minutes": item.duration_minutes,
        }
        for item in meeting.agenda_items.all()
    ]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Le déroulement de la rencontre, point par point."),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Décision"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


DecisionFormSet = forms.formset_factory(DecisionForm, extra=2, max_num=40, validate_max=True)


class AttendanceForm(forms.Form):
    """One choice per member active on the meeting's date; empty means "not recorded"."""

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            member = row["member"]
            self.fields[self.field_name(member)] = forms.ChoiceField(
                label=member.person_name,
                required=False,
                choices=[("", _("Non noté"))] + list(AttendanceStatus.choices),
                initial=row["status"] or "",
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(member) -> str:
        return f"m-{member.public_id}"

    def statuses(self) -> dict:
        return {
            row["member"]: self.cleaned_data.get(self.field_name(row["member"])) or None
            for row in self.rows
        }

    def bound_rows(self):
        for row in self.rows:
            yield {**row, "field": self[self.field_name(row["member"])]}


# --------------------------------------------------------------------------- action items


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.organization_name
        return f"{obj.person_name} ({org})" if org else obj.person_name


class ActionItemForm(SafeModelForm):
    owner = OwnerChoiceField(
        label=_("Responsable (membre du comité)"),
        queryset=CommitteeMembership.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    due_date = forms.DateField(
        label=_("Échéance (facultatif)"), required=False, widget=date_input()
    )
    closed_on = forms.DateField(
        label=_("Réglé le"),
        required=False,
        widget=date_input(),
        help_text=_("Laissez vide pour aujourd'hui."),
    )

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "owner_name", "due_date", "status", "closed_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        owners = CommitteeMembership.objects.filter(committee_id=meeting.committee_id).filter(
            active_on(meeting.date)
        )
        if self.instance.owner_id:
            owners = owners | CommitteeMembership.objects.filter(pk=self.instance.owner_id)
        self.fields["owner"].queryset = owners.select_related(
            "partner", "provider", "association"
        ).order_by("person_name")
        self.fields["owner_name"].label = _("Ou autre responsable")
        self.fields["owner_name"].help_text = _("Une personne ou une équipe hors du comité.")
        if self.instance.pk is None:
            # A new action item is to do; it is closed later, from its own form.
            del self.fields["status"]
            del self.fields["closed_on"]
        else:
            self.fields["status"].choices = ActionStatus.choices

    def clean(self):
        cleaned = super().clean()
        if "status" in self.fields and cleaned.get("status") == ActionStatus.OPEN:
            cleaned["closed_on"] = None
            self.instance.closed_on = None
        elif "status" in self.fields and cleaned.get("status") and not cleaned.get("closed_on"):
            cleaned["closed_on"] = dt.date.today()
        return cleaned
