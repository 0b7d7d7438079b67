"""Everything held about one person, for an access request (Law 25; LSSSS art. 17 ff.).

One dictionary (``person_dossier``) holds identity, consents, follow-ups with their
interventions (notes decrypted) and referrals, communications register entries, worker bars,
emergency accesses and the list of accesses to the file from the audit journal. The JSON
export is that dictionary; the PDF renders it with ``casework/privacy/access_report.html``.
Both are produced in French, the language the person is answered in unless they ask otherwise.

The caller has checked that the user is the privacy officer (``selectors``) and logs the
export (``views``): the person's request goes through them.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import FollowUp, Intervention, Referral
from .selectors import access_log, action_label, require_privacy_officer

LANGUAGE = "fr"


def _who(user) -> str:
    if user is None:
        return ""
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def _date(value):
    return value.isoformat() if value else None


def person_dossier(user, person) -> dict:
    """The whole file of ``person`` as plain data (strings, numbers, ISO dates)."""
    require_privacy_officer(user)
    with translation.override(LANGUAGE):
        return _dossier(person)


def _dossier(person) -> dict:
    building = person.building
    follow_ups = (
        FollowUp.objects.filter(person=person)
        .select_related("territory", "consent")
        .prefetch_related(
            "workers",
            Prefetch(
                "interventions",
                queryset=Intervention.objects.select_related("created_by").order_by(
                    "occurred_on", "id"
                ),
            ),
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("resource", "created_by").order_by(
                    "referred_on", "id"
                ),
            ),
        )
        .order_by("started_on", "id")
    )
    consents = person.consents.select_related("recorded_by", "withdrawal_recorded_by").order_by(
        "given_on", "id"
    )
    communications = person.communications.select_related("consent", "recorded_by").order_by(
        "shared_on", "id"
    )
    bars = person.bars.select_related("worker").order_by("created_at", "id")
    emergency = person.emergency_accesses.select_related("user", "reviewed_by").order_by(
        "created_at", "id"
    )
    accesses = access_log(person)
    users = {}
    entries = list(accesses)
    if entries:
        from django.contrib.auth import get_user_model

        ids = {e.user_id for e in entries if e.user_id}
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "person": {
            "public_id": str(person.public_id),
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_year": person.birth_year,
            "birth_date": _date(person.birth_date),
            "building": str(building) if building else None,
            "unit": person.unit,
            "municipality": person.municipality.name if person.municipality else None,
            "territory": person.territory.name,
            "phone": person.phone,
            "preferred_language": person.get_preferred_language_display(),
            "household": person.get_household_display(),
            "safe_contact_notes": person.safe_contact_notes,
            "notice_acknowledged_at": _date(person.notice_acknowledged_at),
            "created_at": _date(person.created_at),
            "anonymized_at": _date(person.anonymized_at),
        },
        "consents": [
            {
                "kind": c.get_kind_display(),
                "organization": c.organization,
                "mode": c.get_mode_display(),
                "given_on": _date(c.given_on),
                "recorded_by": _who(c.recorded_by),
                "withdrawn_on": _date(c.withdrawn_on),
                "withdrawal_recorded_by": _who(c.withdrawal_recorded_by),
            }
            for c in consents
        ],
        "follow_ups": [
            {
                "public_id": str(f.public_id),
                "started_on": _date(f.started_on),
                "status": f.get_status_display(),
                "closed_on": _date(f.closed_on),
                "outcome": f.get_outcome_display() if f.outcome else "",
                "reasons": f.reason_labels(),
                "goals": f.goals,
                "territory": f.territory.name,
                "workers": [_who(w) for w in f.workers.all()],
                "interventions": [
                    {
                        "occurred_on": _date(i.occurred_on),
                        "type": i.get_type_display(),
                        "mode": i.get_mode_display(),
                        "duration_minutes": i.duration_minutes,
                        "note": i.note,
                        "next_step": i.next_step,
                        "next_step_on": _date(i.next_step_on),
                        "recorded_by": _who(i.created_by),
                    }
                    for i in f.interventions.all()
                ],
                "referrals": [
                    {
                        "referred_on": _date(r.referred_on),
                        "resource": r.resource.name,
                        "reason": r.reason,
                        "outcome": r.get_outcome_display(),
                        "recorded_by": _who(r.created_by),
                    }
                    for r in f.referrals.all()
                ],
            }
            for f in follow_ups
        ],
        "communications": [
            {
                "shared_on": _date(c.shared_on),
                "recipient": c.recipient,
                "what": c.what,
                "why": c.why,
                "consent": f"{c.consent.get_kind_display()} ({_date(c.consent.given_on)})",
                "recorded_by": _who(c.recorded_by),
            }
            for c in communications
        ],
        "worker_bars": [
            {"worker": _who(b.worker), "since": _date(b.created_at.date())} for b in bars
        ],
        "emergency_accesses": [
            {
                "at": e.created_at.isoformat(timespec="seconds"),
                "user": _who(e.user),
                "reason": e.reason,
                "expires_at": e.expires_at.isoformat(timespec="seconds"),
                "reviewed_at": e.reviewed_at.isoformat(timespec="seconds")
                if e.reviewed_at
                else None,
            }
            for e in emergency
        ],
        "accesses": [
            {
                "at": timezone.localtime(e.at).isoformat(timespec="seconds"),
                "user": _who(users.get(e.user_id)) or e.username or _("Système"),
                "action": action_label(e.action),
                "action_code": e.action,
            }
            for e in entries
        ],
    }


def dossier_json(dossier: dict) -> bytes:
    return json.dumps(dossier, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")


def dossier_html(dossier: dict) -> str:
    with translation.override(LANGUAGE):
        return render_to_string("casework/privacy/access_report.html", {"d": dossier})


def dossier_pdf(dossier: dict, *, base_url=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=dossier_html(dossier), base_url=base_url).write_pdf()
