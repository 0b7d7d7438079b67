"""Load the demo committees, their members, meetings, decisions and action items.

What comes from the seeds: the management committee of the 2008–2011 agreement (the concertation
of the signatories, Year-1 achievement no. 1) and what it decided in Year 1 (the fall-2008
information tour reaching 62 housing offices and more than 200 people, the evaluation design by
the Agence, the Enquête mobilisante started in 10 targeted sites, the Répertoire, the regional
meeting of 2009-06-06 «Mon OMH et le soutien communautaire»); the regional partners' committee,
led by the public-health directorate of the CISSS since 2016, with about fifteen partner
networks including tenants, implementing the Cadre de référence; the seven ÉLÉ created in 2023.
Everything else — people, dates, places, minutes, most decisions and action items — is invented
and flagged ``is_demo`` (shown as fictitious on screen).

``load_concertation`` is idempotent: records are found again by their natural keys (committee
(name, kind); seat (committee, person, start date); meeting (committee, date); agenda item and
decision (meeting, position); attendance (meeting, seat); action item (meeting, description)),
so a second run creates nothing. Records that are not demo records are never modified. Like the
rest of the demo loader it writes no audit entry (loading the demo is not an action of anyone),
but every record is validated with ``full_clean``. Call it inside a transaction, after the
territories, accounts, directory, partners and projects.
"""

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model

from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Decision,
    Meeting,
    MemberRole,
    OrganizationKind,
)
from tremplin.housing.models import HousingProvider
from tremplin.partners.models import Agreement, Partner
from tremplin.projects.models import TenantAssociation
from tremplin.territories.models import LocalTeam, Region

CREATED_KEYS = (
    "committees",
    "committee_memberships",
    "meetings",
    "agenda_items",
    "decisions",
    "attendance",
    "action_items",
)
FICTITIOUS = "Donnée fictive"
REGION = "12"  # Chaudière-Appalaches: the region of the regional committees
DEMO_TODAY = dt.date(2026, 11, 23)

CISSS_DSP = "CISSS de Chaudière-Appalaches – Direction de santé publique"
CISSS = "CISSS de Chaudière-Appalaches"
T = OrganizationKind.TENANT
P = OrganizationKind.PARTNER
H = OrganizationKind.PROVIDER
A = OrganizationKind.ASSOCIATION
C = OrganizationKind.COMMUNITY


def demo_today() -> dt.date:
    return min(DEMO_TODAY, dt.date.today())


def _d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


# --- the data ------------------------------------------------------------------------------
# A seat: (person, kind, organization, role, start, end, username). ``organization``: a partner
# name (P), a provider name (H), an association name (A), free text (C), None (T). ``username``
# links the seat to a demo account (the coordination, an organizer, the SHQ partner).
# A meeting: {"date", "time", "end", "place", "video", "agenda": [...], "minutes", "decisions",
# "actions": [(description, owner person or None, owner text, due, status, closed)]}.

MANAGEMENT = {
    "name": "Comité de gestion de l'Entente spécifique HLM 2008-2011",
    "kind": CommitteeKind.AGREEMENT,
    "agreement": "entente-2008-2011",
    "start": "2008-04-01",
    "end": "2011-03-31",
    "mandate": (
        "Concerter les partenaires signataires de l'Entente spécifique portant sur "
        "l'amélioration de l'accessibilité, de la qualité de vie et des services offerts pour "
        "différentes clientèles vivant dans les HLM de la région de la Chaudière-Appalaches, "
        "et en suivre la mise en œuvre."
    ),
    "objectives": (
        "- L'amélioration des services dans les HLM, notamment par l'amélioration de la qualité "
        "de vie des milieux, le développement d'alternatives en soutien communautaire et des "
        "moyens de soutien destinés aux OMH;\n"
        "- L'intégration et la participation sociale des résidents dans les HLM."
    ),
    "seats": [
        (
            "Hélène Cloutier",
            P,
            "Conférence régionale des élus",
            MemberRole.CHAIR,
            "2008-04-01",
            None,
            None,
        ),
        (
            "Robert Gagnon",
            P,
            "Société d'habitation du Québec",
            MemberRole.MEMBER,
            "2008-04-01",
            None,
            None,
        ),
        (
            "Nathalie Boucher",
            P,
            "Agence de la santé et des services sociaux de Chaudière-Appalaches",
            MemberRole.SECRETARY,
            "2008-04-01",
            None,
            None,
        ),
        (
            "Pierre Lessard",
            P,
            "Ministère des Affaires municipales, des Régions et de l'Occupation du territoire",
            MemberRole.MEMBER,
            "2008-04-01",
            None,
            None,
        ),
        ("Chantal Roy", P, "Emploi-Québec", MemberRole.MEMBER, "2008-04-01", None, None),
        (
            "Julie Morin",
            P,
            "Forum jeunesse régional",
            MemberRole.MEMBER,
            "2008-04-01",
            "2009-12-31",
            None,
        ),
        (
            "Karine Lapointe",
            P,
            "Forum jeunesse régional",
            MemberRole.MEMBER,
            "2010-01-01",
            None,
            None,
        ),
        (
            "Gilles Poulin",
            P,
            "Table de concertation des aînés",
            MemberRole.MEMBER,
            "2008-04-01",
            None,
            None,
        ),
        ("Sylvie Drouin", P, "CSSS de Beauce", MemberRole.MEMBER, "2008-04-01", None, None),
        (
            "Marc Giguère",
            P,
            "CSSS de la région de Thetford",
            MemberRole.MEMBER,
            "2008-04-01",
            None,
            None,
        ),
        ("Lucie Bolduc", P, "CSSS des Etchemins", MemberRole.MEMBER, "2008-04-01", None, None),
        (
            "François Bégin",
            P,
            "CSSS du Grand Littoral",
            MemberRole.MEMBER,
            "2008-04-01",
            None,
            None,
        ),
        (
            "Annie Caron",
            P,
            "CSSS de Montmagny-L'Islet",
            MemberRole.MEMBER,
            "2008-04-01",
            None,
            None,
        ),
        (
            "Denis Labbé",
            P,
            "Commissions scolaires (4)",
            MemberRole.OBSERVER,
            "2008-04-01",
            None,
            None,
        ),
    ],
    "meetings": [
        {
            "date": "2008-06-12",
            "time": "09:30",
            "end": "12:00",
            "place": "Agence de la santé et des services sociaux, Sainte-Marie",
            "agenda": [
                "Mot de bienvenue",
                "Mandat du comité de gestion",
                "Plan de la tournée régionale d'information",
                "Varia",
            ],
            "minutes": (
                "Les partenaires signataires adoptent le mandat du comité de gestion.\n\n"
                "Les CSSS présentent les intervenants dédiés au projet. Une tournée régionale "
                "d'information mettra en lien les OMH et ces intervenants à l'automne 2008."
            ),
            "decisions": [
                "Adopter le mandat du comité de gestion de l'Entente.",
                "Tenir une tournée régionale d'information auprès des OMH à l'automne 2008.",
            ],
            "actions": [
                (
                    "Préparer la tournée régionale d'information auprès des OMH",
                    "Nathalie Boucher",
                    "",
                    "2008-09-15",
                    "done",
                    "2008-10-16",
                ),
                (
                    "Informer les partenaires potentiels non signataires de l'Entente",
                    "Hélène Cloutier",
                    "",
                    "2008-12-31",
                    "done",
                    "2009-01-22",
                ),
            ],
        },
        {
            "date": "2008-10-16",
            "time": "09:30",
            "end": "12:00",
            "place": "Conférence régionale des élus, Lévis",
            "agenda": [
                "Suivis",
                "Tournée régionale : premiers constats",
                "Devis d'évaluation de l'Entente",
                "Enquête mobilisante",
                "Varia",
            ],
            "minutes": (
                "La tournée est en cours dans les cinq territoires.\n\n"
                "L'Agence propose d'élaborer le devis d'évaluation de l'Entente. Emploi-Québec "
                "confirme le financement de l'Enquête mobilisante."
            ),
            "decisions": [
                "Confier à l'Agence l'élaboration du devis d'évaluation de l'Entente.",
                "Élaborer l'Enquête mobilisante, financée par Emploi-Québec.",
            ],
            "actions": [
                (
                    "Rédiger le devis d'évaluation de l'Entente",
                    "Nathalie Boucher",
                    "",
                    "2009-03-31",
                    "done",
                    "2009-04-23",
                ),
                (
                    "Réaliser le Répertoire des Offices d'habitation de Chaudière-Appalaches",
                    None,
                    "Équipe de coordination",
                    "2009-06-30",
                    "done",
                    "2009-09-24",
                ),
            ],
        },
        {
            "date": "2009-01-22",
            "time": "13:30",
            "end": "16:00",
            "place": "Conférence régionale des élus, Lévis",
            "agenda": [
                "Suivis",
                "Bilan de la tournée régionale",
                "Rencontre régionale des OMH",
                "Varia",
            ],
            "minutes": (
                "Bilan de la tournée régionale d'information : 62 OMH et plus de 200 personnes "
                "rejointes.\n\nLes OMH souhaitent partager leurs expériences de l'An 1."
            ),
            "decisions": [
                "Tenir une rencontre régionale des OMH le 6 juin 2009, «Mon OMH et le soutien communautaire».",
            ],
            "actions": [
                (
                    "Organiser la rencontre régionale «Mon OMH et le soutien communautaire»",
                    "Nathalie Boucher",
                    "",
                    "2009-06-06",
                    "done",
                    "2009-06-06",
                ),
            ],
        },
        {
            "date": "2009-04-23",
            "time": "09:30",
            "end": "12:00",
            "place": "Agence de la santé et des services sociaux, Sainte-Marie",
            "agenda": [
                "Suivis",
                "Devis d'évaluation",
                "Démarrage de l'Enquête mobilisante",
                "Investissements bonifiés pour l'An 2",
                "Varia",
            ],
            "minutes": (
                "Le devis d'évaluation est déposé.\n\nL'Enquête mobilisante démarre dans 10 "
                "milieux ciblés. La SHQ et l'Agence bonifient leur investissement pour l'An 2."
            ),
            "decisions": [
                "Adopter le devis d'évaluation de l'Entente.",
                "Démarrer l'Enquête mobilisante dans 10 milieux ciblés.",
                "Accueillir les investissements bonifiés de l'An 2 (59 000 $).",
            ],
            "actions": [
                (
                    "Préparer les faits saillants de l'An 1",
                    "Nathalie Boucher",
                    "",
                    "2009-09-30",
                    "done",
                    "2009-09-24",
                ),
            ],
        },
        {
            "date": "2009-09-24",
            "time": "09:30",
            "end": "12:00",
            "place": "Conférence régionale des élus, Lévis",
            "agenda": [
                "Suivis",
                "Faits saillants de l'An 1",
                "Bilan de la rencontre régionale du 6 juin",
                "Varia",
            ],
            "minutes": (
                "Les faits saillants de l'An 1 sont présentés : 28 OMH accompagnés par les "
                "intervenants des CSSS."
            ),
            "decisions": ["Adopter les faits saillants de l'An 1 et les diffuser aux partenaires."],
            "actions": [
                (
                    "Diffuser les faits saillants de l'An 1",
                    "Hélène Cloutier",
                    "",
                    "2009-11-30",
                    "done",
                    "2010-02-18",
                ),
            ],
        },
        {
            "date": "2010-02-18",
            "time": "09:30",
            "end": "12:00",
            "place": "Agence de la santé et des services sociaux, Sainte-Marie",
            "agenda": [
                "Suivis",
                "Premiers résultats de l'évaluation",
                "Avenir de l'Entente",
                "Varia",
            ],
            "minutes": "Les partenaires discutent de la suite à donner à l'Entente après 2011.",
            "decisions": ["Préparer une nouvelle entente pour 2011-2016."],
            "actions": [
                (
                    "Proposer un projet de nouvelle entente 2011-2016",
                    "Hélène Cloutier",
                    "",
                    "2010-12-31",
                    "done",
                    "2011-02-17",
                ),
            ],
        },
        {
            "date": "2011-02-17",
            "time": "09:30",
            "end": "12:00",
            "place": "Conférence régionale des élus, Lévis",
            "agenda": [
                "Suivis",
                "Bilan de l'Entente 2008-2011",
                "Nouvelle entente 2011-2016",
                "Varia",
            ],
            "minutes": "Bilan de l'Entente 2008-2011 et présentation du projet de nouvelle entente.",
            "decisions": ["Recommander aux partenaires de signer l'Entente 2011-2016."],
            "actions": [],
        },
    ],
}

PARTNERS_COMMITTEE = {
    "name": (
        "Comité des partenaires régionaux du soutien communautaire en logement social et "
        "communautaire (SCLSC) de Chaudière-Appalaches"
    ),
    "kind": CommitteeKind.PARTNERS,
    "agreement": None,
    "start": "2016-04-01",
    "end": None,
    "mandate": (
        "Mettre en œuvre le Cadre de référence sur le soutien communautaire en logement social "
        "et communautaire. Animé depuis 2016 par la Direction de santé publique du CISSS de "
        "Chaudière-Appalaches, avec une quinzaine de réseaux de partenaires, incluant les "
        "locataires."
    ),
    "objectives": (
        "- Réduire les inégalités sociales de santé en agissant, dans les milieux de vie, sur "
        "l'éducation, la préemployabilité, la sécurité alimentaire, l'inclusion sociale et "
        "l'accès aux services;\n"
        "- Miser sur la mobilisation, la communication et la recherche."
    ),
    "seats": [
        ("Claudine Bérubé", C, CISSS_DSP, MemberRole.CHAIR, "2016-04-01", None, "coordination"),
        ("Mathieu Fortier", C, CISSS, MemberRole.SECRETARY, "2016-04-01", None, "organisateur"),
        (
            "Isabelle Nadeau",
            P,
            "Société d'habitation du Québec",
            MemberRole.MEMBER,
            "2016-04-01",
            None,
            "partenaire",
        ),
        (
            "Gilles Poulin",
            P,
            "Table de concertation des aînés",
            MemberRole.MEMBER,
            "2016-04-01",
            "2021-06-30",
            None,
        ),
        (
            "Monique Vachon",
            P,
            "Table de concertation des aînés",
            MemberRole.MEMBER,
            "2021-09-01",
            None,
            None,
        ),
        (
            "Marc-Antoine Ouellet",
            H,
            "Office municipal d'habitation de Lévis",
            MemberRole.MEMBER,
            "2016-04-01",
            None,
            None,
        ),
        (
            "Hugo Paradis",
            C,
            "Fédération régionale des OSBL d'habitation",
            MemberRole.MEMBER,
            "2018-01-15",
            None,
            None,
        ),
        (
            "Ginette Lachance",
            A,
            "Association des locataires des Habitations du Plateau",
            MemberRole.MEMBER,
            "2019-09-01",
            None,
            None,
        ),
        ("Denise Roy", T, None, MemberRole.MEMBER, "2016-04-01", "2020-06-30", None),
        ("Roland Poulin", T, None, MemberRole.MEMBER, "2020-09-01", None, None),
        (
            "Olivier Létourneau",
            C,
            "Université du Québec à Rimouski – Campus de Lévis",
            MemberRole.OBSERVER,
            "2019-01-01",
            None,
            None,
        ),
    ],
    "meetings": [
        {
            "date": "2025-06-10",
            "time": "09:00",
            "end": "12:00",
            "place": "CISSS de Chaudière-Appalaches, Sainte-Marie",
            "video": "https://visio.example/comite-partenaires",
            "agenda": [
                "Mot de bienvenue",
                "Bilan des ÉLÉ après deux ans",
                "Laboratoires d'innovation : Espace Lafleur, Lab-Emploi, Projet CLIC",
                "Infolettre",
                "Varia",
            ],
            "minutes": (
                "Les organisateurs présentent le bilan des sept ÉLÉ.\n\n"
                "Les trois laboratoires d'innovation font le point sur leurs activités."
            ),
            "decisions": [
                "Tenir un forum régional à l'automne 2026, avec la participation des locataires.",
                "Publier l'infolettre quatre fois par année.",
            ],
            "actions": [
                (
                    "Former le comité organisateur du forum régional",
                    "Claudine Bérubé",
                    "",
                    "2025-09-30",
                    "done",
                    "2025-10-14",
                ),
                (
                    "Recueillir les projets des locataires pour l'infolettre",
                    "Mathieu Fortier",
                    "",
                    "2025-08-31",
                    "done",
                    "2025-10-14",
                ),
            ],
        },
        {
            "date": "2025-10-14",
            "time": "09:00",
            "end": "12:00",
            "place": "CISSS de Chaudière-Appalaches, Sainte-Marie",
            "video": "https://visio.example/comite-partenaires",
            "agenda": ["Suivis", "Forum régional 2026", "Partenariats de recherche", "Varia"],
            "minutes": "Le comité organisateur du forum présente un premier programme.",
            "decisions": ["Associer les universités partenaires à l'évaluation du forum."],
            "actions": [
                (
                    "Proposer un devis d'évaluation du forum",
                    "Olivier Létourneau",
                    "",
                    "2026-02-10",
                    "done",
                    "2026-02-10",
                ),
                (
                    "Mettre à jour la liste des réseaux partenaires",
                    "Mathieu Fortier",
                    "",
                    "2026-01-31",
                    "open",
                    None,
                ),
            ],
        },
        {
            "date": "2026-02-10",
            "time": "09:00",
            "end": "12:00",
            "place": "",
            "video": "https://visio.example/comite-partenaires",
            "agenda": ["Suivis", "Devis d'évaluation du forum", "Soutien aux ÉLÉ", "Varia"],
            "minutes": "Rencontre tenue en visioconférence.",
            "decisions": ["Adopter le devis d'évaluation du forum."],
            "actions": [
                (
                    "Réserver le lieu du forum régional",
                    "Claudine Bérubé",
                    "",
                    "2026-04-30",
                    "done",
                    "2026-06-09",
                ),
            ],
        },
        {
            "date": "2026-06-09",
            "time": "09:00",
            "end": "12:00",
            "place": "CISSS de Chaudière-Appalaches, Sainte-Marie",
            "video": "",
            "agenda": ["Suivis", "Programme du forum", "Participation des locataires", "Varia"],
            "minutes": "Le programme du forum est adopté; les ÉLÉ inviteront les locataires.",
            "decisions": ["Adopter le programme du forum régional."],
            "actions": [
                (
                    "Inviter les locataires des sept ÉLÉ au forum",
                    "Roland Poulin",
                    "",
                    "2026-09-30",
                    "done",
                    "2026-10-13",
                ),
                (
                    "Préparer le bilan du forum régional",
                    "Claudine Bérubé",
                    "",
                    "2026-12-31",
                    "open",
                    None,
                ),
            ],
        },
        {
            "date": "2026-10-13",
            "time": "09:00",
            "end": "12:00",
            "place": "CISSS de Chaudière-Appalaches, Sainte-Marie",
            "video": "https://visio.example/comite-partenaires",
            "agenda": ["Suivis", "Forum régional : derniers préparatifs", "Varia"],
            "minutes": "Derniers préparatifs du forum.",
            "decisions": ["Diffuser les faits saillants du forum dans l'infolettre."],
            "actions": [
                (
                    "Rédiger les faits saillants du forum pour l'infolettre",
                    "Mathieu Fortier",
                    "",
                    "2026-12-15",
                    "open",
                    None,
                ),
            ],
        },
        {
            "date": "2026-12-08",
            "time": "09:00",
            "end": "12:00",
            "place": "CISSS de Chaudière-Appalaches, Sainte-Marie",
            "video": "https://visio.example/comite-partenaires",
            "agenda": [
                "Mot de bienvenue",
                "Suivis des rencontres précédentes",
                "Bilan du forum régional",
                "Planification 2027",
                "Varia",
            ],
            "minutes": "",
            "decisions": [],
            "actions": [],
        },
    ],
}

# The seven ÉLÉ: (local team name, organizer username, organizer name, worker username, worker
# name). The organizer is the ÉLÉ's secretary; an OMH of its area chairs it.
ELE = [
    ("ÉLÉ de Lévis", "organisateur", "Mathieu Fortier", "intervenant", "Samuel Turgeon"),
    ("ÉLÉ Bellechasse-Etchemins", "organisateur", "Mathieu Fortier", None, "Émilie Rodrigue"),
    ("ÉLÉ de Lotbinière", "organisateur", "Mathieu Fortier", None, "Vincent Laflamme"),
    (
        "ÉLÉ Nouvelle-Beauce–Beauce-Centre",
        "organisatrice-beauce",
        "Annie Veilleux",
        None,
        "Jessica Nadeau",
    ),
    (
        "ÉLÉ Beauce-Sartigan",
        "organisatrice-beauce",
        "Annie Veilleux",
        "intervenante-beauce",
        "Kim Poirier",
    ),
    ("ÉLÉ des Appalaches", "organisatrice-beauce", "Annie Veilleux", None, "Maxime Grenier"),
    ("ÉLÉ Montmagny-L'Islet", "organisateur", "Mathieu Fortier", None, "Catherine Lemelin"),
]
# Invented people of each ÉLÉ: (chair for the OMH, tenant until mid-2025, tenant since then,
# community organization person, community organization, tenant association's delegate).
ELE_PEOPLE = [
    (
        "Josée Bernier",
        "Raymond Côté",
        "Aline Fortin",
        "Sylvain Dion",
        "Centre d'action bénévole de Lévis",
        "Lise Carrier",
    ),
    (
        "Martin Audet",
        "Georgette Mercier",
        "Yvon Lacroix",
        "Nicole Bélanger",
        "Entraide Bellechasse-Etchemins",
        "Rita Labrie",
    ),
    (
        "Caroline Hamel",
        "Lionel Rousseau",
        "Diane Nolet",
        "Guy Lambert",
        "Carrefour de Lotbinière",
        "Fernand Houde",
    ),
    (
        "Stéphane Vachon",
        "Réjeanne Giroux",
        "Paul-Émile Cliche",
        "Mélanie Jacques",
        "Maison de la famille Nouvelle-Beauce",
        "Thérèse Lagueux",
    ),
    (
        "Nancy Poulin",
        "Armand Veilleux",
        "Francine Bolduc",
        "Éric Roy",
        "Partage Beauce-Sartigan",
        "Jean-Guy Mathieu",
    ),
    (
        "Daniel Breton",
        "Claudette Gosselin",
        "Michel Turcotte",
        "Sonia Lessard",
        "Entraide des Appalaches",
        "Pauline Fecteau",
    ),
    (
        "Véronique Gamache",
        "Henri Caron",
        "Lise Pelletier",
        "Jacques Thibault",
        "Centre d'entraide Montmagny-L'Islet",
        "Hélène Gamache",
    ),
]
# The meetings of each ÉLÉ, as offsets in days from its founding day (the first meeting is the
# founding one), the last one upcoming; and what each decided.
ELE_MEETING_DAYS = [None, "2023-10-04", "2024-05-15", "2025-11-05", "2026-05-13", "2026-12-02"]
ELE_AGENDAS = [
    [
        "Mot de bienvenue",
        "Mandat et objectifs de l'ÉLÉ",
        "Tour de table des milieux",
        "Calendrier des rencontres",
    ],
    ["Suivis", "Portrait des besoins des locataires", "Priorités de l'année", "Varia"],
    ["Suivis", "Projets par et pour les locataires", "Espaces communs", "Varia"],
    ["Suivis", "Intervention sociocommunautaire", "Bilan de l'année", "Varia"],
    ["Suivis", "Forum régional 2026", "Projets à soutenir", "Varia"],
    [
        "Mot de bienvenue",
        "Suivis des rencontres précédentes",
        "Retour sur le forum régional",
        "Planification 2027",
        "Varia",
    ],
]
ELE_DECISIONS = [
    [
        "Adopter le mandat de l'ÉLÉ et ses trois grands objectifs.",
        "Se rencontrer dans les salles communautaires des immeubles, en alternance.",
    ],
    ["Prioriser la sécurité alimentaire et l'inclusion sociale cette année."],
    ["Appuyer un projet de cuisine collective porté par des locataires."],
    ["Accueillir l'intervenant·e sociocommunautaire aux rencontres de l'ÉLÉ."],
    ["Participer au forum régional avec une délégation de locataires."],
    [],
]
# (meeting index, description, owner role key, due offset in days, outcome per ÉLÉ index parity)
# owner role keys: "organizer", "chair", "tenant", "worker", "community".
ELE_ACTIONS = [
    (
        0,
        "Dresser le portrait des besoins des locataires du territoire",
        "organizer",
        120,
        "done_next",
    ),
    (
        1,
        "Inviter les associations de locataires à la prochaine rencontre",
        "tenant",
        90,
        "done_next",
    ),
    (1, "Recenser les espaces communs disponibles", "chair", 150, "alternate"),
    (
        2,
        "Déposer une demande de soutien pour la cuisine collective",
        "community",
        60,
        "dropped_odd",
    ),
    (
        3,
        "Présenter l'offre d'intervention sociocommunautaire aux locataires",
        "worker",
        120,
        "open",
    ),
    (4, "Préparer la présentation de l'ÉLÉ au forum régional", "organizer", 120, "open"),
]
ELE_MINUTES = [
    "Fondation de l'ÉLÉ. Chaque membre présente son organisation et les besoins observés dans les milieux.",
    "Présentation du portrait des besoins. Les locataires soulignent l'isolement des personnes aînées.",
    "Des locataires proposent une cuisine collective. Discussion sur l'accès aux espaces communs.",
    "L'intervenant·e sociocommunautaire présente son rôle auprès des locataires vivant des difficultés.",
    "Préparation de la participation au forum régional.",
    "",
]


# --- loading -------------------------------------------------------------------------------


def load_concertation(created: Counter | None = None) -> dict:
    """Create or reset the demo committees; returns a summary of counts."""
    created = created if created is not None else Counter()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "coordination",
                "organisateur",
                "organisatrice-beauce",
                "partenaire",
                "intervenant",
                "intervenante-beauce",
            ]
        )
    }
    partners = {p.name: p for p in Partner.objects.all()}
    providers = {p.name: p for p in HousingProvider.objects.filter(is_demo=True)}
    associations = {a.name: a for a in TenantAssociation.objects.filter(is_demo=True)}
    orgs = {P: partners, H: providers, A: associations}
    region = Region.objects.filter(code=REGION).first() or Region.objects.order_by("code").first()

    for spec in (MANAGEMENT, PARTNERS_COMMITTEE) if region is not None else ():
        agreement = (
            Agreement.objects.filter(slug=spec["agreement"]).first() if spec["agreement"] else None
        )
        committee = _committee(
            spec["name"],
            spec["kind"],
            start=_d(spec["start"]),
            end=_d(spec["end"]) if spec["end"] else None,
            mandate=spec["mandate"],
            objectives=spec["objectives"] + f"\n({FICTITIOUS} : membres, rencontres et suivis.)",
            agreement=agreement,
            region=region,
            created=created,
        )
        if committee is None:
            continue
        seats = _seats(committee, spec["seats"], orgs, users, created)
        for m in spec["meetings"]:
            _meeting(committee, m, seats, created)

    for index, team in enumerate(LocalTeam.objects.filter(name__in=[e[0] for e in ELE])):
        _load_ele(team, index, orgs, users, created)
    return summary()


def summary() -> dict:
    committees = Committee.objects.filter(is_demo=True)
    meetings = Meeting.objects.filter(committee__in=committees)
    items = ActionItem.objects.filter(meeting__in=meetings)
    return {
        "committees": committees.count(),
        "local_teams": committees.filter(kind=CommitteeKind.LOCAL_TEAM).count(),
        "committee_memberships": CommitteeMembership.objects.filter(
            committee__in=committees
        ).count(),
        "meetings": meetings.count(),
        "decisions": Decision.objects.filter(meeting__in=meetings).count(),
        "action_items": items.count(),
        "open_action_items": items.filter(status=ActionStatus.OPEN).count(),
    }


def _committee(
    name,
    kind,
    *,
    start,
    end,
    mandate,
    objectives,
    created,
    agreement=None,
    local_team=None,
    region=None,
):
    committee = Committee.objects.filter(name=name, kind=kind).first()
    values = {
        "region": local_team.region if local_team is not None else region,
        "start_date": start,
        "end_date": end,
        "mandate": mandate,
        "objectives": objectives,
        "agreement": agreement,
        "local_team": local_team,
        "is_demo": True,
    }
    if committee is None:
        committee = Committee(name=name, kind=kind, **values)
        committee.full_clean()
        committee.save()
        created["committees"] += 1
        return committee
    if not committee.is_demo:
        return None  # a real committee of the same name: leave it alone
    if any(getattr(committee, k) != v for k, v in values.items()):
        for field, value in values.items():
            setattr(committee, field, value)
        committee.full_clean()
        committee.save()
    return committee


def _seats(committee, specs, orgs, users, created) -> dict[str, CommitteeMembership]:
    """Create or reset seats; returns {person name: their latest seat}."""
    existing = {
        (s.person_name, s.start_date): s
        for s in CommitteeMembership.objects.filter(committee=committee)
    }
    result: dict[str, CommitteeMembership] = {}
    for person, kind, organization, role, start, end, username in specs:
        values = {
            "organization_kind": kind,
            "partner": None,
            "provider": None,
            "association": None,
            "community_organization": "",
            "role": role,
            "end_date": _d(end) if end else None,
            "user": users.get(username) if username else None,
            "is_demo": True,
        }
        if kind == C:
            values["community_organization"] = organization
        elif kind in orgs:
            found = orgs[kind].get(organization)
            if found is None:
                # The organization is not in this database (a partial demo): a free-text seat.
                values["organization_kind"] = C
                values["community_organization"] = organization
            else:
                values[{P: "partner", H: "provider", A: "association"}[kind]] = found
        seat = existing.get((person, _d(start)))
        if seat is None:
            seat = CommitteeMembership(
                committee=committee, person_name=person, start_date=_d(start), **values
            )
            seat.full_clean()
            seat.save()
            created["committee_memberships"] += 1
        elif seat.is_demo and any(getattr(seat, k) != v for k, v in values.items()):
            for field, value in values.items():
                setattr(seat, field, value)
            seat.full_clean()
            seat.save()
        result[person] = seat
    return result


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _meeting(committee, spec: dict, seats: dict, created: Counter) -> Meeting | None:
    day = _d(spec["date"])
    values = {
        "start_time": _time(spec["time"]),
        "end_time": _time(spec.get("end")),
        "place": spec.get("place", ""),
        "video_link": spec.get("video", ""),
        "minutes": spec.get("minutes", "") and f"{spec['minutes']}\n\n({FICTITIOUS}.)",
        "is_demo": True,
    }
    meeting = Meeting.objects.filter(committee=committee, date=day).first()
    if meeting is None:
        meeting = Meeting(committee=committee, date=day, **values)
        meeting.full_clean()
        meeting.save()
        created["meetings"] += 1
    elif not meeting.is_demo:
        return None
    elif any(getattr(meeting, k) != v for k, v in values.items()):
        for field, value in values.items():
            setattr(meeting, field, value)
        meeting.full_clean()
        meeting.save()
    _positioned(meeting, AgendaItem, "title", spec.get("agenda", []), "agenda_items", created)
    _positioned(meeting, Decision, "text", spec.get("decisions", []), "decisions", created)
    _attendance(meeting, seats, created)
    for description, owner, owner_name, due, status, closed in spec.get("actions", []):
        _action(
            meeting,
            description,
            seats.get(owner) if owner else None,
            owner_name,
            _d(due) if due else None,
            status,
            _d(closed) if closed else None,
            created,
        )
    return meeting


def _positioned(meeting, model, field: str, texts: list[str], key: str, created: Counter) -> None:
    existing = {row.position: row for row in model.objects.filter(meeting=meeting)}
    for position, text in enumerate(texts, start=1):
        row = existing.pop(position, None)
        if row is None:
            model.objects.create(meeting=meeting, position=position, **{field: text})
            created[key] += 1
        elif getattr(row, field) != text:
            setattr(row, field, text)
            row.save()
    model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


def _attendance(meeting: Meeting, seats: dict, created: Counter) -> None:
    """Past meetings: every seat active that day is present, but for a few excused or absent
    (a fixed pattern, the same on every run)."""
    if meeting.date > demo_today():
        return
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    # Every seat of the committee active that day (not only the latest of each person).
    active = sorted(
        (
            s
            for s in CommitteeMembership.objects.filter(committee_id=meeting.committee_id)
            if s.is_active_on(meeting.date)
        ),
        key=lambda s: s.person_name,
    )
    for i, seat in enumerate(active):
        turn = (i + meeting.date.toordinal()) % 9
        status = (
            AttendanceStatus.EXCUSED
            if turn == 4
            else AttendanceStatus.ABSENT
            if turn == 7
            else AttendanceStatus.PRESENT
        )
        row = existing.get(seat.pk)
        if row is None:
            row = Attendance(meeting=meeting, member=seat, status=status)
            row.full_clean(validate_constraints=False, validate_unique=False)
            row.save()
            created["attendance"] += 1
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])


def _action(meeting, description, owner, owner_name, due, status, closed, created) -> None:
    if closed is not None and closed > demo_today():
        status, closed = ActionStatus.OPEN, None  # not yet closed on the demo's day
    values = {
        "owner": owner,
        "owner_name": "" if owner else (owner_name or "Équipe de coordination"),
        "due_date": due,
        "status": status,
        "closed_on": closed,
        "is_demo": True,
    }
    item = ActionItem.objects.filter(meeting=meeting, description=description).first()
    if item is None:
        item = ActionItem(meeting=meeting, description=description, **values)
        item.full_clean()
        item.save()
        created["action_items"] += 1
    elif item.is_demo and any(getattr(item, k) != v for k, v in values.items()):
        for field, value in values.items():
            setattr(item, field, value)
        item.full_clean()
        item.save()


# --- the seven ÉLÉ -------------------------------------------------------------------------


def _ele_dates(team: LocalTeam, index: int) -> list[dt.date]:
    founded = team.founded_on or dt.date(2023, 2, 15)
    days = [founded]
    for value in ELE_MEETING_DAYS[1:]:
        # The ÉLÉ meet on different days of the same weeks.
        days.append(_d(value) + dt.timedelta(days=index % 3))
    return days


def _load_ele(team: LocalTeam, index: int, orgs: dict, users: dict, created: Counter) -> None:
    spec = next(e for e in ELE if e[0] == team.name)
    _name, organizer_username, organizer_name, worker_username, worker_name = spec
    chair, tenant_before, tenant_after, community_person, community_org, delegate = ELE_PEOPLE[
        ELE.index(spec)
    ]
    committee = _committee(
        team.name,
        CommitteeKind.LOCAL_TEAM,
        start=team.founded_on or dt.date(2023, 2, 15),
        end=None,
        mandate=(
            "Concertation locale du soutien communautaire en logement social et communautaire, "
            "mise sur pied en 2023 : locataires, organismes d'habitation, organismes "
            "communautaires et CISSS du territoire."
        ),
        objectives=(
            "- Concerter les acteurs locaux autour des besoins des locataires;\n"
            "- Soutenir les projets par et pour les locataires;\n"
            "- Faciliter l'accès des locataires aux services.\n"
            f"({FICTITIOUS} : formulation à remplacer par les trois grands objectifs des ÉLÉ; "
            "membres, rencontres et suivis inventés.)"
        ),
        local_team=team,
        created=created,
    )
    if committee is None:
        return
    start = committee.start_date.isoformat()
    provider = (
        HousingProvider.objects.filter(is_demo=True, municipality__local_teams=team)
        .order_by("name")
        .first()
    )
    association = (
        TenantAssociation.objects.filter(is_demo=True, provider__municipality__local_teams=team)
        .order_by("name")
        .first()
    )
    seats = [
        (organizer_name, C, CISSS, MemberRole.SECRETARY, start, None, organizer_username),
        (community_person, C, community_org, MemberRole.MEMBER, start, None, None),
        (tenant_before, T, None, MemberRole.MEMBER, start, "2025-06-30", None),
        (tenant_after, T, None, MemberRole.MEMBER, "2025-09-01", None, None),
        (worker_name, C, CISSS, MemberRole.MEMBER, "2024-01-15", None, worker_username),
    ]
    if provider is not None:
        seats.append((chair, H, provider.name, MemberRole.CHAIR, start, None, None))
    else:
        seats.append(
            (chair, C, "Office d'habitation du territoire", MemberRole.CHAIR, start, None, None)
        )
    if association is not None:
        seats.append((delegate, A, association.name, MemberRole.OBSERVER, "2024-03-01", None, None))
    by_person = _seats(committee, seats, orgs, users, created)
    owners = {
        "organizer": organizer_name,
        "chair": chair,
        "community": community_person,
        "worker": worker_name,
    }
    dates = _ele_dates(team, index)
    place = (
        f"Salle communautaire, {provider.name}" if provider is not None else "Salle communautaire"
    )
    for i, day in enumerate(dates):
        actions = []
        for at, description, role, due_days, outcome in ELE_ACTIONS:
            if at != i:
                continue
            owner = owners.get(role) or (
                tenant_before if day <= dt.date(2025, 6, 30) else tenant_after
            )
            due = day + dt.timedelta(days=due_days)
            next_day = dates[i + 1] if i + 1 < len(dates) else None
            status, closed = "open", None
            if outcome == "done_next" and next_day:
                status, closed = "done", next_day
            elif outcome == "alternate" and index % 2 == 0 and i + 3 < len(dates):
                status, closed = "done", dates[i + 3]  # carried over two meetings, then done
            elif outcome == "dropped_odd" and index % 2 == 1 and next_day:
                status, closed = "dropped", next_day
            elif outcome == "dropped_odd" and next_day:
                status, closed = "done", next_day
            actions.append(
                (description, owner, "", due.isoformat(), status, closed and closed.isoformat())
            )
        _meeting(
            committee,
            {
                "date": day.isoformat(),
                "time": "13:30" if index % 2 else "09:30",
                "end": "15:30" if index % 2 else "11:30",
                "place": place,
                "video": "https://visio.example/ele" if i == 3 else "",
                "agenda": ELE_AGENDAS[i],
                "minutes": ELE_MINUTES[i],
                "decisions": ELE_DECISIONS[i],
                "actions": actions,
            },
            by_person,
            created,
        )
