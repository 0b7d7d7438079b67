"""The de-identified research export (CSV and XLSX): one row a person, k-anonymous (k ≥ 5).

Who is in it: persons with an active research consent (given, not withdrawn), at least one
follow-up, not anonymized. What a row holds — nothing else:

| column | value |
|---|---|
| Années de naissance | 10-year band of the birth year ("1950-1959"), or "inconnue" |
| Territoire | the person's territory (never finer) |
| Ménage | household |
| Première année de suivi | year (not date) the first follow-up started |
| Motifs | the reasons of all their follow-ups, as one combination |
| Situation | "Suivi en cours", or the residential outcome of the last closed follow-up |
| Interventions | count band (0, 1 à 4, 5 à 9, 10 à 19, 20 et plus) |
| Références | count band (0, 1, 2 à 4, 5 et plus) |

No name, contact detail, free text, exact date or identifier. **Every column is treated as a
quasi-identifier**: each row is identical to at least K-1 others (k-anonymity on the whole row,
which a test recomputes on the output). Rows whose combination is rarer are generalized one
level at a time (``LEVELS``: masking the most specific columns first, "masqué"); rows still
in a group smaller than K at the last level are suppressed. A masked value marks its level, so
groups of different levels never merge. Rows are sorted, so their order reveals nothing.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from tremplin.core.tabular import neutralise

from ..models import (
    Consent,
    ConsentKind,
    FollowUp,
    FollowUpStatus,
    Intervention,
    Outcome,
    Person,
    Reason,
    Referral,
)
from . import permissions
from .retention import count_of

K = 5
LANGUAGE = "fr"
COLUMNS = (
    "age_band",
    "territory",
    "household",
    "first_year",
    "reasons",
    "situation",
    "interventions",
    "referrals",
)
# Generalization levels: the columns masked at each level (cumulative).
LEVELS = (
    (),
    ("reasons",),
    ("reasons", "interventions", "referrals"),
    ("reasons", "interventions", "referrals", "first_year"),
    ("reasons", "interventions", "referrals", "first_year", "situation", "household"),
    (
        "reasons",
        "interventions",
        "referrals",
        "first_year",
        "situation",
        "household",
        "age_band",
    ),
)


def headers() -> list[str]:
    return [
        _("Années de naissance"),
        _("Territoire"),
        _("Ménage"),
        _("Première année de suivi"),
        _("Motifs"),
        _("Situation"),
        _("Interventions"),
        _("Références"),
    ]


def masked() -> str:
    return _("masqué")


def age_band(birth_year: int | None) -> str:
    if not birth_year:
        return _("inconnue")
    start = (birth_year // 10) * 10
    return f"{start}-{start + 9}"


def count_band(n: int, bounds: tuple[int, ...]) -> str:
    """``bounds`` are the lower bounds of the bands after 0, e.g. (1, 5, 10, 20)."""
    if n == 0:
        return "0"
    for low, high in zip(bounds, bounds[1:], strict=False):
        if low <= n < high:
            return str(low) if high - low == 1 else _("%(a)s à %(b)s") % {"a": low, "b": high - 1}
    return _("%(n)s et plus") % {"n": bounds[-1]}


INTERVENTION_BANDS = (1, 5, 10, 20)
REFERRAL_BANDS = (1, 2, 5)


@dataclass
class ResearchExport:
    rows: list[tuple[str, ...]]
    eligible: int  # consenting persons with a follow-up
    generalized: int  # rows kept after masking some columns
    suppressed: int  # rows left out


def consenting_persons():
    active_research = Consent.objects.filter(
        person=OuterRef("pk"), kind=ConsentKind.RESEARCH, withdrawn_on__isnull=True
    )
    return Person.objects.filter(
        Exists(active_research),
        Exists(FollowUp.objects.filter(person=OuterRef("pk"))),
        anonymized_at__isnull=True,
    )


def _detailed_rows() -> list[tuple[str, ...]]:
    """One detailed row per consenting person, in two queries whatever the data size."""
    persons = (
        consenting_persons()
        .select_related("territory")
        .annotate(first_start=Min("follow_ups__started_on"))
        .order_by()
    )
    persons = {p.pk: p for p in persons}
    reasons: dict[int, set[str]] = {pk: set() for pk in persons}
    last: dict[int, tuple] = {}
    open_ids: set[int] = set()
    follow_ups = (
        FollowUp.objects.filter(person_id__in=consenting_persons().values("pk"))
        .annotate(n_int=count_of(Intervention), n_ref=count_of(Referral))
        .order_by()
        .values_list("person_id", "reasons", "status", "closed_on", "outcome", "n_int", "n_ref")
    )
    interventions: Counter = Counter()
    referrals: Counter = Counter()
    for person_id, fu_reasons, status, closed_on, outcome, n_int, n_ref in follow_ups:
        if person_id not in persons:
            continue
        reasons[person_id].update(r for r in fu_reasons.split(",") if r)
        interventions[person_id] += n_int
        referrals[person_id] += n_ref
        if status == FollowUpStatus.OPEN:
            open_ids.add(person_id)
        elif closed_on and (person_id not in last or closed_on > last[person_id][0]):
            last[person_id] = (closed_on, outcome)
    reason_order = list(Reason.values)
    reason_labels = dict(Reason.choices)
    outcome_labels = dict(Outcome.choices)
    rows = []
    for pk, person in persons.items():
        birth_year = person.birth_year or (person.birth_date.year if person.birth_date else None)
        if pk in open_ids:
            situation = _("Suivi en cours")
        elif pk in last and last[pk][1]:
            situation = str(outcome_labels.get(last[pk][1], last[pk][1]))
        else:
            situation = _("Inconnue")
        combo = sorted(
            reasons[pk], key=lambda r: reason_order.index(r) if r in reason_order else 99
        )
        rows.append(
            (
                age_band(birth_year),
                person.territory.name,
                person.get_household_display(),
                str(person.first_start.year) if person.first_start else _("inconnue"),
                " + ".join(str(reason_labels.get(r, r)) for r in combo),
                situation,
                count_band(interventions[pk], INTERVENTION_BANDS),
                count_band(referrals[pk], REFERRAL_BANDS),
            )
        )
    return rows


def anonymize_rows(rows: list[tuple[str, ...]], k: int = K) -> ResearchExport:
    """Generalize, then suppress, until every combination is shared by at least ``k`` rows."""
    eligible = len(rows)
    kept: list[tuple[str, ...]] = []
    generalized = 0
    remaining = rows
    mask = masked()
    for level, columns in enumerate(LEVELS):
        if not remaining:
            break
        positions = {COLUMNS.index(c) for c in columns}
        recoded = [
            tuple(mask if i in positions else v for i, v in enumerate(row)) for row in remaining
        ]
        sizes = Counter(recoded)
        passed = [row for row in recoded if sizes[row] >= k]
        kept.extend(passed)
        if level:
            generalized += len(passed)
        remaining = [orig for orig, row in zip(remaining, recoded, strict=True) if sizes[row] < k]
    return ResearchExport(
        rows=sorted(kept), eligible=eligible, generalized=generalized, suppressed=len(remaining)
    )


def research_export(user) -> ResearchExport:
    """The k-anonymous rows for ``user`` (researcher or privacy officer), or Http404."""
    from django.http import Http404

    if not permissions.can_export_research(user):
        raise Http404
    with translation.override(LANGUAGE):
        return anonymize_rows(_detailed_rows())


def csv_bytes(export: ResearchExport) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # what makes Excel read UTF-8
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    with translation.override(LANGUAGE):
        writer.writerow(headers())
    writer.writerows([neutralise(v) for v in row] for row in export.rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(export: ResearchExport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    with translation.override(LANGUAGE):
        ws.title = _("Données dépersonnalisées")[:31]
        ws.append(headers())
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in export.rows:
            ws.append([neutralise(v) for v in row])
        notes = wb.create_sheet(_("Notes"))
        for line in notes_lines(export):
            notes.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def notes_lines(export: ResearchExport) -> list[str]:
    return [
        _("Données dépersonnalisées du soutien communautaire individuel (Tremplin)."),
        _(
            "Une ligne par personne ayant consenti à l'utilisation de ses données pour la "
            "recherche ; aucun nom, coordonnée, texte libre, date exacte ni identifiant."
        ),
        _(
            "Chaque combinaison de valeurs est partagée par au moins %(k)s personnes ; les "
            "valeurs « masqué » ont été généralisées pour y arriver."
        )
        % {"k": K},
        _("Personnes admissibles : %(n)s.") % {"n": export.eligible},
        _("Lignes généralisées : %(n)s.") % {"n": export.generalized},
        _("Lignes retirées (groupes de moins de %(k)s) : %(n)s.")
        % {"k": K, "n": export.suppressed},
    ]
