"""What a version asks, and the checking of answers to it (the one place that says what an
acceptable answer is: the public page, the paper entry and the services all come through here).

``structure(version)`` loads the sections, questions and choices in two queries.
``clean_answers(structure, raw)`` turns raw form values (question name → text or list of
texts) into typed values, or raises ``ValidationError`` with one French message per question
(and ``__all__`` for questions that are not in the version). Answers to questions whose
condition does not hold are dropped: they were not asked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tremplin.core.formatting import number as format_number

from . import conditions
from .models import (
    NUMBER_LIMIT,
    RATING_MAX,
    RATING_MIN,
    Choice,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Section,
)

MAX_VALUES_PER_FIELD = 100
# Control characters other than tab and line breaks are dropped from texts (NUL above all,
# which PostgreSQL refuses in text columns).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class QuestionInfo:
    question: Question
    number: int  # its place in the questionnaire, from 1
    choices: list[Choice] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.question.name

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def label(self) -> str:
        return self.question.label

    @property
    def choice_by_name(self) -> dict[str, Choice]:
        return {c.name: c for c in self.choices}

    @property
    def choice_labels(self) -> dict[str, str]:
        return {c.name: c.label for c in self.choices}


@dataclass
class SectionInfo:
    section: Section
    questions: list[QuestionInfo] = field(default_factory=list)


@dataclass
class Structure:
    version: QuestionnaireVersion
    sections: list[SectionInfo]
    questions: list[QuestionInfo]

    @property
    def by_name(self) -> dict[str, QuestionInfo]:
        return {q.name: q for q in self.questions}

    @property
    def by_id(self) -> dict[int, QuestionInfo]:
        return {q.question.pk: q for q in self.questions}

    def describe(self, condition) -> str:
        return conditions.describe(condition, self.by_name)

    def condition_json(self, info: QuestionInfo) -> str:
        """The condition with each referenced question's field name, for answer.js."""
        return json.dumps(info.question.condition or {}, ensure_ascii=False)


def structure(version: QuestionnaireVersion) -> Structure:
    sections = list(version.sections.order_by("position", "id"))
    questions = list(
        Question.objects.filter(version=version)
        .prefetch_related("choices")
        .order_by("section__position", "section_id", "position", "id")
    )
    by_section: dict[int, SectionInfo] = {s.pk: SectionInfo(s) for s in sections}
    infos = []
    for number, question in enumerate(questions, start=1):
        info = QuestionInfo(question, number, list(question.choices.all()))
        infos.append(info)
        by_section[question.section_id].questions.append(info)
    return Structure(version, [by_section[s.pk] for s in sections], infos)


def earlier_map(infos) -> dict:
    """name → (kind, choice names) of the given questions (for ``conditions.check``)."""
    return {i.name: (i.kind, {c.name for c in i.choices}) for i in infos}


# --------------------------------------------------------------------------- cleaning


def clean_text(value: str, limit: int) -> str:
    text = unicodedata.normalize("NFC", _CONTROL.sub("", value or "")).strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > limit:
        raise ValidationError(
            _("Votre réponse compte %(length)s caractères : %(limit)s au plus.")
            % {"length": format_number(len(text)), "limit": format_number(limit)}
        )
    return text


def parse_number(text: str) -> Decimal | None:
    """``"2,5"``, ``"2.5"``, ``"1 200"`` → Decimal; None when it is not a number."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text or "").replace(",", ".")
    if not re.fullmatch(r"[-+]?\d{1,12}(\.\d{1,6})?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def format_bound(value: Decimal) -> str:
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _range_message(q: Question) -> str:
    low, high = q.min_value, q.max_value
    fmt = format_bound
    if low is not None and high is not None:
        return _("Entrez un nombre entre %(min)s et %(max)s.") % {"min": fmt(low), "max": fmt(high)}
    if low is not None:
        return _("Entrez un nombre égal ou supérieur à %(min)s.") % {"min": fmt(low)}
    return _("Entrez un nombre égal ou inférieur à %(max)s.") % {"max": fmt(high)}


def _clean_one(info: QuestionInfo, values: list[str]):
    """Typed value of one question, or None when unanswered; ValidationError when wrong."""
    q = info.question
    values = [v for v in values if isinstance(v, str)]
    if len(values) > MAX_VALUES_PER_FIELD:
        raise ValidationError(_("Trop de valeurs envoyées pour cette question."))
    if q.kind == QuestionKind.MULTIPLE:
        chosen = []
        for value in values:
            value = value.strip()
            if not value:
                continue
            choice = info.choice_by_name.get(value)
            if choice is None:
                raise ValidationError(_("Choisissez parmi les réponses proposées."))
            if choice not in chosen:
                chosen.append(choice)
        return sorted(chosen, key=lambda c: (c.position, c.pk)) or None
    value = values[0] if values else ""
    if len(values) > 1 and len({v.strip() for v in values if v.strip()}) > 1:
        raise ValidationError(_("Une seule réponse est possible à cette question."))
    if q.kind == QuestionKind.SINGLE:
        value = value.strip()
        if not value:
            return None
        choice = info.choice_by_name.get(value)
        if choice is None:
            raise ValidationError(_("Choisissez parmi les réponses proposées."))
        return choice
    if q.kind == QuestionKind.RATING:
        value = value.strip()
        if not value:
            return None
        if not re.fullmatch(r"\d{1,2}", value) or not RATING_MIN <= int(value) <= RATING_MAX:
            raise ValidationError(
                _("Choisissez une note de %(min)s à %(max)s.")
                % {"min": RATING_MIN, "max": RATING_MAX}
            )
        return int(value)
    if q.kind == QuestionKind.NUMBER:
        if not value.strip():
            return None
        number = parse_number(value)
        if number is None or abs(number) >= NUMBER_LIMIT:
            raise ValidationError(_("Entrez un nombre, en chiffres (par exemple 12 ou 2,5)."))
        if q.integer_only and number != number.to_integral_value():
            raise ValidationError(_("Entrez un nombre entier (sans décimales)."))
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Deux décimales au plus."))
        if (q.min_value is not None and number < q.min_value) or (
            q.max_value is not None and number > q.max_value
        ):
            raise ValidationError(_range_message(q))
        return number
    text = clean_text(value, q.max_length)
    return text or None


def answer_key(value):
    """The value as conditions compare it: choice name(s), number or text."""
    if value is None:
        return None
    if isinstance(value, Choice):
        return value.name
    if isinstance(value, list):
        return {c.name for c in value}
    return value


def clean_answers(struct: Structure, raw: dict) -> dict[str, object]:
    """``raw``: question name → str or list of str. Returns name → typed value for the
    questions answered and asked (conditions hold); raises ValidationError otherwise."""
    by_name = struct.by_name
    errors: dict[str, list[str]] = {}
    unknown = sorted(name for name in raw if name not in by_name)
    if unknown:
        errors["__all__"] = [
            _(
                "Cette réponse porte sur une question qui ne fait pas partie de ce questionnaire "
                "(version %(version)s) : %(names)s."
            )
            % {"version": struct.version.number, "names": ", ".join(n[:64] for n in unknown[:5])}
        ]
    typed: dict[str, object] = {}
    for info in struct.questions:
        values = raw.get(info.name, [])
        if isinstance(values, str):
            values = [values]
        try:
            typed[info.name] = _clean_one(info, list(values))
        except ValidationError as error:
            errors[info.name] = error.messages
    keys = {name: answer_key(value) for name, value in typed.items()}
    result = {}
    for info in struct.questions:
        asked = conditions.evaluate(info.question.condition, keys)
        if not asked:
            keys[info.name] = None  # not asked: later conditions see it unanswered
            errors.pop(info.name, None)
            continue
        value = typed.get(info.name)
        if value is None:
            if info.question.required and info.name not in errors:
                errors[info.name] = [_("Cette question est obligatoire.")]
            continue
        result[info.name] = value
    if errors:
        raise ValidationError(errors)
    return result
