"""Load the demo resource directory and the fictitious case files of the two demo workers.

``load_casework`` is idempotent: resources are found again by their folded name and territory,
persons by their folded name (demo persons only), consents by (person, kind, organization),
follow-ups by (person, reasons), and interventions, referrals and communications by their
rank within their follow-up or person; a second run creates nothing and resets the demo
records to the data below. Dates are relative to the day of loading, so next steps stay
current (some overdue, some to come). Records that are not demo records are never modified.

Every person, note and telephone number here is fictitious (last names say so: « Exemple »,
« Fictif »…); the resources are real *kinds* of services of the region, with fictitious
addresses and 555 telephone numbers. Like the other loaders, this bypasses the audited
services: loading the demo is not anyone's action on a file.

The two workers (``intervenant`` in Grand Littoral, ``intervenante-beauce`` in Beauce) each
see only their own files; their supervisor (``superviseure``) sees both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.utils import timezone

from tremplin.casework.models import (
    Communication,
    Consent,
    FollowUp,
    FollowUpStatus,
    Intervention,
    Person,
    Referral,
    Resource,
)
from tremplin.casework.services import follow_up_refresh
from tremplin.core.text import fold
from tremplin.housing.models import Building
from tremplin.territories.models import Municipality, Territory

CREATED_KEYS = (
    "casework_resources",
    "casework_persons",
    "casework_consents",
    "casework_follow_ups",
    "casework_interventions",
    "casework_referrals",
    "casework_communications",
)
FICTITIOUS = "Coordonnées fictives (démonstration)."

# (name, category, territory slug or None for regional, municipality code, address, phone,
# description). Real kinds of services of Chaudière-Appalaches; details are fictitious.
RESOURCES = [
    ("Comptoir alimentaire de Lévis", "food", "grand-littoral", "25213", "100, rue Exemple",
     "418 555-0101", "Dépannage alimentaire et paniers hebdomadaires."),
    ("Cuisines collectives de Bellechasse", "food", "grand-littoral", "19030",
     "12, rue de la Démo", "418 555-0102", "Cuisines collectives et groupes d'achats."),
    ("Moisson de la Beauce (banque alimentaire)", "food", "beauce", "29073",
     "250, 1re Avenue fictive", "418 555-0103", "Banque alimentaire régionale de la Beauce."),
    ("Comptoir alimentaire de Thetford", "food", "region-de-thetford", "31084",
     "45, rue Fictive", "418 555-0104", "Dépannage alimentaire."),
    ("CLSC de Lévis – accueil psychosocial", "clsc", "grand-littoral", "25213",
     "200, boulevard Exemple", "418 555-0111", "Accueil, analyse, orientation et référence."),
    ("CLSC de Saint-Georges – services psychosociaux", "clsc", "beauce", "29073",
     "300, avenue de la Démo", "418 555-0112", "Services psychosociaux courants."),
    ("CLSC de Montmagny – soutien à domicile", "clsc", "montmagny-lislet", "18050",
     "15, rue Fictive", "418 555-0113", "Soutien à domicile des aînés et des personnes handicapées."),
    ("CLSC de Lac-Etchemin", "clsc", "etchemins", "28053", "8, rue Exemple", "418 555-0114",
     "Services de santé et services sociaux de proximité."),
    ("Organisme communautaire en santé mentale du Littoral", "mental_health", "grand-littoral",
     "25213", "60, rue Inventée", "418 555-0121",
     "Entraide, suivi communautaire et activités pour personnes vivant avec un problème de santé mentale."),
    ("Ressource alternative en santé mentale de la Beauce", "mental_health", "beauce", "26030",
     "22, rue Exemple", "418 555-0122", "Groupe d'entraide et accompagnement."),
    ("Centre de crise et de prévention du suicide (régional)", "crisis", None, "", "",
     "418 555-0131", "Intervention de crise 24 heures sur 24, hébergement de crise, suivi de crise."),
    ("Info-Social (ligne régionale fictive)", "crisis", None, "", "", "418 555-0132",
     "Consultation psychosociale téléphonique 24/7. (Le vrai service est le 811, option 2.)"),
    ("Bureau d'aide juridique de Lévis", "legal", "grand-littoral", "25213",
     "75, rue de la Démo", "418 555-0141", "Aide juridique gratuite ou à faible coût selon le revenu."),
    ("Bureau d'aide juridique de Saint-Georges", "legal", "beauce", "29073",
     "90, rue Fictive", "418 555-0142", "Aide juridique, dont le droit du logement."),
    ("Comité logement de Chaudière-Appalaches", "housing", None, "", "", "418 555-0151",
     "Information sur les droits des locataires, Tribunal administratif du logement."),
    ("Office d'habitation – demandes de logement social", "housing", "beauce", "26030",
     "5, rue Exemple", "418 555-0152", "Inscription aux listes d'attente d'HLM."),
    ("Centre d'action bénévole de Bellechasse", "seniors", "grand-littoral", "19030",
     "33, rue Fictive", "418 555-0161", "Popote roulante, accompagnement-transport, visites d'amitié."),
    ("Centre d'action bénévole Beauce-Etchemin", "seniors", "beauce", "29073",
     "44, rue de la Démo", "418 555-0162", "Visites d'amitié et appels de sécurité pour aînés."),
    ("Centre de réadaptation en dépendance – point de service de Lévis", "addiction",
     "grand-littoral", "25213", "120, rue Exemple", "418 555-0171",
     "Évaluation et suivi en dépendances (alcool, drogues, jeu)."),
    ("Carrefour jeunesse-emploi de la Beauce", "employment", "beauce", "29073",
     "18, rue Inventée", "418 555-0181", "Préemployabilité et retour aux études pour les 16-35 ans."),
]  # fmt: skip

# One worker's fictitious files. Days are counted back from the day of loading; a next step
# in days ahead is negative when it is overdue.
#   consents: (kind, organization, mode, days ago given, days ago withdrawn or None)
#   follow_ups: reasons, start (days ago), goals, closed (days ago, outcome) or None,
#     interventions: (days ago, type, mode, minutes, note, next step, next step in days or None)
#     referrals: (days ago, resource name, reason, outcome)
#   communications: (days ago, organization, what, why)
FILES = {
    "intervenant": [
        {
            "first_name": "Gaston", "last_name": "Exemple", "birth_year": 1947, "unit": "104",
            "household": "alone", "language": "fr",
            "safe_contact": "Appeler en avant-midi ; il entend mal au téléphone, parler lentement.",
            "consents": [("follow_up", "", "written", 140, None),
                         ("sharing", "CLSC de Lévis – accueil psychosocial", "written", 100, None),
                         ("research", "", "written", 140, None)],
            "follow_ups": [{
                "reasons": "isolation,services", "start": 140,
                "goals": "Briser l'isolement ; reprendre contact avec le CLSC.",
                "closed": None,
                "interventions": [
                    (140, "intake", "home_visit", 60, "Première visite à domicile (donnée fictive). Vit seul depuis le décès de sa conjointe.", "Présenter le café-rencontre", None),
                    (110, "information", "phone", 15, "Informé du café-rencontre du mardi.", "Rappeler après le café-rencontre", None),
                    (100, "accompaniment", "outside", 90, "Accompagné au CLSC pour une première rencontre.", "", None),
                    (40, "courtesy", "courtesy_visit", 20, "Visite de courtoisie : va mieux, participe au café.", "Rappeler pour le renouvellement du bail", -5),
                ],
                "referrals": [(100, "CLSC de Lévis – accueil psychosocial", "Soutien à domicile", "accepted")],
            }],
            "communications": [(100, "CLSC de Lévis – accueil psychosocial",
                                "Nom, adresse et besoin de soutien à domicile.",
                                "Demande de service au CLSC, avec son accord.")],
        },
        {
            "first_name": "Rita", "last_name": "Fictive", "birth_year": 1958, "unit": "3",
            "household": "alone", "language": "fr", "safe_contact": "",
            "consents": [("follow_up", "", "verbal", 75, None)],
            "follow_ups": [{
                "reasons": "housing_loss,food", "start": 75,
                "goals": "Éviter la perte du logement (arrérages de loyer).", "closed": None,
                "interventions": [
                    (75, "intake", "office", 45, "Arrérages de deux mois (donnée fictive).", "Entente de paiement avec l'office", None),
                    (60, "lease", "office", 60, "Entente de paiement signée avec l'office.", "Vérifier le premier versement", None),
                    (20, "lease", "phone", 10, "Premier versement fait.", "Visite à domicile", -12),
                ],
                "referrals": [(70, "Comptoir alimentaire de Lévis", "Paniers en attendant l'entente", "accepted"),
                              (60, "Bureau d'aide juridique de Lévis", "Avis de l'office", "waiting")],
            }],
            "communications": [],
        },
        {
            "first_name": "Normand", "last_name": "Démo", "birth_year": 1969, "unit": "12",
            "household": "with_others", "language": "fr",
            "safe_contact": "Ne pas laisser de message sur le répondeur.",
            "consents": [("follow_up", "", "written", 400, None)],
            "follow_ups": [{
                "reasons": "neighbours", "start": 400,
                "goals": "Apaiser le conflit de voisinage.", "closed": (300, "kept"),
                "interventions": [
                    (400, "intake", "home_visit", 45, "Plainte de bruit d'un voisin (donnée fictive).", "", None),
                    (380, "conflict", "office", 60, "Médiation avec le voisin à la salle commune.", "", None),
                    (320, "conflict", "phone", 10, "Plus de plainte depuis un mois.", "", None),
                ],
                "referrals": [],
            }, {
                "reasons": "unsanitary", "start": 30,
                "goals": "Remettre le logement en état avant l'inspection.", "closed": None,
                "interventions": [
                    (30, "intake", "home_visit", 50, "Accumulation dans la cuisine (donnée fictive).", "Planifier le tri avec lui", 4),
                ],
                "referrals": [(25, "CLSC de Lévis – accueil psychosocial", "Évaluation", "unknown")],
            }],
            "communications": [],
        },
        {
            "first_name": "Lise", "last_name": "Imaginaire", "birth_year": 1981, "unit": "21",
            "household": "single_parent", "language": "fr", "safe_contact": "",
            "consents": [("follow_up", "", "verbal", 50, 5)],
            "follow_ups": [{
                "reasons": "mental_health", "start": 50, "goals": "", "closed": None,
                "interventions": [
                    (50, "intake", "office", 40, "Rencontre d'accueil (donnée fictive).", "Rappeler", None),
                    (35, "information", "phone", 15, "Informée des ressources en santé mentale.", "", None),
                ],
                "referrals": [(35, "Organisme communautaire en santé mentale du Littoral", "Groupe d'entraide", "refused")],
            }],
            "communications": [],
        },
    ],
    "intervenante-beauce": [
        {
            "first_name": "Yvette", "last_name": "Modèle", "birth_year": 1939, "unit": "5",
            "household": "alone", "language": "fr",
            "safe_contact": "Sa fille répond parfois : ne rien lui dire du suivi.",
            "consents": [("follow_up", "", "written", 200, None),
                         ("sharing", "Centre d'action bénévole Beauce-Etchemin", "written", 150, None)],
            "follow_ups": [{
                "reasons": "isolation,food", "start": 200,
                "goals": "Maintien à domicile ; repas réguliers.", "closed": None,
                "interventions": [
                    (200, "intake", "home_visit", 60, "Visite d'accueil (donnée fictive).", "", None),
                    (150, "accompaniment", "phone", 20, "Inscription à la popote roulante.", "", None),
                    (60, "courtesy", "courtesy_visit", 30, "Visite de courtoisie.", "Appel mensuel", -25),
                ],
                "referrals": [(150, "Centre d'action bénévole Beauce-Etchemin", "Popote roulante et appels de sécurité", "accepted")],
            }],
            "communications": [(150, "Centre d'action bénévole Beauce-Etchemin",
                                "Nom, adresse, allergies alimentaires.",
                                "Inscription à la popote roulante.")],
        },
        {
            "first_name": "Marc-André", "last_name": "Prototype", "birth_year": 1995, "unit": "8",
            "household": "alone", "language": "fr", "safe_contact": "",
            "consents": [("follow_up", "", "verbal", 45, None)],
            "follow_ups": [{
                "reasons": "services,other", "start": 45, "goals": "Retour aux études.",
                "closed": None,
                "interventions": [
                    (45, "intake", "office", 30, "Accueil (donnée fictive).", "Rendez-vous au carrefour jeunesse-emploi", 7),
                ],
                "referrals": [(44, "Carrefour jeunesse-emploi de la Beauce", "Retour aux études", "waiting")],
            }],
            "communications": [],
        },
        {
            "first_name": "Huguette", "last_name": "Fictif-Essai", "birth_year": 1962, "unit": "2",
            "household": "couple", "language": "fr", "safe_contact": "",
            "consents": [("follow_up", "", "written", 90, None)],
            "follow_ups": [{
                "reasons": "housing_loss", "start": 90,
                "goals": "Trouver un logement adapté (fauteuil roulant).", "closed": (10, "moved_better"),
                "interventions": [
                    (90, "intake", "home_visit", 45, "Logement non adapté (donnée fictive).", "", None),
                    (70, "accompaniment", "outside", 120, "Visite d'un logement adapté.", "", None),
                    (15, "lease", "office", 30, "Signature du nouveau bail.", "", None),
                ],
                "referrals": [(85, "Office d'habitation – demandes de logement social", "Logement adapté", "accepted")],
            }],
            "communications": [],
        },
    ],
}  # fmt: skip

_today = timezone.localdate


def _ago(days: int) -> dt.date:
    return _today() - dt.timedelta(days=days)


def load_casework(created: Counter | None = None) -> dict:
    """Create or reset the demo resources and case files; returns a summary of counts.

    Call it inside a transaction, after the housing directory and the accounts.
    """
    created = created if created is not None else Counter()
    resources = _load_resources(created)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=list(FILES))}
    follow_up_ids = []
    persons = 0
    for username, specs in FILES.items():
        worker = users.get(username)
        membership = getattr(worker, "membership", None) if worker else None
        if worker is None or membership is None or not membership.territory_ids():
            continue
        territory = Territory.objects.filter(pk__in=membership.territory_ids()).order_by("pk")
        territory = territory.first()
        buildings = list(
            Building.objects.filter(is_demo=True, municipality__mrc__territory=territory)
            .select_related("municipality__mrc")
            .order_by("address", "pk")[:20]
        )
        for index, spec in enumerate(specs):
            building = buildings[(index * 3) % len(buildings)] if buildings else None
            person = _load_person(spec, worker, territory, building, created)
            if person is None:
                continue
            persons += 1
            consents = _load_consents(person, spec["consents"], worker, created)
            follow_up = consents.get(("follow_up", ""))
            for fu_spec in spec["follow_ups"]:
                fu = _load_follow_up(person, fu_spec, follow_up, worker, created)
                follow_up_ids.append(fu.pk)
                _load_interventions(fu, fu_spec["interventions"], worker, created)
                _load_referrals(fu, fu_spec["referrals"], resources, worker, created)
            _load_communications(person, spec["communications"], consents, worker, created)
    follow_up_refresh(follow_up_ids)
    return {
        "resources": len(resources),
        "persons": persons,
        "follow_ups": len(follow_up_ids),
        "interventions": Intervention.objects.filter(follow_up_id__in=follow_up_ids).count(),
    }


# --------------------------------------------------------------------------- resources


def _load_resources(created: Counter) -> dict[str, Resource]:
    territories = dict(Territory.objects.values_list("slug", "pk"))
    munis = Municipality.objects.in_bulk([r[3] for r in RESOURCES if r[3]], field_name="code")
    existing = {(r.name_key, r.territory_id): r for r in Resource.objects.all()}
    out = {}
    for name, category, slug, muni, address, phone, description in RESOURCES:
        if slug and slug not in territories:
            continue
        territory_id = territories.get(slug) if slug else None
        key = (fold(name), territory_id)
        values = {
            "name": name,
            "category": category,
            "municipality": munis.get(muni),
            "address": address,
            "phone": phone,
            "description": f"{description} {FICTITIOUS}",
            "is_active": True,
            "is_demo": True,
        }
        resource = existing.get(key)
        if resource is None:
            resource = Resource(name_key=key[0], territory_id=territory_id, **values)
            resource.save()
            created["casework_resources"] += 1
        elif resource.is_demo:
            for field, value in values.items():
                setattr(resource, field, value)
            resource.save()
        out[name] = resource
    return out


# --------------------------------------------------------------------------- persons


def _load_person(spec, worker, territory, building, created) -> Person | None:
    name_key = fold(f"{spec['last_name']} {spec['first_name']}")
    person = Person.objects.filter(name_key=name_key).order_by("pk").first()
    if person is not None and not person.is_demo:
        return None  # a real person with this name: leave everything alone
    values = {
        "first_name": spec["first_name"],
        "last_name": spec["last_name"],
        "name_key": name_key,
        "birth_year": spec["birth_year"],
        "building": building,
        "unit": spec["unit"],
        "territory": building.municipality.mrc.territory if building else territory,
        "municipality": building.municipality if building else None,
        "preferred_language": spec["language"],
        "household": spec["household"],
        "safe_contact_notes": spec["safe_contact"],
        "created_by": worker,
        "notice_acknowledged_by": worker,
        "is_demo": True,
    }
    if person is None:
        person = Person(**values)
        created["casework_persons"] += 1
    else:
        for field, value in values.items():
            setattr(person, field, value)
    first_day = max(c[3] for c in spec["consents"])
    person.notice_acknowledged_at = timezone.make_aware(
        dt.datetime.combine(_ago(first_day), dt.time(10, 0))
    )
    person.save()
    return person


def _load_consents(person, specs, worker, created) -> dict:
    existing = {(c.kind, c.organization): c for c in person.consents.all()}
    out = {}
    for kind, organization, mode, given, withdrawn in specs:
        consent = existing.get((kind, organization))
        if consent is None:
            consent = Consent(person=person, kind=kind, organization=organization)
            created["casework_consents"] += 1
        consent.mode = mode
        consent.given_on = _ago(given)
        consent.recorded_by = worker
        consent.withdrawn_on = _ago(withdrawn) if withdrawn is not None else None
        consent.withdrawal_recorded_by = worker if withdrawn is not None else None
        consent.save()
        out[(kind, organization)] = consent
    return out


def _load_follow_up(person, spec, consent, worker, created) -> FollowUp:
    fu = FollowUp.objects.filter(person=person, reasons=spec["reasons"]).order_by("pk").first()
    if fu is None:
        fu = FollowUp(person=person, reasons=spec["reasons"])
        created["casework_follow_ups"] += 1
    fu.consent = consent
    fu.territory = person.territory
    fu.started_on = _ago(spec["start"])
    fu.goals = spec["goals"]
    if spec["closed"]:
        days, outcome = spec["closed"]
        fu.status, fu.closed_on, fu.outcome = FollowUpStatus.CLOSED, _ago(days), outcome
    else:
        fu.status, fu.closed_on, fu.outcome = FollowUpStatus.OPEN, None, ""
    fu.is_demo = True
    fu.save()
    fu.workers.set([worker])
    return fu


def _sync(existing: list, wanted: list, build, fields: list[str], model, counter_key, created):
    """Match rows by rank: update the first ones, create what is missing, delete the rest."""
    new, changed = [], []
    for rank, values in enumerate(wanted):
        if rank < len(existing):
            row = existing[rank]
            for field, value in values.items():
                setattr(row, field, value)
            changed.append(row)
        else:
            new.append(build(values))
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, fields)
    extra = [row.pk for row in existing[len(wanted) :]]
    if extra:
        model.objects.filter(pk__in=extra).delete()
    created[counter_key] += len(new)


def _load_interventions(fu, specs, worker, created) -> None:
    fields = ["occurred_on", "type", "mode", "duration_minutes", "note", "next_step",
              "next_step_on", "created_by"]  # fmt: skip
    wanted = [
        {
            "occurred_on": _ago(days),
            "type": kind,
            "mode": mode,
            "duration_minutes": minutes,
            "note": note,
            "next_step": next_step,
            "next_step_on": _today() + dt.timedelta(days=ahead) if ahead is not None else None,
            "created_by": worker,
        }
        for days, kind, mode, minutes, note, next_step, ahead in specs
    ]
    _sync(
        list(fu.interventions.order_by("pk")),
        wanted,
        lambda values: Intervention(follow_up=fu, **values),
        fields,
        Intervention,
        "casework_interventions",
        created,
    )


def _load_referrals(fu, specs, resources, worker, created) -> None:
    wanted = [
        {
            "referred_on": _ago(days),
            "resource": resources[name],
            "reason": reason,
            "outcome": outcome,
            "created_by": worker,
        }
        for days, name, reason, outcome in specs
        if name in resources
    ]
    _sync(
        list(fu.referrals.order_by("pk")),
        wanted,
        lambda values: Referral(follow_up=fu, **values),
        ["referred_on", "resource", "reason", "outcome", "created_by"],
        Referral,
        "casework_referrals",
        created,
    )


def _load_communications(person, specs, consents, worker, created) -> None:
    wanted = [
        {
            "consent": consents[("sharing", organization)],
            "recipient": organization,
            "what": what,
            "why": why,
            "shared_on": _ago(days),
            "recorded_by": worker,
        }
        for days, organization, what, why in specs
        if ("sharing", organization) in consents
    ]
    _sync(
        list(person.communications.order_by("pk")),
        wanted,
        lambda values: Communication(person=person, **values),
        ["consent", "recipient", "what", "why", "shared_on", "recorded_by"],
        Communication,
        "casework_communications",
        created,
    )
