"""Load the demo data set: region 12, its housing directory (fictitious), one account per role,
then each app's demo records, in that order, in one transaction.

Every record is in a data file of ``data/`` (README.md there says which facts are real and which
are invented) and is loaded by the small loader of its app (``territories_loader``,
``housing_loader``, ``accounts_loader``, ``partners_loader``, ``projects_loader``, …).
``load_demo`` is idempotent: every record is found again by its natural key, so a second run
creates nothing and only resets the demo records to the data. The loaders write in bulk and
bypass the audited services (the demo is not an action of anyone); records that already exist
and are not demo records (``is_demo=False``) are never modified.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Sum

from tremplin.accounts.models import Membership
from tremplin.housing.models import Building, Contact, HousingProvider
from tremplin.housing.services import provider_refresh
from tremplin.territories.models import LocalTeam, Mrc, Municipality, Region, Territory

from .accounts_loader import EMAIL_DOMAIN, load_accounts
from .casework_loader import CREATED_KEYS as CASEWORK_CREATED_KEYS
from .casework_loader import load_casework
from .concertation_loader import CREATED_KEYS as CONCERTATION_CREATED_KEYS
from .concertation_loader import load_concertation
from .data import ACCOUNTS
from .evaluation_loader import CREATED_KEYS as EVALUATION_CREATED_KEYS
from .evaluation_loader import load_evaluation
from .events_loader import CREATED_KEYS as EVENT_CREATED_KEYS
from .events_loader import load_events
from .housing_loader import load_housing
from .newsletter_loader import CREATED_KEYS as NEWSLETTER_CREATED_KEYS
from .newsletter_loader import load_newsletter
from .partners_loader import CREATED_KEYS as PARTNER_CREATED_KEYS
from .partners_loader import load_partners
from .projects_loader import CREATED_KEYS as PROJECT_CREATED_KEYS
from .projects_loader import load_projects
from .surveys_loader import CREATED_KEYS as SURVEY_CREATED_KEYS
from .surveys_loader import load_surveys
from .territories_loader import load_local_teams, load_territories

__all__ = ["CREATED_KEYS", "DEMO_ACCOUNTS", "EMAIL_DOMAIN", "load_demo"]

# (username, French description of the role and scope), in display order (login page, README).
DEMO_ACCOUNTS: list[tuple[str, str]] = [(a["username"], a["description"]) for a in ACCOUNTS]

CREATED_KEYS = (
    "regions",
    "territories",
    "mrcs",
    "municipalities",
    "local_teams",
    "providers",
    "contacts",
    "buildings",
    "accounts",
    *PARTNER_CREATED_KEYS,
    *PROJECT_CREATED_KEYS,
    *CONCERTATION_CREATED_KEYS,
    *CASEWORK_CREATED_KEYS,
    *EVENT_CREATED_KEYS,
    *NEWSLETTER_CREATED_KEYS,
    *SURVEY_CREATED_KEYS,
    *EVALUATION_CREATED_KEYS,
)


class _Progress:
    def __init__(self, stdout):
        self.stdout = stdout

    def __call__(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")


def load_demo(password: str, stdout=None) -> dict:
    """Load (or reload) the whole demo data set; returns a summary of counts.

    ``password`` becomes the password of every demo account (reset on each run).
    """
    if not password:
        raise ValueError("a password is required for the demo accounts")
    say = _Progress(stdout)
    created: Counter = Counter()
    with transaction.atomic():
        say("Région, territoires, MRC et municipalités…")
        region, territories, munis = load_territories(created)
        say("Équipes locales élargies (ÉLÉ)…")
        load_local_teams(region, created)
        say("Répertoire des organismes d'habitation (fictif)…")
        providers = load_housing(munis, created)
        for provider in providers.values():
            provider_refresh(provider)
        say("Comptes de démonstration…")
        load_accounts(password, territories, munis, created)
        say("Partenaires, ententes et financement…")
        funding = load_partners(created)
        say("Projets, accompagnements et associations de locataires (fictifs)…")
        projects = load_projects(created)
        say("Comités, rencontres et suivis (détails fictifs)…")
        concertation = load_concertation(created)
        say("Ressources et dossiers de suivi (fictifs)…")
        casework = load_casework(created)
        say("Événements : tournée 2008, rassemblements et forums (détails fictifs)…")
        events = load_events(created)
        say("Site public et infolettre (fictifs)…")
        newsletter = load_newsletter(created)
        say("Enquête mobilisante et enquête de suivi (fictives)…")
        surveys = load_surveys(created)
        say("Faits saillants de l'An 1…")
        evaluation = load_evaluation(created, refresh=False)
    return {
        **_summary(region, created),
        "funding": funding,
        "projects": projects,
        "concertation": concertation,
        "casework": casework,
        "events": events,
        "newsletter": newsletter,
        "surveys": surveys,
        "evaluation": evaluation,
    }


# --- summary -------------------------------------------------------------------------------


def _summary(region: Region, created: Counter) -> dict:
    providers = HousingProvider.objects.filter(is_demo=True, municipality__mrc__region=region)
    buildings = Building.objects.filter(is_demo=True, provider__in=providers)
    by_kind = Counter(providers.values_list("kind", flat=True))
    usernames = [a["username"] for a in ACCOUNTS]
    return {
        "region": str(region),
        "territories": Territory.objects.filter(region=region).count(),
        "mrcs": Mrc.objects.filter(region=region).count(),
        "municipalities": Municipality.objects.filter(mrc__region=region).count(),
        "local_teams": LocalTeam.objects.filter(region=region).count(),
        "providers": sum(by_kind.values()),
        "providers_by_kind": dict(sorted(by_kind.items())),
        "contacts": Contact.objects.filter(provider__in=providers).count(),
        "buildings": buildings.count(),
        "units": buildings.aggregate(n=Sum("total_units"))["n"] or 0,
        "accounts": Membership.objects.filter(user__username__in=usernames).count(),
        "created": {key: created[key] for key in CREATED_KEYS},
    }
