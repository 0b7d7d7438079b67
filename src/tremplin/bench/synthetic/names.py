"""Name pools of the synthetic province: saints, places, rivers and themes that make plausible
municipalities, MRCs, territories, providers and streets; postal codes, units and programs by
kind of provider."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from tremplin.core.text import fold
from tremplin.housing.models import Program

# Québec's administrative regions (official codes and names).
REGIONS: list[tuple[str, str]] = [
    ("01", "Bas-Saint-Laurent"),
    ("02", "Saguenay–Lac-Saint-Jean"),
    ("03", "Capitale-Nationale"),
    ("04", "Mauricie"),
    ("05", "Estrie"),
    ("06", "Montréal"),
    ("07", "Outaouais"),
    ("08", "Abitibi-Témiscamingue"),
    ("09", "Côte-Nord"),
    ("10", "Nord-du-Québec"),
    ("11", "Gaspésie–Îles-de-la-Madeleine"),
    ("12", "Chaudière-Appalaches"),
    ("13", "Laval"),
    ("14", "Lanaudière"),
    ("15", "Laurentides"),
    ("16", "Montérégie"),
    ("17", "Centre-du-Québec"),
]
REGION_CODES = tuple(code for code, _name in REGIONS)
REGION_NAMES = dict(REGIONS)


SAINTS_M = (
    "Adrien Alban Alexis Alphonse Anselme Antoine Apollinaire Arsène Athanase Augustin Basile "
    "Benoît Bernard Camille Célestin Charles Côme Cyprien Damien Denis Donat Édouard Elzéar "
    "Éphrem Eusèbe Fabien Félix Ferdinand Flavien François Frédéric Gabriel Gédéon Georges "
    "Gervais Henri Hilaire Hippolyte Honoré Hubert Ignace Isidore Jacques Janvier Jean Joseph "
    "Jules Lambert Laurent Lazare Léon Léonard Louis Luc Magloire Malachie Marc Marcel Martin "
    "Mathieu Maxime Michel Narcisse Nazaire Nérée Norbert Octave Odilon Onésime Pamphile "
    "Patrice Paul Philémon Pierre Placide Prosper Raphaël Rémi Robert Roch Samuel Sébastien "
    "Siméon Stanislas Sylvestre Théophile Thomas Ubalde Valère Vallier Victor Wenceslas "
    "Zacharie Zéphirin"
).split()
SAINTS_F = (
    "Agathe Angèle Anne Apolline Aurélie Béatrix Brigitte Catherine Cécile Christine Claire "
    "Clotilde Croix Edwidge Émélie Euphémie Félicité Florence Geneviève Germaine Hélène "
    "Hénédine Julie Justine Lucie Madeleine Marguerite Marie Marthe Monique Perpétue Rosalie "
    "Rose Sabine Sophie Thècle Thérèse Ursule Victoire"
).split()
# Old county names and landscape words that Québec place names are qualified with.
PLACES = (
    "Beauce Bellechasse Lotbinière Wolfe Kamouraska Rimouski Portneuf Charlevoix Joliette "
    "Montcalm Shefford Brome Compton Frontenac Mégantic Dorchester Champlain Maskinongé "
    "Matane Témiscouata Lévis Nicolet Berthier Rouville Bagot Arthabaska Gaspé Pontiac"
).split()
PLACE_SUFFIXES = [
    "-du-Lac",
    "-des-Monts",
    "-de-la-Rivière",
    "-des-Bois",
    "-du-Nord",
    "-des-Érables",
]
LAKE_WORDS = (
    "Etchemin Drolet Poulin Frontière Sergent Bouchette Édouard Simon Saguay Castor Brûlé "
    "Vert Noir Beauport Carré Plat Rond Long"
).split()
# (bare name, the same with its preposition) of rivers, for MRC and territory names.
RIVERS = [
    ("Chaudière", "de la Chaudière"),
    ("Etchemin", "de l'Etchemin"),
    ("Richelieu", "du Richelieu"),
    ("Yamaska", "de la Yamaska"),
    ("Saint-François", "du Saint-François"),
    ("Batiscan", "de la Batiscan"),
    ("Gatineau", "de la Gatineau"),
    ("Lièvre", "de la Lièvre"),
    ("Matane", "de la Matane"),
    ("Mitis", "de la Mitis"),
    ("Ouelle", "de l'Ouelle"),
    ("Nicolet", "de la Nicolet"),
    ("Bécancour", "de la Bécancour"),
    ("Jacques-Cartier", "de la Jacques-Cartier"),
    ("Assomption", "de l'Assomption"),
    ("Saguenay", "du Saguenay"),
    ("Manicouagan", "de la Manicouagan"),
    ("Harricana", "de l'Harricana"),
    ("Péribonka", "de la Péribonka"),
    ("Mistassini", "de la Mistassini"),
    ("Cascapédia", "de la Cascapédia"),
    ("Bonaventure", "de la Bonaventure"),
    ("Sainte-Anne", "de la Sainte-Anne"),
    ("Loup", "du Loup"),
    ("Rouge", "de la Rouge"),
    ("Petite-Nation", "de la Petite-Nation"),
    ("Saint-Maurice", "du Saint-Maurice"),
    ("Matapédia", "de la Matapédia"),
    ("Moisie", "de la Moisie"),
    ("Romaine", "de la Romaine"),
    ("Coulonge", "de la Coulonge"),
    ("Boyer", "de la Boyer"),
    ("Famine", "de la Famine"),
    ("Du Sud", "de la rivière du Sud"),
    ("Bras", "du Bras"),
]
PLURAL_PLACES = (
    "Érables Sources Collines Monts Pins Bouleaux Cèdres Sapins Trembles Plaines Coteaux "
    "Battures Falaises Prés Îles Vallons Chutes Moulins Rapides Lacs Basques Appalaches"
).split()
TERRITORY_WORDS = [
    "Plateau",
    "Littoral",
    "Piémont",
    "Versant",
    "Bassin",
    "Pays",
    "Carrefour",
    "Rives",
]
THEMES = [
    "Les Érables",
    "Le Bel Âge",
    "Les Tournesols",
    "L'Harmonie",
    "La Ruche",
    "Le Rucher",
    "Les Pionniers",
    "Le Phare",
    "L'Étoile",
    "Le Carrefour",
    "Les Jardins",
    "Le Tisserand",
    "Les Pignons",
    "Le Boisé",
    "La Source",
    "L'Envol",
    "Les Cèdres",
    "La Colline",
    "Le Vieux-Moulin",
    "Les Berges",
    "L'Amitié",
    "L'Entraide",
    "La Solidarité",
    "L'Oasis",
    "Le Havre",
    "Le Quai",
    "La Passerelle",
    "Les Lilas",
    "Le Clocher",
    "La Seigneurie",
    "Les Hirondelles",
    "Le Nordet",
    "La Grande Ourse",
    "Les Trois Pignons",
    "Le Rivage",
    "La Belle Époque",
    "Les Mésanges",
    "Le Ruisseau",
    "La Vigne",
    "Les Peupliers",
    "L'Arc-en-ciel",
    "Le Pont",
    "La Traverse",
    "Les Quatre Saisons",
    "Le Fleuve",
    "La Clairière",
    "Les Sentiers",
    "Le Jardin fleuri",
    "L'Escale",
    "La Marée",
]
OSBL_FORMS = ["Habitations {t}", "Résidence {t}", "Maison {t}", "Villa {t}", "Manoir {t}"]
OSBL_PLACE_FORMS = [
    "Logements communautaires {de}",
    "Habitations populaires {de}",
    "Résidence {de}",
]
STREETS = [
    "rue Principale",
    "rue Saint-Jean",
    "rue de l'Église",
    "rue Notre-Dame",
    "avenue des Érables",
    "rue du Couvent",
    "boulevard Laurier",
    "rue Commerciale",
    "rue du Moulin",
    "rue de la Fabrique",
    "rue du Parc",
    "rue des Pins",
    "rue Sainte-Anne",
    "rang Saint-Joseph",
    "1re Avenue",
    "2e Rue",
    "chemin du Roy",
    "rue Saint-Louis",
    "rue Dufferin",
    "avenue du Lac",
    "rue des Écoles",
    "rue Champlain",
    "boulevard Dionne",
    "rue Lambert",
    "rue Bélanger",
    "rue de la Gare",
    "rue du Pont",
    "rue Industrielle",
    "avenue Lapierre",
    "rue Monseigneur-Bourget",
    "rue des Cèdres",
    "route du Président-Kennedy",
    "rue Taschereau",
    "rue Laval",
    "18e Rue",
]
ROMAN = ["II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

# Canada Post: no D, F, I, O, Q, U anywhere.
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
POSTAL_FIRST = {code: "G" for code in REGION_CODES} | {
    "05": "J", "06": "H", "07": "J", "08": "J", "10": "J", "13": "H", "14": "J", "15": "J", "16": "J",
}  # fmt: skip
AREA_CODES = {code: "418" for code in REGION_CODES} | {
    "04": "819", "05": "819", "06": "514", "07": "819", "08": "819", "10": "819",
    "13": "450", "14": "450", "15": "450", "16": "450", "17": "819",
}  # fmt: skip

UNIT_WEIGHTS = {
    "office": [0.15, 0.45, 0.25, 0.12, 0.03],
    "coop": [0.05, 0.25, 0.35, 0.25, 0.10],
    "osbl": [0.35, 0.40, 0.17, 0.06, 0.02],
}
UNIT_RANGES = {"office": (4, 28), "coop": (4, 20), "osbl": (4, 17)}
PROGRAMS = {
    "office": ([Program.PUBLIC_HLM, Program.RENT_SUPPLEMENT, Program.OTHER], [85, 10, 5]),
    "coop": (
        [Program.ACCESLOGIS, Program.PRIVATE_HLM, Program.PHAQ, Program.OTHER],
        [50, 20, 15, 15],
    ),
    "osbl": (
        [
            Program.ACCESLOGIS,
            Program.PRIVATE_HLM,
            Program.PHAQ,
            Program.RENT_SUPPLEMENT,
            Program.OTHER,
        ],
        [55, 20, 15, 5, 5],
    ),
}
CLIENTELES = {
    "office": (["aines", "familles", "personnes-seules"], [55, 35, 10]),
    "coop": (["familles", "personnes-seules", "aines"], [60, 20, 20]),
    "osbl": (["aines", "personnes-seules", "jeunes", "handicap", "familles"], [45, 20, 15, 10, 10]),
}
YEARS = {"office": (1968, 1994), "coop": (1975, 2015), "osbl": (1985, 2025)}


def _de(name: str) -> str:
    """``"Les Érables"`` → ``"des Érables"``, ``"Le Haut-Richelieu"`` → ``"du Haut-Richelieu"``."""
    for article, prep in (("Les ", "des "), ("Le ", "du "), ("La ", "de la "), ("L'", "de l'")):
        if name.startswith(article):
            return prep + name[len(article) :]
    if fold(name)[:1] in "aeiouyh":
        return "d'" + name
    return "de " + name


def _shuffled(items, seed: int, salt: str) -> list:
    items = sorted(set(items))
    random.Random(f"{seed}:{salt}").shuffle(items)
    return items


def municipality_pool(seed: int) -> list[str]:
    names = [f"Saint-{m}" for m in SAINTS_M] + [f"Sainte-{f}" for f in SAINTS_F]
    for saint in [f"Saint-{m}" for m in SAINTS_M] + [f"Sainte-{f}" for f in SAINTS_F]:
        names += [f"{saint}-de-{p}" for p in PLACES] + [saint + s for s in PLACE_SUFFIXES]
    names += [f"Notre-Dame-de-{p}" for p in PLACES] + [f"Lac-{w}" for w in LAKE_WORDS]
    names += [f"Val-{w}" for w in LAKE_WORDS] + [f"Rivière-{r}" for r, _de_form in RIVERS]
    plain = _shuffled([n for n in names if n.count("-") <= 1], seed, "municipalities-plain")
    long = _shuffled([n for n in names if n.count("-") > 1], seed, "municipalities-long")
    # One short name ("Saint-Joseph") for two qualified ones ("Saint-Joseph-de-Beauce").
    pool = []
    for i in range(max(len(plain), (len(long) + 1) // 2)):
        pool += plain[i : i + 1] + long[2 * i : 2 * i + 2]
    return pool


def mrc_pool(seed: int) -> list[str]:
    names = [f"Les {p}" for p in PLURAL_PLACES]
    names += [f"Le Haut-{r}" for r, _ in RIVERS] + [f"Le Bas-{r}" for r, _ in RIVERS]
    names += ["La Vallée-" + de.replace(" ", "-") for _r, de in RIVERS]
    return _shuffled(names, seed, "mrcs")


def territory_pool(seed: int) -> list[str]:
    names = [f"{w} {de}" for w in TERRITORY_WORDS for _r, de in RIVERS]
    return _shuffled(names, seed, "territories")


def _split(total: int, index: int, parts: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


def bench_accounts(kind: str, label: str, code: str, numbers) -> list:
    """The accounts ``bench-<kind>-<region code>-<number>`` of a region, created in one query:
    named after their role (``label``) and their number, with an unusable password (nobody
    signs in as them)."""
    user_model = get_user_model()
    return user_model.objects.bulk_create(
        [
            user_model(
                username=f"bench-{kind}-{code}-{number}",
                first_name=label,
                last_name=f"{code}-{number}",
                password="!",  # noqa: S106 - unusable
            )
            for number in numbers
        ]
    )
