"""Partners, agreements and funding of the demo, as plain data (no Django import here).

The 2008–2011 agreement and its funding table are real: they are transcribed from seed 000
(« Faits saillants de l'An 1 », section « Financement 2008-2011 »), line by line and in the
same order. Partner names are those of the funding table; the table spells the Agence once
without « des » (« Agence de la santé et services sociaux… »), a typo: both lines are the
same partner. The disbursements and the whole 2011–2016 agreement are invented (fictitious).

Amounts are strings (exact decimals); the loader turns them into ``Decimal``. No total is
written here: the funding table computes them from the lines.
"""

# --- partners ------------------------------------------------------------------------------
# Natural key: ``name``. ``parent`` names another partner of this list (declared before it).

AGENCE = "Agence de la santé et des services sociaux de Chaudière-Appalaches"
SHQ = "Société d'habitation du Québec"
CRE = "Conférence régionale des élus"
MAMROT = "Ministère des Affaires municipales, des Régions et de l'Occupation du territoire"
MESS = "Ministère de l'Emploi et de la Solidarité sociale"
EMPLOI_QUEBEC = "Emploi-Québec"
FORUM_JEUNESSE = "Forum jeunesse régional"
TABLE_AINES = "Table de concertation des aînés"
CSSS_BEAUCE = "CSSS de Beauce"
CSSS_THETFORD = "CSSS de la région de Thetford"
CSSS_ETCHEMINS = "CSSS des Etchemins"
CSSS_GRAND_LITTORAL = "CSSS du Grand Littoral"
CSSS_MONTMAGNY = "CSSS de Montmagny-L'Islet"
SCHOOL_BOARDS = "Commissions scolaires (4)"
CS_NAVIGATEURS = "Commission scolaire des Navigateurs"
CS_COTE_DU_SUD = "Commission scolaire de la Côte-du-Sud"
CS_BEAUCE_ETCHEMIN = "Commission scolaire de la Beauce-Etchemin"
CS_APPALACHES = "Commission scolaire des Appalaches"

PARTNERS = [
    {"name": MAMROT, "short_name": "MAMROT", "kind": "ministry", "parent": None},
    {"name": MESS, "short_name": "MESS", "kind": "ministry", "parent": None},
    {"name": EMPLOI_QUEBEC, "short_name": "", "kind": "gov_agency", "parent": MESS},
    {"name": CRE, "short_name": "CRÉ", "kind": "cre", "parent": None},
    {"name": SHQ, "short_name": "SHQ", "kind": "gov_agency", "parent": None},
    {"name": AGENCE, "short_name": "Agence", "kind": "health_agency", "parent": None},
    {"name": CSSS_BEAUCE, "short_name": "", "kind": "local_health", "parent": AGENCE},
    {"name": CSSS_THETFORD, "short_name": "", "kind": "local_health", "parent": AGENCE},
    {"name": CSSS_ETCHEMINS, "short_name": "", "kind": "local_health", "parent": AGENCE},
    {"name": CSSS_GRAND_LITTORAL, "short_name": "", "kind": "local_health", "parent": AGENCE},
    {"name": CSSS_MONTMAGNY, "short_name": "", "kind": "local_health", "parent": AGENCE},
    {"name": FORUM_JEUNESSE, "short_name": "FJR", "kind": "youth_forum", "parent": None},
    {"name": TABLE_AINES, "short_name": "", "kind": "seniors_table", "parent": None},
    # A grouping: party to the agreement through its four members.
    {"name": SCHOOL_BOARDS, "short_name": "", "kind": "school", "parent": None},
    {"name": CS_NAVIGATEURS, "short_name": "", "kind": "school", "parent": SCHOOL_BOARDS},
    {"name": CS_COTE_DU_SUD, "short_name": "", "kind": "school", "parent": SCHOOL_BOARDS},
    {"name": CS_BEAUCE_ETCHEMIN, "short_name": "", "kind": "school", "parent": SCHOOL_BOARDS},
    {"name": CS_APPALACHES, "short_name": "", "kind": "school", "parent": SCHOOL_BOARDS},
]

# The demo account linked to a partner (Partner.users): (username, partner name).
PARTNER_ACCOUNTS = [("partenaire", SHQ)]

# --- agreements ----------------------------------------------------------------------------
# Natural key: ``slug``. Commitments: natural key (agreement, partner, purpose); ``position``
# is the rank in the list. ``top_ups`` maps a fiscal year (named by its starting year, 2009 is
# 2009-04-01 → 2010-03-31, « An 2 » of the 2008 agreement) to an amount. ``initial`` None: a
# contribution that is not quantified. ``disbursements``: (date, amount, description).

FICTITIOUS = "Donnée fictive"

AGREEMENT_2008 = {
    "slug": "entente-2008-2011",
    "title": (
        "Entente spécifique portant sur l'amélioration de l'accessibilité, de la qualité de vie "
        "et des services offerts pour différentes clientèles vivant dans les HLM de la région "
        "de la Chaudière-Appalaches"
    ),
    "short_title": "Entente spécifique HLM 2008-2011",
    "start_date": "2008-04-01",
    "end_date": "2011-03-31",
    "status": "ended",
    "is_fictitious": False,
    "objectives": (
        "- L'amélioration des services dans les HLM, notamment par l'amélioration de la qualité "
        "de vie des milieux, le développement d'alternatives en soutien communautaire et des "
        "moyens de soutien destinés aux OMH;\n"
        "- L'intégration et la participation sociale des résidents dans les HLM, notamment par "
        "la promotion de la participation des résidents à la gestion de leurs milieux de vie, le "
        "support et l'accompagnement à la mise en œuvre de projets et l'exercice de la pleine "
        "citoyenneté."
    ),
    "target_clientele": (
        "Cette Entente spécifique vise tous les résidents en HLM ainsi que ceux pouvant y avoir "
        "accès, soit des personnes à faible revenu, qu'il s'agisse d'aînés, de jeunes, de "
        "personnes seules, des familles ou encore des personnes vivant un handicap physique ou "
        "intellectuel, de même que des problèmes d'isolement, de santé mentale ou d'exclusion."
    ),
    "table_notes": "*CAS : Comité Chaudière-Appalaches santé",
    # « Partenaires de l'Entente spécifique », in the seed's order.
    "signatories": [
        MAMROT,
        MESS,
        CRE,
        SHQ,
        AGENCE,
        CSSS_BEAUCE,
        CSSS_THETFORD,
        CSSS_ETCHEMINS,
        CSSS_GRAND_LITTORAL,
        CSSS_MONTMAGNY,
        FORUM_JEUNESSE,
        TABLE_AINES,
        CS_NAVIGATEURS,
        CS_COTE_DU_SUD,
        CS_BEAUCE_ETCHEMIN,
        CS_APPALACHES,
    ],
    "commitments": [
        # Contributions en argent
        {
            "partner": CRE,
            "purpose": "Ensemble du projet et concertation régionale",
            "kind": "cash",
            "initial": "255000",
            "top_ups": {},
            "disbursements": [
                ("2008-06-16", "85000", "Versement An 1 – " + FICTITIOUS),
                ("2009-06-15", "85000", "Versement An 2 – " + FICTITIOUS),
                ("2010-06-15", "80000", "Versement An 3 – " + FICTITIOUS),
            ],
        },
        {
            "partner": SHQ,
            "purpose": "Ensemble du projet",
            "kind": "cash",
            "initial": "50000",
            "top_ups": {2009: "50000"},
            "disbursements": [
                ("2008-09-02", "25000", "Versement An 1 – " + FICTITIOUS),
                ("2009-05-04", "25000", "Versement An 2 – " + FICTITIOUS),
                ("2009-11-16", "50000", "Bonification An 2 – " + FICTITIOUS),
            ],
        },
        {
            "partner": AGENCE,
            "purpose": "Ensemble du projet et projets en HLM (*CAS)",
            "kind": "cash",
            "initial": "105000",
            "top_ups": {2009: "9000"},
            "disbursements": [
                ("2008-07-02", "35000", "Versement An 1 – " + FICTITIOUS),
                ("2009-07-02", "44000", "Versement An 2, avec la bonification – " + FICTITIOUS),
                ("2010-07-05", "30000", "Versement An 3 – " + FICTITIOUS),
            ],
        },
        {
            "partner": FORUM_JEUNESSE,
            "purpose": "Impact pour les 12-35 ans",
            "kind": "cash",
            "initial": "75000",
            "top_ups": {},
            "disbursements": [
                ("2008-10-01", "25000", "Versement An 1 – " + FICTITIOUS),
                ("2009-10-01", "25000", "Versement An 2 – " + FICTITIOUS),
            ],
        },
        {
            "partner": EMPLOI_QUEBEC,
            "purpose": "Enquête mobilisante",
            "kind": "cash",
            "initial": "20000",
            "top_ups": {},
            "disbursements": [
                ("2008-11-17", "12000", "Élaboration de l'Enquête mobilisante – " + FICTITIOUS),
                ("2009-04-20", "8000", "Démarrage dans 10 milieux ciblés – " + FICTITIOUS),
            ],
        },
        {
            "partner": TABLE_AINES,
            "purpose": "Impact pour les aînés",
            "kind": "cash",
            "initial": "1000",
            "top_ups": {},
            "disbursements": [
                ("2009-02-10", "500", "Versement An 1 – " + FICTITIOUS),
                ("2010-02-09", "500", "Versement An 2 – " + FICTITIOUS),
            ],
        },
        # Contributions en services
        {
            "partner": AGENCE,
            "purpose": "Évaluation de l'Entente",
            "kind": "services",
            "initial": "18000",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_BEAUCE,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "54522",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_ETCHEMINS,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "27262",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_GRAND_LITTORAL,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "136303",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_MONTMAGNY,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "54522",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_THETFORD,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "40891",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": SCHOOL_BOARDS,
            "purpose": "Soutenir les projets de formation identifiés",
            "kind": "services",
            "initial": None,
            "top_ups": {},
            "disbursements": [],
        },
    ],
}

# Invented from start to finish (is_fictitious): a follow-up agreement with a subset of the same
# partners, so that a partner's summary spans two agreements.
AGREEMENT_2011 = {
    "slug": "entente-2011-2016",
    "title": (
        "Entente spécifique sur le soutien communautaire dans les HLM de la région de la "
        "Chaudière-Appalaches 2011-2016"
    ),
    "short_title": "Entente spécifique HLM 2011-2016",
    "start_date": "2011-04-01",
    "end_date": "2016-03-31",
    "status": "ended",
    "is_fictitious": True,
    "objectives": (
        "- Consolider le soutien communautaire dans les HLM de la région;\n"
        "- Soutenir les projets par et pour les locataires. (" + FICTITIOUS + ")"
    ),
    "target_clientele": (
        "Les résidents des HLM de la région et les personnes pouvant y avoir accès. "
        "(" + FICTITIOUS + ")"
    ),
    "table_notes": FICTITIOUS + " : montants inventés pour la démonstration.",
    "signatories": [
        MESS,
        CRE,
        SHQ,
        AGENCE,
        CSSS_BEAUCE,
        CSSS_THETFORD,
        CSSS_ETCHEMINS,
        CSSS_GRAND_LITTORAL,
        CSSS_MONTMAGNY,
        FORUM_JEUNESSE,
    ],
    "commitments": [
        {
            "partner": CRE,
            "purpose": "Ensemble du projet et concertation régionale",
            "kind": "cash",
            "initial": "200000",
            "top_ups": {},
            "disbursements": [
                ("2011-06-15", "40000", "Versement An 1 – " + FICTITIOUS),
                ("2012-06-15", "40000", "Versement An 2 – " + FICTITIOUS),
            ],
        },
        {
            "partner": SHQ,
            "purpose": "Ensemble du projet",
            "kind": "cash",
            "initial": "100000",
            "top_ups": {2013: "25000"},
            "disbursements": [
                ("2011-09-01", "20000", "Versement An 1 – " + FICTITIOUS),
                ("2013-09-03", "45000", "Versement An 3, avec la bonification – " + FICTITIOUS),
            ],
        },
        {
            "partner": AGENCE,
            "purpose": "Ensemble du projet et projets en HLM",
            "kind": "cash",
            "initial": "90000",
            "top_ups": {2012: "10000"},
            "disbursements": [
                ("2011-07-04", "18000", "Versement An 1 – " + FICTITIOUS),
            ],
        },
        {
            "partner": FORUM_JEUNESSE,
            "purpose": "Impact pour les 12-35 ans",
            "kind": "cash",
            "initial": "50000",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": EMPLOI_QUEBEC,
            "purpose": "Projets de préemployabilité en HLM",
            "kind": "cash",
            "initial": "30000",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_BEAUCE,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "60000",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_GRAND_LITTORAL,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "150000",
            "top_ups": {},
            "disbursements": [],
        },
        {
            "partner": CSSS_MONTMAGNY,
            "purpose": "Organisateurs communautaires en HLM",
            "kind": "services",
            "initial": "60000",
            "top_ups": {},
            "disbursements": [],
        },
    ],
}

AGREEMENTS = [AGREEMENT_2008, AGREEMENT_2011]
