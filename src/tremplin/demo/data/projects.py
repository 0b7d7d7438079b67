"""Projects, activities, accompaniments and tenant associations of the demo (plain data).

What comes from seed 000 (« Exemples de réalisations en HLM » of Year 1, fiscal year
2008-04-01 → 2009-03-31): the kinds of projects (associations founded or consolidated, the
Enquête mobilisante started in 10 targeted sites, common spaces and leisure, health conferences
and workshops, referrals, courtesy visits in mental health, a barter room, a « Journée de
l'employabilité », the offices' part in their MRC's concertation) and the count of 28 housing
offices accompanied in Year 1. From seed 003: the three innovation labs since 2021 (Espace
Lafleur, Lab-Emploi, Projet CLIC). Everything else — which office, which building, dates,
people, participation, amounts — is invented (« Donnée fictive »).

Natural keys: project (title, start date); activity (project, date, title); accompaniment
(provider, organizer, start date); association (name, provider). Providers are named as in
``housing.PROVIDERS``; a site is (provider name, number of its buildings, first by address).
Activities of the « later » projects are spread by the loader from a fixed seed.
"""

FICTITIOUS = "Donnée fictive"
# Activities are never dated after this day (the demo's « today »).
DEMO_TODAY = "2026-11-23"

ORGANIZER = "organisateur"  # Grand Littoral, Montmagny-L'Islet
ORGANIZER_BEAUCE = "organisatrice-beauce"  # Beauce, Etchemins, région de Thetford


def omh(town: str) -> str:
    prefix = "d'" if town[0] in "AEIOUÉ" else "de "
    return f"Office municipal d'habitation {prefix}{town}"


OH_LOTBINIERE = "Office d'habitation de Lotbinière"
OH_NOUVELLE_BEAUCE = "Office d'habitation de la Nouvelle-Beauce"
OH_ETCHEMINS = "Office d'habitation des Etchemins"

# --- tenant associations (founded or consolidated in Year 1) -------------------------------

ASSOCIATIONS = [
    {
        "name": "Association des locataires des Habitations du Plateau",
        "provider": omh("Lévis"),
        "buildings": 2,
        "founded_on": "2008-10-21",
        "status": "active",
        "members": 34,
        "board": [
            ("Ginette Lachance", "Présidente"),
            ("Roger Bilodeau", "Vice-président"),
            ("Lise Carrier", "Secrétaire"),
            ("Normand Lemieux", "Trésorier"),
        ],
    },
    {
        "name": "Association des locataires de l'OMH de Montmagny",
        "provider": omh("Montmagny"),
        "buildings": 3,
        "founded_on": "2008-11-12",
        "status": "active",
        "members": 27,
        "board": [
            ("Jeannine Morin", "Présidente"),
            ("Gaston Bélanger", "Trésorier"),
            ("Hélène Gamache", "Secrétaire"),
        ],
    },
    {
        "name": "Association des locataires HLM de Saint-Georges",
        "provider": omh("Saint-Georges"),
        "buildings": 4,
        "founded_on": "2009-02-03",
        "status": "active",
        "members": 41,
        "board": [
            ("Réjean Poulin", "Président"),
            ("Carole Veilleux", "Vice-présidente"),
            ("Denise Roy", "Secrétaire-trésorière"),
        ],
    },
    {
        "name": "Comité des résidents des HLM de Thetford Mines",
        "provider": omh("Thetford Mines"),
        "buildings": 3,
        "founded_on": "2009-03-10",
        "status": "active",
        "members": 22,
        "board": [
            ("Monique Grenier", "Présidente"),
            ("André Lessard", "Secrétaire"),
            ("Yvon Fortin", "Trésorier"),
        ],
    },
    {
        "name": "Association des locataires de Beauceville",
        "provider": omh("Beauceville"),
        "buildings": 2,
        "founded_on": "2008-12-02",
        "status": "inactive",
        "members": 12,
        "board": [
            ("Thérèse Giguère", "Présidente"),
            ("Marcel Doyon", "Trésorier"),
        ],
    },
]

# --- accompaniments ------------------------------------------------------------------------
# (provider, organizer, start, end, themes, association name or None, monthly hours cycle).
# Year 1: 28 distinct offices, four of them accompanied twice (distinct count: 28, not 32).

_Y1 = [
    # Grand Littoral, Montmagny-L'Islet
    (omh("Lévis"), ORGANIZER, "2008-05-05", "2009-03-31", ["association", "participation"]),
    (omh("Lévis"), ORGANIZER, "2008-11-17", "2009-06-30", ["quality_of_life", "services"]),
    (omh("Saint-Anselme"), ORGANIZER, "2008-09-15", "2009-03-31", ["participation"]),
    (omh("Saint-Henri"), ORGANIZER, "2008-10-06", "2009-02-27", ["common_spaces"]),
    (
        omh("Saint-Charles-de-Bellechasse"),
        ORGANIZER,
        "2008-10-14",
        "2009-03-31",
        ["mrc_concertation"],
    ),
    (omh("Saint-Damien-de-Buckland"), ORGANIZER, "2008-11-03", "2009-03-31", ["mrc_concertation"]),
    (omh("Sainte-Claire"), ORGANIZER, "2009-01-12", "2009-05-29", ["quality_of_life"]),
    (OH_LOTBINIERE, ORGANIZER, "2008-09-08", "2009-06-30", ["participation", "services"]),
    (omh("Saint-Apollinaire"), ORGANIZER, "2008-11-24", "2009-03-31", ["common_spaces"]),
    (omh("Laurier-Station"), ORGANIZER, "2009-02-02", "2009-04-30", ["cohabitation"]),
    (omh("Sainte-Croix"), ORGANIZER, "2008-10-20", "2009-01-30", ["services"]),
    (omh("Montmagny"), ORGANIZER, "2008-06-02", "2008-12-19", ["association"]),
    (omh("Montmagny"), ORGANIZER, "2009-01-19", "2009-06-30", ["quality_of_life", "services"]),
    (omh("Cap-Saint-Ignace"), ORGANIZER, "2008-10-27", "2009-03-31", ["common_spaces"]),
    (omh("L'Islet"), ORGANIZER, "2008-11-10", "2009-03-31", ["participation"]),
    (omh("Saint-Jean-Port-Joli"), ORGANIZER, "2008-09-22", "2009-03-31", ["quality_of_life"]),
    # Beauce, Etchemins, région de Thetford
    (OH_NOUVELLE_BEAUCE, ORGANIZER_BEAUCE, "2008-09-08", "2009-06-30", ["participation"]),
    (omh("Saint-Isidore"), ORGANIZER_BEAUCE, "2008-10-14", "2009-03-31", ["common_spaces"]),
    (omh("Beauceville"), ORGANIZER_BEAUCE, "2008-09-29", "2009-03-31", ["association", "services"]),
    (
        omh("Saint-Joseph-de-Beauce"),
        ORGANIZER_BEAUCE,
        "2008-11-03",
        "2009-03-31",
        ["quality_of_life"],
    ),
    (omh("Saint-Georges"), ORGANIZER_BEAUCE, "2008-05-12", "2008-12-19", ["quality_of_life"]),
    (omh("Saint-Georges"), ORGANIZER_BEAUCE, "2009-01-12", "2009-09-30", ["association"]),
    (omh("Saint-Martin"), ORGANIZER_BEAUCE, "2008-11-17", "2009-03-31", ["mrc_concertation"]),
    (omh("La Guadeloupe"), ORGANIZER_BEAUCE, "2008-12-01", "2009-03-31", ["participation"]),
    (omh("Saint-Éphrem-de-Beauce"), ORGANIZER_BEAUCE, "2009-01-19", "2009-03-31", ["services"]),
    (OH_ETCHEMINS, ORGANIZER_BEAUCE, "2008-09-15", "2009-06-30", ["mrc_concertation"]),
    (omh("Saint-Prosper"), ORGANIZER_BEAUCE, "2008-10-20", "2009-03-31", ["common_spaces"]),
    (omh("Sainte-Justine"), ORGANIZER_BEAUCE, "2008-11-24", "2009-03-31", ["cohabitation"]),
    (omh("Thetford Mines"), ORGANIZER_BEAUCE, "2008-06-09", "2008-11-28", ["services"]),
    (omh("Thetford Mines"), ORGANIZER_BEAUCE, "2009-01-26", "2009-06-30", ["association"]),
    (omh("Disraeli"), ORGANIZER_BEAUCE, "2008-10-06", "2009-03-31", ["quality_of_life"]),
    (omh("East Broughton"), ORGANIZER_BEAUCE, "2009-02-09", "2009-03-31", ["participation"]),
]

# Later accompaniments: all start after Year 1 (2009-04-01 or later).
_LATER = [
    (omh("Armagh"), ORGANIZER, "2010-09-13", "2011-03-31", ["common_spaces"]),
    (omh("Saint-Raphaël"), ORGANIZER, "2012-01-16", "2012-12-14", ["participation"]),
    (omh("Berthier-sur-Mer"), ORGANIZER, "2014-04-07", "2015-03-31", ["quality_of_life"]),
    ("Coopérative d'habitation Les Jardins du Fleuve", ORGANIZER, "2018-09-10", "2019-06-28", ["cohabitation"]),
    ("Résidence Le Havre du Quai", ORGANIZER, "2022-02-07", "2023-03-31", ["services"]),
    (omh("Lévis"), ORGANIZER, "2023-04-03", None, ["participation", "services"]),
    (omh("Saint-Pamphile"), ORGANIZER, "2025-09-08", None, ["quality_of_life"]),
    (omh("Scott"), ORGANIZER_BEAUCE, "2011-10-03", "2012-06-29", ["common_spaces"]),
    (omh("Adstock"), ORGANIZER_BEAUCE, "2013-09-16", "2014-05-30", ["participation"]),
    ("Coopérative d'habitation L'Entraide beauceronne", ORGANIZER_BEAUCE, "2019-01-14", "2019-12-13", ["cohabitation"]),
    ("Habitations L'Envolée jeunesse", ORGANIZER_BEAUCE, "2021-09-07", None, ["services", "participation"]),
    (omh("Saint-Georges"), ORGANIZER_BEAUCE, "2024-01-15", None, ["association"]),
    ("Maison des aînés des Etchemins", ORGANIZER_BEAUCE, "2026-03-02", None, ["quality_of_life"]),
]  # fmt: skip

_ASSOCIATION_OF = {a["provider"]: a["name"] for a in ASSOCIATIONS}
_HOURS = [["6", "4.5", "8", "3"], ["2.5", "5", "3.5"], ["10", "7.5", "6", "9"]]

ACCOMPANIMENTS = [
    {
        "provider": provider,
        "organizer": organizer,
        "start": start,
        "end": end,
        "themes": themes,
        "association": _ASSOCIATION_OF.get(provider) if "association" in themes else None,
        "hours": _HOURS[i % len(_HOURS)],
        "note": f"{FICTITIOUS} : rencontres avec la direction et des locataires.",
    }
    for i, (provider, organizer, start, end, themes) in enumerate(_Y1 + _LATER)
]

# --- funding (commitments of the 2008–2011 agreement: (partner, purpose)) ------------------

EMPLOI_QUEBEC = ("Emploi-Québec", "Enquête mobilisante")
FORUM_JEUNESSE = ("Forum jeunesse régional", "Impact pour les 12-35 ans")
TABLE_AINES = ("Table de concertation des aînés", "Impact pour les aînés")
AGENCE_CAS = (
    "Agence de la santé et des services sociaux de Chaudière-Appalaches",
    "Ensemble du projet et projets en HLM (*CAS)",
)
CRE = ("Conférence régionale des élus", "Ensemble du projet et concertation régionale")

# --- Year-1 projects (seed 000) -------------------------------------------------------------
# Activities: (date, title, participants, tenants).

ENQUETE_SITES = [
    omh("Lévis"),
    omh("Saint-Anselme"),
    OH_LOTBINIERE,
    omh("Montmagny"),
    omh("Saint-Jean-Port-Joli"),
    OH_NOUVELLE_BEAUCE,
    omh("Saint-Georges"),
    OH_ETCHEMINS,
    omh("Thetford Mines"),
    omh("Beauceville"),
]

YEAR1_PROJECTS = [
    {
        "title": "Enquête mobilisante",
        "kind": "other",
        "scope": "regional",
        "status": "completed",
        "start": "2009-01-19",
        "end": "2010-06-30",
        "organizer": ORGANIZER,
        "summary": (
            "Stratégie de mobilisation des résidents d'HLM financée par Emploi-Québec, démarrée "
            "dans 10 milieux ciblés. Donnée fictive : le choix des immeubles, les dates et la "
            "participation sont inventés."
        ),
        "sites": [(name, 1) for name in ENQUETE_SITES],
        "determinants": ["inclusion-sociale", "preemployabilite"],
        "groups": ["aines", "familles", "personnes-seules"],
        "all_tenants": True,
        "partners": [("Emploi-Québec", "Financement de l'Enquête mobilisante")],
        "funding": [(EMPLOI_QUEBEC, "20000")],
        "activities": [
            ("2009-01-27", "Lancement de l'enquête – Lévis", 24, 21),
            ("2009-02-03", "Lancement de l'enquête – Saint-Anselme", 11, 10),
            ("2009-02-10", "Lancement de l'enquête – Lotbinière", 14, 13),
            ("2009-02-17", "Lancement de l'enquête – Montmagny", 19, 17),
            ("2009-02-24", "Lancement de l'enquête – Saint-Jean-Port-Joli", 9, 9),
            ("2009-03-03", "Lancement de l'enquête – Nouvelle-Beauce", 16, 14),
            ("2009-03-05", "Lancement de l'enquête – Saint-Georges", 22, 20),
            ("2009-03-10", "Lancement de l'enquête – Etchemins", 12, 11),
            ("2009-03-17", "Lancement de l'enquête – Thetford Mines", 18, 16),
            ("2009-03-24", "Lancement de l'enquête – Beauceville", 10, 9),
            ("2009-10-15", "Retour des résultats aux locataires", 64, 57),
            ("2010-05-20", "Bilan régional de l'enquête", 38, 22),
        ],
    },
    {
        "title": "Aménagement de la salle communautaire de la Villa des Bouleaux",
        "kind": "common_spaces",
        "status": "completed",
        "start": "2008-09-15",
        "end": "2009-03-27",
        "organizer": ORGANIZER,
        "summary": (
            "Les locataires réaménagent la salle commune (mobilier, coin lecture). Donnée fictive."
        ),
        "sites": [(omh("Lévis"), 1)],
        "determinants": ["inclusion-sociale"],
        "groups": ["aines"],
        "initiated_by_tenants": True,
        "tenants_on_committee": 5,
        "funding": [(AGENCE_CAS, "4000")],
        "activities": [
            ("2008-09-23", "Comité d'aménagement", 7, 6),
            ("2008-11-04", "Corvée de peinture", 15, 12),
            ("2009-03-27", "Inauguration de la salle", 48, 41),
        ],
    },
    {
        "title": "Après-midi de loisirs et sorties estivales",
        "kind": "leisure",
        "status": "completed",
        "start": "2008-06-02",
        "end": "2008-09-26",
        "organizer": ORGANIZER_BEAUCE,
        "summary": "Jeux, pétanque et deux sorties en autobus. Donnée fictive.",
        "sites": [(omh("Saint-Georges"), 3)],
        "determinants": ["inclusion-sociale"],
        "groups": ["aines", "personnes-seules"],
        "activities": [
            ("2008-06-18", "Tournoi de pétanque", 26, 24),
            ("2008-07-16", "Sortie au parc des Sept-Chutes", 31, 28),
            ("2008-08-20", "Épluchette de blé d'Inde", 54, 45),
        ],
    },
    {
        "title": "Conférences de prévention des chutes",
        "kind": "health",
        "status": "completed",
        "start": "2008-10-01",
        "end": "2009-03-31",
        "organizer": ORGANIZER,
        "summary": "Conférences et ateliers de prévention offerts aux aînés. Donnée fictive.",
        "sites": [(omh("Montmagny"), 2), (omh("Cap-Saint-Ignace"), 1)],
        "determinants": ["acces-services", "education"],
        "groups": ["aines"],
        "partners": [("CSSS de Montmagny-L'Islet", "Infirmière conférencière")],
        "funding": [(TABLE_AINES, "500")],
        "activities": [
            ("2008-10-22", "Conférence « Chez moi en sécurité »", 28, 26),
            ("2008-12-03", "Atelier d'exercices d'équilibre", 14, 14),
            ("2009-02-11", "Atelier d'exercices d'équilibre", 16, 15),
        ],
    },
    {
        "title": "Ateliers « Bien manger à petit prix »",
        "kind": "health",
        "status": "completed",
        "start": "2008-11-01",
        "end": "2009-04-30",
        "organizer": ORGANIZER_BEAUCE,
        "summary": "Ateliers de promotion de la santé et de cuisine économique. Donnée fictive.",
        "sites": [(omh("Thetford Mines"), 2)],
        "determinants": ["securite-alimentaire", "education"],
        "groups": ["familles", "personnes-seules"],
        "partners": [("CSSS de la région de Thetford", "Nutritionniste")],
        "activities": [
            ("2008-11-19", "Atelier : planifier son épicerie", 12, 11),
            ("2009-01-21", "Atelier : cuisiner les légumineuses", 10, 10),
            ("2009-03-18", "Atelier : les repas en lot", 13, 12),
        ],
    },
    {
        "title": "Référence vers les ressources du milieu",
        "kind": "referral",
        "status": "completed",
        "start": "2008-09-01",
        "end": "2009-03-31",
        "organizer": ORGANIZER_BEAUCE,
        "summary": "Kiosques d'information et référence de personnes vers les ressources. "
        "Donnée fictive.",
        "sites": [(omh("Beauceville"), 2), (omh("Saint-Joseph-de-Beauce"), 1)],
        "determinants": ["acces-services"],
        "groups": ["aines", "familles"],
        "activities": [
            ("2008-10-08", "Kiosque des ressources communautaires", 21, 19),
            ("2009-02-04", "Kiosque sur l'impôt et les crédits", 17, 16),
        ],
    },
    {
        "title": "Visites de courtoisie en santé mentale",
        "kind": "courtesy",
        "status": "completed",
        "start": "2008-10-01",
        "end": "2009-09-30",
        "organizer": ORGANIZER,
        "summary": (
            "Des bénévoles visitent des personnes ayant ou ayant eu des problèmes de santé "
            "mentale. Donnée fictive ; aucun nom de locataire n'est inscrit ici."
        ),
        "sites": [(omh("Lévis"), 3)],
        "determinants": ["inclusion-sociale", "acces-services"],
        "groups": ["personnes-seules"],
        "partners": [("CSSS du Grand Littoral", "Formation des bénévoles")],
        "activities": [
            ("2008-10-15", "Formation des bénévoles visiteurs", 8, 5),
            ("2009-01-14", "Bilan des visites de l'automne", 9, 6),
            ("2009-06-10", "Bilan des visites du printemps", 10, 6),
        ],
    },
    {
        "title": "Local de troc",
        "kind": "barter",
        "status": "completed",
        "start": "2009-01-05",
        "end": "2011-06-30",
        "organizer": ORGANIZER,
        "summary": "Ouverture d'un local de troc de vêtements et d'objets. Donnée fictive.",
        "sites": [(omh("Saint-Jean-Port-Joli"), 1)],
        "determinants": ["securite-alimentaire", "inclusion-sociale"],
        "groups": ["familles", "personnes-seules"],
        "initiated_by_tenants": True,
        "tenants_on_committee": 4,
        "activities": [
            ("2009-03-14", "Ouverture du local de troc", 35, 27),
            ("2009-10-17", "Grand troc d'automne", 42, 30),
            ("2010-10-16", "Grand troc d'automne", 39, 28),
        ],
    },
    {
        "title": "Journée de l'employabilité",
        "kind": "employability",
        "status": "completed",
        "start": "2009-01-15",
        "end": "2009-03-20",
        "organizer": ORGANIZER_BEAUCE,
        "summary": "Une journée pour rencontrer les ressources d'emploi et de formation. "
        "Donnée fictive.",
        "sites": [(OH_NOUVELLE_BEAUCE, 2)],
        "determinants": ["preemployabilite", "education"],
        "groups": ["jeunes", "familles"],
        "partners": [
            ("Emploi-Québec", "Kiosque et conseillers"),
            ("Commission scolaire de la Beauce-Etchemin", "Formation des adultes"),
        ],
        "funding": [(FORUM_JEUNESSE, "3500")],
        "activities": [
            ("2009-02-05", "Comité organisateur", 6, 3),
            ("2009-03-20", "Journée de l'employabilité", 57, 44),
        ],
    },
    {
        "title": "Concertation sur le logement social dans la MRC de Bellechasse",
        "kind": "concertation",
        "status": "completed",
        "start": "2008-10-14",
        "end": "2009-05-29",
        "organizer": ORGANIZER,
        "summary": "Les OMH participent à la concertation sur les défis et besoins en logement "
        "social de leur MRC. Donnée fictive.",
        "sites": [
            (omh("Saint-Charles-de-Bellechasse"), 0),
            (omh("Saint-Damien-de-Buckland"), 0),
            (omh("Sainte-Claire"), 0),
        ],
        "determinants": ["acces-services"],
        "groups": ["aines", "familles"],
        "activities": [
            ("2008-11-26", "Rencontre de concertation de la MRC", 14, 2),
            ("2009-03-25", "Rencontre de concertation de la MRC", 16, 3),
        ],
    },
    {
        "title": "Concertation sur le logement social dans la MRC des Etchemins",
        "kind": "concertation",
        "status": "completed",
        "start": "2008-09-15",
        "end": "2009-06-30",
        "organizer": ORGANIZER_BEAUCE,
        "summary": "Les offices participent à la concertation sur le logement social de leur "
        "MRC. Donnée fictive.",
        "sites": [(OH_ETCHEMINS, 0), (omh("Saint-Prosper"), 0), (omh("Sainte-Justine"), 0)],
        "determinants": ["acces-services"],
        "groups": ["aines"],
        "activities": [
            ("2008-12-10", "Rencontre de concertation de la MRC", 12, 2),
            ("2009-04-22", "Rencontre de concertation de la MRC", 11, 2),
        ],
    },
]

# One project per association: its founding (or consolidation) in Year 1.
YEAR1_PROJECTS += [
    {
        "title": f"Mise sur pied : {a['name']}",
        "kind": "association",
        "status": "completed",
        "start": a["founded_on"][:8] + "01",
        "end": "2009-06-30",
        "organizer": ORGANIZER if a["provider"] in (omh("Lévis"), omh("Montmagny")) else ORGANIZER_BEAUCE,
        "summary": f"Soutien à la fondation de l'association. Donnée fictive : {a['members']} "
        "membres, conseil d'administration inventé.",
        "sites": [(a["provider"], a["buildings"])],
        "determinants": ["inclusion-sociale"],
        "groups": ["aines", "familles"],
        "initiated_by_tenants": True,
        "tenants_on_committee": len(a["board"]),
        "activities": [
            (a["founded_on"], "Assemblée de fondation", a["members"] + 3, a["members"]),
            ("2009-05-" + ("1" + a["founded_on"][9]), "Assemblée générale", a["members"], a["members"] - 2),
        ],
    }
    for a in ASSOCIATIONS
]  # fmt: skip

# --- the three innovation labs (seed 003: since 2021) ---------------------------------------

LABS = [
    {
        "title": "Espace Lafleur",
        "kind": "lab",
        "scope": "local",
        "status": "under_way",
        "start": "2021-04-12",
        "end": None,
        "organizer": ORGANIZER,
        "summary": "Laboratoire d'innovation : un milieu de vie partagé par et pour les "
        "locataires. Donnée fictive : le lieu, les dates et la participation sont inventés.",
        "sites": [(omh("Lévis"), 2)],
        "determinants": ["inclusion-sociale", "securite-alimentaire"],
        "groups": ["aines", "familles", "personnes-seules"],
        "initiated_by_tenants": True,
        "tenants_on_committee": 6,
        "partners": [("Société d'habitation du Québec", "Partenaire du laboratoire")],
        "sessions": 14,
    },
    {
        "title": "Lab-Emploi",
        "kind": "lab",
        "scope": "regional",
        "status": "under_way",
        "start": "2021-09-07",
        "end": None,
        "organizer": ORGANIZER_BEAUCE,
        "summary": "Laboratoire d'innovation sur la préemployabilité des locataires. "
        "Donnée fictive : les activités et la participation sont inventées.",
        "sites": [(omh("Saint-Georges"), 1), (omh("Thetford Mines"), 1), (omh("Lévis"), 1)],
        "determinants": ["preemployabilite", "education"],
        "groups": ["jeunes", "familles"],
        "partners": [("Emploi-Québec", "Conseillers en emploi")],
        "sessions": 16,
    },
    {
        "title": "Projet CLIC",
        "kind": "lab",
        "scope": "regional",
        "status": "under_way",
        "start": "2021-11-01",
        "end": None,
        "organizer": ORGANIZER,
        "summary": "Laboratoire d'innovation sur l'accès aux services et au numérique. "
        "Donnée fictive.",
        "sites": [(omh("Montmagny"), 1), (OH_NOUVELLE_BEAUCE, 1), (OH_LOTBINIERE, 1)],
        "determinants": ["acces-services", "education"],
        "groups": ["aines", "personnes-seules"],
        "sessions": 12,
    },
]

# --- later projects (2009–2026) -------------------------------------------------------------
# (title, kind, status, start, end, organizer, sites, determinants, groups, sessions)

_D = "Donnée fictive : projet, dates et participation inventés."
_LATER_PROJECTS = [
    ("Jardin communautaire des Habitations du Village", "food", "completed", "2009-05-01", "2009-10-15", ORGANIZER, [(omh("Lévis"), 1)], ["securite-alimentaire"], ["personnes-seules"], 5),
    ("Cuisines collectives", "food", "completed", "2009-09-14", "2011-06-17", ORGANIZER_BEAUCE, [(omh("Beauceville"), 1)], ["securite-alimentaire", "education"], ["familles"], 8),
    ("Fête des voisins", "leisure", "completed", "2010-05-03", "2010-06-12", ORGANIZER, [(omh("Saint-Anselme"), 2)], ["inclusion-sociale"], ["aines", "familles"], 2),
    ("Formation des administrateurs d'associations", "training", "completed", "2010-09-13", "2011-04-29", ORGANIZER_BEAUCE, [(OH_ETCHEMINS, 1), (omh("Saint-Prosper"), 1)], ["education"], ["aines"], 4),
    ("Aménagement d'une aire de jeux", "common_spaces", "completed", "2011-04-04", "2011-09-30", ORGANIZER, [(omh("Lévis"), 1)], ["inclusion-sociale"], ["familles"], 4),
    ("Aide aux devoirs", "training", "completed", "2011-09-06", "2014-06-20", ORGANIZER, [(omh("Montmagny"), 1)], ["education"], ["jeunes", "familles"], 10),
    ("Comptoir de dépannage alimentaire", "food", "completed", "2012-01-09", "2015-12-18", ORGANIZER_BEAUCE, [(omh("Saint-Georges"), 2)], ["securite-alimentaire"], ["familles", "personnes-seules"], 10),
    ("Café-rencontre des aînés", "leisure", "completed", "2012-09-10", "2016-06-17", ORGANIZER_BEAUCE, [(omh("Thetford Mines"), 1)], ["inclusion-sociale"], ["aines"], 10),
    ("Ateliers de préemployabilité pour les jeunes", "employability", "completed", "2013-01-14", "2013-06-14", ORGANIZER, [(OH_LOTBINIERE, 2)], ["preemployabilite"], ["jeunes"], 6),
    ("Clinique d'impôts", "referral", "completed", "2013-03-04", "2013-04-30", ORGANIZER, [(omh("Saint-Jean-Port-Joli"), 1), (omh("L'Islet"), 1)], ["acces-services"], ["aines", "personnes-seules"], 3),
    ("Rénovation de la salle commune", "common_spaces", "completed", "2014-04-07", "2014-11-28", ORGANIZER_BEAUCE, [(omh("Saint-Isidore"), 1)], ["inclusion-sociale"], ["aines"], 4),
    ("Vivre ensemble dans la diversité", "leisure", "completed", "2015-01-12", "2015-12-11", ORGANIZER, [(omh("Lévis"), 2)], ["inclusion-sociale"], ["familles", "personnes-seules"], 6),
    ("Conférences sur la santé mentale", "health", "completed", "2015-09-14", "2016-03-31", ORGANIZER_BEAUCE, [(omh("Disraeli"), 1), (omh("Thetford Mines"), 1)], ["acces-services", "education"], ["personnes-seules"], 4),
    ("Marché de quartier", "food", "completed", "2016-06-06", "2018-10-12", ORGANIZER, [(omh("Montmagny"), 1)], ["securite-alimentaire"], ["familles", "aines"], 9),
    ("Bibliothèque partagée", "leisure", "completed", "2017-02-06", "2017-12-15", ORGANIZER_BEAUCE, [(OH_NOUVELLE_BEAUCE, 1)], ["education", "inclusion-sociale"], ["aines"], 4),
    ("Initiation à l'informatique", "training", "completed", "2017-09-11", "2018-05-25", ORGANIZER, [(omh("Saint-Henri"), 1), (omh("Sainte-Claire"), 1)], ["education", "acces-services"], ["aines"], 6),
    ("Potager collectif en bacs", "food", "completed", "2018-05-07", "2019-10-11", ORGANIZER_BEAUCE, [(omh("Saint-Joseph-de-Beauce"), 1)], ["securite-alimentaire"], ["aines", "familles"], 6),
    ("Comité de bon voisinage", "association", "completed", "2018-09-17", "2020-03-13", ORGANIZER, [("Coopérative d'habitation Les Jardins du Fleuve", 1)], ["inclusion-sociale"], ["familles"], 6),
    ("Appels d'amitié pendant la pandémie", "courtesy", "completed", "2020-03-23", "2021-06-30", ORGANIZER_BEAUCE, [(omh("Saint-Georges"), 3), (omh("Beauceville"), 1)], ["inclusion-sociale", "acces-services"], ["aines", "personnes-seules"], 8),
    ("Paniers de Noël solidaires", "food", "completed", "2020-11-02", "2020-12-23", ORGANIZER, [(omh("Lévis"), 3)], ["securite-alimentaire"], ["familles"], 3),
    ("Ateliers de cuisine intergénérationnels", "food", "completed", "2022-01-17", "2022-06-17", ORGANIZER_BEAUCE, [("Habitations L'Envolée jeunesse", 1)], ["securite-alimentaire", "education"], ["jeunes", "aines"], 5),
    ("Club de marche", "health", "completed", "2022-05-02", "2023-10-27", ORGANIZER, [(omh("Montmagny"), 2)], ["inclusion-sociale"], ["aines"], 8),
    ("Halte-garderie des parents", "other", "completed", "2023-01-09", "2024-06-21", ORGANIZER, [(omh("Lévis"), 1)], ["preemployabilite", "inclusion-sociale"], ["familles"], 8),
    ("Mieux-être en HLM", "health", "completed", "2023-09-11", "2024-05-31", ORGANIZER_BEAUCE, [(OH_ETCHEMINS, 2)], ["acces-services"], ["aines", "personnes-seules"], 6),
    ("Frigo-partage", "food", "under_way", "2024-03-04", None, ORGANIZER_BEAUCE, [(omh("Saint-Georges"), 1)], ["securite-alimentaire"], ["familles", "personnes-seules"], 10),
    ("Comité des locataires de la Résidence Le Havre du Quai", "association", "under_way", "2024-09-09", None, ORGANIZER, [("Résidence Le Havre du Quai", 2)], ["inclusion-sociale"], ["aines"], 7),
    ("Tournée d'information sur les services de proximité", "referral", "under_way", "2025-04-07", None, ORGANIZER, [(omh("L'Islet"), 1), (omh("Saint-Pamphile"), 1)], ["acces-services"], ["aines"], 5),
    ("Coin de lecture pour les enfants", "common_spaces", "under_way", "2025-09-02", None, ORGANIZER_BEAUCE, [(omh("Thetford Mines"), 1)], ["education"], ["familles"], 4),
    ("Atelier de réparation de vélos", "leisure", "preparation", "2026-09-14", None, ORGANIZER, [(OH_LOTBINIERE, 1)], ["inclusion-sociale"], ["jeunes"], 0),
    ("Serre quatre saisons", "food", "idea", None, None, ORGANIZER_BEAUCE, [(OH_NOUVELLE_BEAUCE, 1)], ["securite-alimentaire"], ["familles"], 0),
    ("Friperie solidaire", "barter", "abandoned", "2019-09-09", "2019-11-29", ORGANIZER, [(omh("Cap-Saint-Ignace"), 1)], ["securite-alimentaire"], ["familles"], 0),
    ("Ligue de quilles", "leisure", "abandoned", "2016-01-11", "2016-02-26", ORGANIZER_BEAUCE, [(omh("Saint-Martin"), 1)], ["inclusion-sociale"], ["aines"], 0),
]  # fmt: skip

LATER_PROJECTS = [
    {
        "title": title,
        "kind": kind,
        "status": status,
        "start": start,
        "end": end,
        "organizer": organizer,
        "summary": _D,
        "sites": sites,
        "determinants": determinants,
        "groups": groups,
        "sessions": sessions,
    }
    for (
        title,
        kind,
        status,
        start,
        end,
        organizer,
        sites,
        determinants,
        groups,
        sessions,
    ) in _LATER_PROJECTS
]
# A few links to partners and funding on the later projects of the 2008–2011 agreement.
LATER_PROJECTS[1]["funding"] = [(CRE, "2500")]
LATER_PROJECTS[3]["partners"] = [("Commission scolaire de la Beauce-Etchemin", "Formatrice")]
LATER_PROJECTS[3]["funding"] = [(AGENCE_CAS, "1500")]
LATER_PROJECTS[5]["partners"] = [("Commission scolaire de la Côte-du-Sud", "Enseignante")]

PROJECTS = YEAR1_PROJECTS + LABS + LATER_PROJECTS

# Titles of generated sessions, by kind.
SESSION_TITLES = {
    "lab": ["Rencontre du laboratoire", "Atelier de cocréation", "Comité de locataires"],
    "food": ["Atelier de cuisine", "Distribution", "Rencontre du comité"],
    "leisure": ["Activité de loisirs", "Sortie", "Fête"],
    "training": ["Atelier", "Séance de formation"],
    "health": ["Conférence", "Atelier de santé"],
    "employability": ["Atelier de préemployabilité", "Visite d'entreprise"],
    "common_spaces": ["Comité d'aménagement", "Corvée", "Inauguration"],
    "association": ["Réunion du comité", "Assemblée"],
    "referral": ["Kiosque d'information", "Séance d'information"],
    "courtesy": ["Bilan des appels", "Formation des bénévoles"],
    "other": ["Rencontre", "Activité"],
    "barter": ["Ouverture du local"],
    "concertation": ["Rencontre de concertation"],
}
