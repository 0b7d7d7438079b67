"""Forms of the survey pages. The answer form itself is ``AnswerForm`` (not a Django form: its
questions come from the version, and ``answering.clean_answers`` checks them)."""

from __future__ import annotations

import json

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.housing.models import Building, HousingProvider

from . import answering, conditions
from .models import (
    LONG_TEXT_MAX,
    RATING_MAX,
    RATING_MIN,
    SHORT_TEXT_MAX,
    Campaign,
    QuestionKind,
    QuestionnaireVersion,
)
from .services import NAME_PATTERN

FIELD_PREFIX = "q-"
OUTSIDE_TERRITORY = _("Vous ne pouvez choisir que des sites de vos territoires.")


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --------------------------------------------------------------------------- questionnaires


class QuestionnaireForm(forms.Form):
    title_fr = forms.CharField(label=_("Titre (français)"), max_length=200)
    title_en = forms.CharField(label=_("Titre (anglais)"), max_length=200, required=False)
    intro_fr = forms.CharField(
        label=_("Mot d'accueil (français)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché en haut du questionnaire : pourquoi on le remplit, en mots simples."),
    )
    intro_en = forms.CharField(
        label=_("Mot d'accueil (anglais)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SectionForm(forms.Form):
    title_fr = forms.CharField(label=_("Titre de la section (français)"), max_length=200)
    title_en = forms.CharField(
        label=_("Titre de la section (anglais)"), max_length=200, required=False
    )


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Formulaire XLSForm (.xlsx)"),
        help_text=_("Un fichier exporté de KoboToolbox, d'ODK ou de Tremplin, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


NO_CONDITION = ""
KEEP_CONDITION = "__keep__"


class QuestionForm(forms.Form):
    """One question. Choices are typed one per line; the condition is picked among the answers
    of earlier questions, or typed in XLSForm syntax for combinations."""

    section = forms.ChoiceField(label=_("Section"))
    kind = forms.ChoiceField(label=_("Type de question"), choices=QuestionKind.choices)
    label_fr = forms.CharField(label=_("Question (français)"), max_length=500)
    label_en = forms.CharField(label=_("Question (anglais)"), max_length=500, required=False)
    hint_fr = forms.CharField(label=_("Indication (français)"), max_length=500, required=False)
    hint_en = forms.CharField(label=_("Indication (anglais)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    choices = forms.CharField(
        label=_("Choix de réponse (un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Pour les questions à choix. « Libellé » ou « Libellé | Label in English » ; "
            "pour fixer le nom XLSForm : « nom | Libellé | Label »."
        ),
    )
    integer_only = forms.BooleanField(label=_("Nombre entier seulement"), required=False)
    min_value = forms.DecimalField(
        label=_("Minimum"), required=False, max_digits=12, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("Maximum"), required=False, max_digits=12, decimal_places=2
    )
    condition_simple = forms.ChoiceField(
        label=_("Poser cette question seulement si…"), required=False
    )
    condition_text = forms.CharField(
        label=_("… ou condition avancée (syntaxe XLSForm)"),
        required=False,
        max_length=conditions.MAX_LENGTH,
        help_text=_("Exemple : ${salle} = 'jamais' or selected(${activites}, 'jardin')"),
    )
    name = forms.CharField(
        label=_("Nom (XLSForm)"),
        required=False,
        max_length=64,
        help_text=_("Laissez vide pour le créer à partir du libellé."),
    )

    def __init__(self, *args, struct: answering.Structure, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.struct = struct
        self.question = question
        self.fields["section"].choices = [
            (s.section.name, s.section.title_fr) for s in struct.sections
        ]
        # Earlier questions: before this one (or all, for a new question at the end).
        infos = struct.questions
        if question is not None:
            index = next((i for i, q in enumerate(infos) if q.question.pk == question.pk), 0)
            infos = infos[:index]
        self.earlier = infos
        options = [(NO_CONDITION, _("— toujours poser la question —"))]
        for info in infos:
            group = []
            if info.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                op = "=" if info.kind == QuestionKind.SINGLE else "selected"
                for choice in info.choices:
                    group.append(
                        (
                            json.dumps({"q": info.name, "op": op, "value": choice.name}),
                            f"{info.number}. {info.question.label_fr[:50]} → {choice.label_fr}",
                        )
                    )
            elif info.kind == QuestionKind.RATING:
                for n in range(RATING_MIN, RATING_MAX + 1):
                    group.append(
                        (
                            json.dumps({"q": info.name, "op": "=", "value": str(n)}),
                            f"{info.number}. {info.question.label_fr[:50]} → {n}",
                        )
                    )
            if group:
                options.append((f"{info.number}. {info.question.label_fr[:60]}", group))
        current = question.condition if question is not None else None
        self.current_condition = current
        if current:
            value = json.dumps(current)
            flat = [v for _g, group in options[1:] for v, _l in group]
            if value in flat:
                self.initial.setdefault("condition_simple", value)
            else:
                options.insert(1, (KEEP_CONDITION, _("— garder la condition actuelle —")))
                self.initial.setdefault("condition_simple", KEEP_CONDITION)
        self.fields["condition_simple"].choices = options
        if question is not None:
            self.initial.setdefault("section", question.section.name)
        for name in ("label_en", "hint_en"):
            self.fields[name].widget.attrs["lang"] = "en"
        self.fields["min_value"].widget.attrs["inputmode"] = "decimal"
        self.fields["max_value"].widget.attrs["inputmode"] = "decimal"

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if name and not NAME_PATTERN.match(name):
            raise forms.ValidationError(
                _("Nom invalide : lettres sans accents, chiffres, _ ; commence par une lettre.")
            )
        return name

    def clean(self):
        data = super().clean()
        text = (data.get("condition_text") or "").strip()
        simple = data.get("condition_simple") or NO_CONDITION
        condition = None
        if text:
            try:
                condition = conditions.parse(text)
            except conditions.ConditionError as error:
                self.add_error("condition_text", str(error))
        elif simple == KEEP_CONDITION:
            condition = self.current_condition
        elif simple:
            try:
                condition = json.loads(simple)
            except ValueError:
                self.add_error("condition_simple", _("Condition illisible."))
        if condition:
            try:
                conditions.check(condition, answering.earlier_map(self.earlier))
            except conditions.ConditionError as error:
                field = "condition_text" if text else "condition_simple"
                self.add_error(field, str(error))
        data["condition"] = condition
        kind = data.get("kind")
        if (
            kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            and not (data.get("choices") or "").strip()
        ):
            self.add_error("choices", _("Une question à choix a besoin d'au moins un choix."))
        return data

    @staticmethod
    def initial_for(question, choices) -> dict:
        lines = []
        for c in choices:
            lines.append(" | ".join(p for p in (c.name, c.label_fr, c.label_en or c.label_fr)))
        return {
            "kind": question.kind,
            "label_fr": question.label_fr,
            "label_en": question.label_en,
            "hint_fr": question.hint_fr,
            "hint_en": question.hint_en,
            "required": question.required,
            "choices": "\n".join(lines) if question.has_choices else "",
            "integer_only": question.integer_only,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "name": question.name,
        }


# --------------------------------------------------------------------------- campaigns


class SiteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if isinstance(obj, Building):
            place = f"{obj.address}, {obj.municipality.name}"
            return f"{obj.name} – {place}" if obj.name else place
        return f"{obj.name} ({obj.municipality.name})"


class VersionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        state = _("figée") if obj.is_frozen else _("modifiable")
        return f"{obj.title_fr} – v{obj.number} ({state})"


class CampaignForm(forms.ModelForm):
    version = VersionField(
        label=_("Questionnaire et version"), queryset=QuestionnaireVersion.objects.none()
    )
    buildings = SiteChoiceField(
        label=_("Immeubles"),
        queryset=Building.objects.none(),
        required=False,
        error_messages={"invalid_choice": OUTSIDE_TERRITORY},
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    providers = SiteChoiceField(
        label=_("Organismes d'habitation (tous leurs immeubles)"),
        queryset=HousingProvider.objects.none(),
        required=False,
        error_messages={"invalid_choice": OUTSIDE_TERRITORY},
    )
    default_goal = forms.IntegerField(
        label=_("Objectif de réponses par nouveau site"),
        min_value=0,
        max_value=100_000,
        required=False,
        initial=20,
        help_text=_("Modifiable ensuite site par site."),
    )

    class Meta:
        model = Campaign
        fields = ["title", "version", "opens_on", "closes_on", "allows_contact"]
        widgets = {"opens_on": date_input(), "closes_on": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        membership = getattr(user, "membership", None)
        self.fields["version"].queryset = QuestionnaireVersion.objects.select_related(
            "questionnaire"
        ).order_by("questionnaire__title", "-number")
        buildings = Building.objects.select_related("municipality__mrc").order_by(
            "municipality__name", "address"
        )
        providers = HousingProvider.objects.select_related("municipality__mrc").order_by("name_key")
        self.limited_to = None
        current_b, current_p = [], []
        if self.instance.pk:
            current_b = list(
                self.instance.sites.exclude(building=None).values_list("building_id", flat=True)
            )
            current_p = list(
                self.instance.sites.exclude(provider=None).values_list("provider_id", flat=True)
            )
            self.initial.setdefault("buildings", current_b)
            self.initial.setdefault("providers", current_p)
            self.fields["default_goal"].initial = 0
        if membership is None or membership.role != Role.COORDINATION:
            territories = membership.territory_ids() if membership else set()
            self.limited_to = territories
            in_territories = Q(municipality__mrc__territory__in=territories)
            buildings = buildings.filter(in_territories | Q(pk__in=current_b))
            providers = providers.filter(in_territories | Q(pk__in=current_p))
        self.fields["buildings"].queryset = buildings
        self.fields["providers"].queryset = providers
        self._current = {"buildings": set(current_b), "providers": set(current_p)}

    def _check_territories(self, name):
        chosen = self.cleaned_data.get(name) or []
        if self.limited_to is None:
            return chosen
        for site in chosen:
            if (
                site.pk not in self._current[name]
                and site.municipality.mrc.territory_id not in self.limited_to
            ):
                raise forms.ValidationError(OUTSIDE_TERRITORY)
        return chosen

    def clean_buildings(self):
        return self._check_territories("buildings")

    def clean_providers(self):
        return self._check_territories("providers")

    def clean(self):
        data = super().clean()
        if not data.get("buildings") and not data.get("providers") and not self.errors:
            raise forms.ValidationError(_("Choisissez au moins un site (immeuble ou organisme)."))
        return data


class PaperEntryForm(forms.Form):
    site = forms.ChoiceField(label=_("Site"))
    sheet_number = forms.IntegerField(
        label=_("Numéro de la feuille"),
        min_value=1,
        max_value=999_999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Indiquez le numéro de la feuille.")},
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(s.code, s.label) for s in campaign.sites.all()]


class ContactForm(forms.Form):
    """Contact details a respondent may leave to get involved (kept apart from the answers)."""

    name = forms.CharField(label=_("Votre nom"), max_length=150, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Courriel"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Vos disponibilités ou ce qui vous intéresse"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        data = super().clean()
        given = any((data.get(k) or "").strip() for k in ("name", "phone", "email", "note"))
        if given and not self.errors:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Indiquez votre nom pour qu'on puisse vous joindre."))
            if not (data.get("phone") or "").strip() and not (data.get("email") or "").strip():
                self.add_error("phone", _("Indiquez un téléphone ou un courriel."))
        data["given"] = given
        return data

    def volunteer(self) -> dict | None:
        if not self.cleaned_data.get("given"):
            return None
        return {k: self.cleaned_data.get(k) or "" for k in ("name", "phone", "email", "note")}


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Nouveau thème"), max_length=100)


# --------------------------------------------------------------------------- answering


class AnswerField:
    """One question as the answer template draws it."""

    def __init__(self, form, info: answering.QuestionInfo):
        self.form = form
        self.info = info
        self.question = info.question
        self.html_name = FIELD_PREFIX + info.name
        self.id = "q-" + info.name.replace(".", "-")

    @property
    def values(self) -> list[str]:
        return self.form.raw.get(self.info.name, [])

    @property
    def value(self) -> str:
        values = self.values
        return values[0] if values else ""

    @property
    def errors(self) -> list[str]:
        return self.form.errors.get(self.info.name, [])

    @property
    def condition_text(self) -> str:
        return self.form.struct.describe(self.question.condition)

    @property
    def condition_json(self) -> str:
        if not self.question.condition:
            return ""
        return json.dumps(self.question.condition, ensure_ascii=False)

    @property
    def options(self):
        """(value, label, id, checked) for choices and ratings."""
        chosen = set(self.values)
        return [
            (c.name, c.label, f"{self.id}-{i}", c.name in chosen)
            for i, c in enumerate(self.info.choices, start=1)
        ]

    @property
    def max_length(self) -> int:
        return LONG_TEXT_MAX if self.question.kind == QuestionKind.LONG_TEXT else SHORT_TEXT_MAX

    @property
    def number_range(self) -> str:
        q = self.question
        if q.min_value is None and q.max_value is None:
            return ""
        return answering._range_message(q)


class AnswerForm:
    """The questions of a version with what was typed and the errors found."""

    def __init__(self, struct: answering.Structure, data=None):
        self.struct = struct
        self.raw: dict[str, list[str]] = {}
        self.errors: dict[str, list[str]] = {}
        self.unknown: list[str] = []
        if data is not None:
            for key in data:
                if key.startswith(FIELD_PREFIX):
                    self.raw[key[len(FIELD_PREFIX) :][:100]] = [
                        v for v in data.getlist(key)[: answering.MAX_VALUES_PER_FIELD]
                    ]

    def sections(self):
        return [
            (s.section, [AnswerField(self, info) for info in s.questions])
            for s in self.struct.sections
        ]

    def set_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            self.errors = {
                k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()
            }
        else:
            self.errors = {"__all__": list(error.messages)}

    @property
    def general_errors(self) -> list[str]:
        return self.errors.get("__all__", [])

    @property
    def field_errors(self) -> list[tuple[AnswerField, list[str]]]:
        fields = [f for _section, fields in self.sections() for f in fields]
        return [(f, self.errors[f.info.name]) for f in fields if f.info.name in self.errors]
