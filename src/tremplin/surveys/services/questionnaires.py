"""Writes on questionnaires: versions, sections, questions.

Edits go through ``editable_version``: the latest version if no answer uses it, otherwise a copy
of it numbered one more (the frozen version never changes). After each edit the whole version
is checked (``version_check``): a condition must name a question placed before its own, with a
value that question can take; otherwise nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited

from .. import answering, conditions
from ..models import (
    RATING_MAX,
    RATING_MIN,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
MAX_QUESTIONS = 300
MAX_CHOICES = 100


def make_name(text: str, taken: set[str], prefix: str = "q") -> str:
    """An XLSForm name from a label: ``"Vous sentez-vous…"`` → ``vous_sentez_vous``."""
    base = slugify(text or "").replace("-", "_")[:40].strip("_") or prefix
    if not re.match(r"[A-Za-z_]", base):
        base = f"{prefix}_{base}"
    name, n = base, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    return name


# --------------------------------------------------------------------------- versions


def version_clone(version: QuestionnaireVersion, *, user=None) -> QuestionnaireVersion:
    """A draft copy of ``version`` numbered after the questionnaire's latest."""
    latest = version.questionnaire.versions.order_by("-number").values_list("number", flat=True)
    clone = QuestionnaireVersion.objects.create(
        questionnaire=version.questionnaire,
        number=(latest.first() or 0) + 1,
        title_fr=version.title_fr,
        title_en=version.title_en,
        intro_fr=version.intro_fr,
        intro_en=version.intro_en,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    sections = {}
    for section in version.sections.order_by("position", "id"):
        sections[section.pk] = Section.objects.create(
            version=clone,
            position=section.position,
            name=section.name,
            title_fr=section.title_fr,
            title_en=section.title_en,
        )
    new_choices = []
    for question in Question.objects.filter(version=version).prefetch_related("choices"):
        copy = Question.objects.create(
            version=clone,
            section=sections[question.section_id],
            **{f: getattr(question, f) for f in ("position", "name", *QUESTION_FIELDS)},
        )
        new_choices += [
            Choice(
                question=copy,
                position=c.position,
                name=c.name,
                label_fr=c.label_fr,
                label_en=c.label_en,
            )
            for c in question.choices.all()
        ]
    Choice.objects.bulk_create(new_choices)
    return clone


def editable_version(
    *, user, questionnaire: Questionnaire, request=None
) -> tuple[QuestionnaireVersion, bool]:
    """The version edits apply to, and whether it was just created (the latest was frozen)."""
    latest = (
        QuestionnaireVersion.objects.select_for_update()
        .filter(questionnaire=questionnaire)
        .order_by("-number")
        .first()
    )
    if latest is None:
        raise ValidationError(_("Ce questionnaire n'a aucune version."))
    if not latest.is_frozen:
        return latest, False
    clone = version_clone(latest, user=user)
    log_action(
        questionnaire,
        "surveys.version.create",
        user=user,
        request=request,
        data={"from": latest.number, "number": clone.number},
    )
    return clone, True


def version_check(version: QuestionnaireVersion) -> None:
    """Refuse a version whose conditions name later or unknown questions, or wrong values."""
    struct = answering.structure(version)
    if len(struct.questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("Un questionnaire compte %(max)s questions au plus.") % {"max": MAX_QUESTIONS}
        )
    for i, info in enumerate(struct.questions):
        try:
            conditions.check(info.question.condition, answering.earlier_map(struct.questions[:i]))
        except conditions.ConditionError as error:
            raise ValidationError(
                _("Question %(number)s (« %(label)s ») : %(error)s")
                % {"number": info.number, "label": info.question.label_fr, "error": error}
            ) from None


def _touch_title(questionnaire: Questionnaire, version: QuestionnaireVersion) -> None:
    if questionnaire.title != version.title_fr:
        questionnaire.title = version.title_fr
        questionnaire.save(update_fields=["title", "updated_at"])


@transaction.atomic
def questionnaire_create(
    *, user, title_fr: str, title_en: str = "", intro_fr: str = "", intro_en: str = "", request=None
) -> Questionnaire:
    """A new questionnaire with its version 1 and a first, empty section."""
    questionnaire = Questionnaire(title=title_fr, created_by=user)
    questionnaire.full_clean()
    questionnaire.save()
    version = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=1,
        title_fr=title_fr,
        title_en=title_en,
        intro_fr=intro_fr,
        intro_en=intro_en,
        created_by=user,
    )
    version.full_clean()
    version.save()
    Section.objects.create(
        version=version, position=1, name="section_1", title_fr=_("Section 1"), title_en=""
    )
    log_action(questionnaire, "surveys.questionnaire.create", user=user, request=request)
    return questionnaire


@transaction.atomic
def questionnaire_update(*, user, questionnaire: Questionnaire, request=None, **texts) -> bool:
    """Change the title and welcome texts. Returns True when a new version was created."""
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    for field_name in ("title_fr", "title_en", "intro_fr", "intro_en"):
        if field_name in texts:
            setattr(version, field_name, (texts[field_name] or "").strip())
    version.full_clean()
    version.save()
    _touch_title(questionnaire, version)
    log_action(
        questionnaire,
        "surveys.questionnaire.update",
        user=user,
        request=request,
        data={"version": version.number},
    )
    return created


def _section_in(version: QuestionnaireVersion, name: str) -> Section:
    try:
        return version.sections.get(name=name)
    except Section.DoesNotExist:
        raise ValidationError(
            _("Cette section n'existe plus dans la version modifiable.")
        ) from None


def _question_in(version: QuestionnaireVersion, name: str) -> Question:
    try:
        return Question.objects.select_related("section").get(version=version, name=name)
    except Question.DoesNotExist:
        raise ValidationError(
            _("Cette question n'existe plus dans la version modifiable.")
        ) from None


@transaction.atomic
def section_save(
    *,
    user,
    questionnaire: Questionnaire,
    title_fr: str,
    title_en: str = "",
    section_name: str | None = None,
    request=None,
) -> tuple[Section, bool]:
    """Add a section (``section_name`` None) or rename one. Returns (section, new version?)."""
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    if section_name is None:
        taken = set(version.sections.values_list("name", flat=True))
        last = version.sections.order_by("-position").values_list("position", flat=True).first()
        section = Section(
            version=version,
            position=(last or 0) + 1,
            name=make_name(title_fr, taken, prefix="section"),
        )
    else:
        section = _section_in(version, section_name)
    section.title_fr = (title_fr or "").strip()
    section.title_en = (title_en or "").strip()
    save_audited(
        section,
        "surveys.section",
        verb="save",
        on=questionnaire,
        user=user,
        request=request,
        data={"version": version.number, "section": section.name},
    )
    return section, created


@transaction.atomic
def section_delete(*, user, questionnaire: Questionnaire, section_name: str, request=None) -> bool:
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    section = _section_in(version, section_name)
    if version.sections.count() == 1:
        raise ValidationError(_("Un questionnaire garde au moins une section."))
    names = list(section.questions.values_list("name", flat=True))
    section.delete()
    version_check(version)
    log_action(
        questionnaire,
        "surveys.section.delete",
        user=user,
        request=request,
        data={"version": version.number, "section": section_name, "questions": names},
    )
    return created


@transaction.atomic
def section_move(
    *, user, questionnaire: Questionnaire, section_name: str, offset: int, request=None
) -> bool:
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    sections = list(version.sections.order_by("position", "id"))
    index = next((i for i, s in enumerate(sections) if s.name == section_name), None)
    if index is None:
        raise ValidationError(_("Cette section n'existe plus dans la version modifiable."))
    target = index + offset
    if 0 <= target < len(sections):
        sections.insert(target, sections.pop(index))
        for position, section in enumerate(sections, start=1):
            if section.position != position:
                Section.objects.filter(pk=section.pk).update(position=position)
        version_check(version)
    return created


def parse_choice_lines(text: str, *, taken_names: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """Choices typed one per line: ``Libellé``, ``Libellé | Label`` or
    ``nom | Libellé | Label`` → [(name, label_fr, label_en)]."""
    rows, taken = [], set()
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) >= 3:
            name, fr, en = parts[0], parts[1], " | ".join(parts[2:])
        elif len(parts) == 2:
            name, fr, en = "", parts[0], parts[1]
        else:
            name, fr, en = "", parts[0], ""
        if not fr:
            raise ValidationError(
                _("Chaque choix a besoin d'un libellé en français : « %(line)s ».")
                % {"line": line.strip()[:80]}
            )
        if name and not NAME_PATTERN.match(name):
            raise ValidationError(
                _(
                    "« %(name)s » n'est pas un nom de choix valide (lettres sans accents, "
                    "chiffres et _ ; commence par une lettre)."
                )
                % {"name": name[:64]}
            )
        if not name:
            name = make_name(fr, taken | set(taken_names), prefix="choix")
        if name in taken:
            raise ValidationError(_("Le choix « %(name)s » apparaît deux fois.") % {"name": name})
        taken.add(name)
        rows.append((name, fr[:200], en[:200]))
    if len(rows) > MAX_CHOICES:
        raise ValidationError(_("%(max)s choix au plus.") % {"max": MAX_CHOICES})
    return rows


def _set_choices(question: Question, rows: list[tuple[str, str, str]]) -> None:
    if question.kind == QuestionKind.RATING:
        rows = [(str(n), str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]
    elif question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        rows = []
    existing = {c.name: c for c in question.choices.all()}
    keep = set()
    for position, (name, fr, en) in enumerate(rows, start=1):
        choice = existing.get(name) or Choice(question=question, name=name)
        choice.position, choice.label_fr, choice.label_en = position, fr, en
        choice.full_clean()
        choice.save()
        keep.add(name)
    question.choices.exclude(name__in=keep).delete()


QUESTION_FIELDS = (
    "kind",
    "label_fr",
    "label_en",
    "hint_fr",
    "hint_en",
    "required",
    "condition",
    "integer_only",
    "min_value",
    "max_value",
)


@transaction.atomic
def question_save(
    *,
    user,
    questionnaire: Questionnaire,
    section_name: str,
    values: dict,
    choices: list[tuple[str, str, str]] | None = None,
    question_name: str | None = None,
    new_name: str = "",
    request=None,
) -> tuple[Question, bool]:
    """Add a question at the end of a section, or change one (``question_name``).

    ``values``: the fields of QUESTION_FIELDS; ``choices`` as from ``parse_choice_lines``.
    Returns (question, whether a new version was created).
    """
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    section = _section_in(version, section_name)
    taken = set(Question.objects.filter(version=version).values_list("name", flat=True))
    if question_name is None:
        question = Question(version=version)
    else:
        question = _question_in(version, question_name)
        taken.discard(question.name)
    if question.section_id != section.pk:
        last = section.questions.order_by("-position").values_list("position", flat=True).first()
        question.section = section
        question.position = (last or 0) + 1
    for field_name in QUESTION_FIELDS:
        if field_name in values:
            setattr(question, field_name, values[field_name])
    new_name = (new_name or "").strip()
    if new_name:
        if not NAME_PATTERN.match(new_name):
            raise ValidationError(
                {
                    "name": _(
                        "Nom invalide : lettres sans accents, chiffres, _ ; commence par une lettre."
                    )
                }
            )
        if new_name in taken:
            raise ValidationError({"name": _("Une autre question porte déjà ce nom.")})
        old_name = question.name
        question.name = new_name
        if old_name and old_name != new_name:
            _rename_references(version, old_name, new_name)
    elif not question.name:
        question.name = make_name(question.label_fr, taken)
    if question.kind not in (QuestionKind.NUMBER,):
        question.min_value = question.max_value = None
    if (
        question.min_value is not None
        and question.max_value is not None
        and question.min_value > question.max_value
    ):
        raise ValidationError({"max_value": _("Le maximum doit être supérieur au minimum.")})
    save_audited(
        question,
        "surveys.question",
        verb="save",
        on=questionnaire,
        user=user,
        request=request,
        data={"version": version.number, "question": question.name},
    )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not choices:
        raise ValidationError({"choices": _("Une question à choix a besoin d'au moins un choix.")})
    _set_choices(question, choices or [])
    version_check(version)
    return question, created


def _rename_references(version, old: str, new: str) -> None:
    def rename(node):
        if not node:
            return node
        for key in ("all", "any"):
            if key in node:
                return {key: [rename(n) for n in node[key]]}
        return {**node, "q": new} if node.get("q") == old else node

    for question in Question.objects.filter(version=version).exclude(condition=None):
        renamed = rename(question.condition)
        if renamed != question.condition:
            Question.objects.filter(pk=question.pk).update(condition=renamed)


@transaction.atomic
def question_delete(
    *, user, questionnaire: Questionnaire, question_name: str, request=None
) -> bool:
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    question = _question_in(version, question_name)
    dependants = [
        q.label_fr
        for q in Question.objects.filter(version=version).exclude(condition=None)
        if question.name in conditions.referenced_names(q.condition)
    ]
    if dependants:
        raise ValidationError(
            _("D'autres questions en dépendent (condition) : %(labels)s. Modifiez-les d'abord.")
            % {"labels": " ; ".join(f"« {label[:60]} »" for label in dependants)}
        )
    question.delete()
    log_action(
        questionnaire,
        "surveys.question.delete",
        user=user,
        request=request,
        data={"version": version.number, "question": question_name},
    )
    return created


@transaction.atomic
def question_move(
    *, user, questionnaire: Questionnaire, question_name: str, offset: int, request=None
) -> bool:
    """Move a question up (-1) or down (+1) within its section; refused if a condition would
    then name a later question."""
    version, created = editable_version(user=user, questionnaire=questionnaire, request=request)
    question = _question_in(version, question_name)
    siblings = list(question.section.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings.insert(target, siblings.pop(index))
        for position, q in enumerate(siblings, start=1):
            if q.position != position:
                Question.objects.filter(pk=q.pk).update(position=position)
        version_check(version)
    return created
