"""Load the demo data set: region 12, its housing directory (fictitious) and one account per role.

``load_demo`` is idempotent: every record is found again by its natural key (Region.code,
Territory.slug, Mrc.code, Municipality.code, ÉLÉ name, provider name and municipality, contact
name, building address, username), so a second run creates nothing and only resets the demo
records to the data. It writes in bulk and bypasses the audited services (the demo is not an
action of anyone), then refreshes each provider's derived fields with ``provider_refresh``.

Records that already exist and are not demo records (``is_demo=False``) are never modified.
"""

import datetime as dt
from collections import Counter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum

from tremplin.accounts.models import Membership
from tremplin.accounts.services import membership_set
from tremplin.core.text import fold
from tremplin.housing.models import Building, Contact, HousingProvider
from tremplin.housing.services import provider_refresh
from tremplin.territories.models import LocalTeam, Mrc, Municipality, Region, Territory

from .casework_loader import CREATED_KEYS as CASEWORK_CREATED_KEYS
from .casework_loader import load_casework
from .concertation_loader import CREATED_KEYS as CONCERTATION_CREATED_KEYS
from .concertation_loader import load_concertation
from .data import ACCOUNTS
from .data import territories as territory_data
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

EMAIL_DOMAIN = "tremplin.example"

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
        region, territories, munis = _load_territories(created)
        say("Équipes locales élargies (ÉLÉ)…")
        _load_local_teams(region, created)
        say("Répertoire des organismes d'habitation (fictif)…")
        providers = load_housing(munis, created)
        for provider in providers.values():
            provider_refresh(provider)
        say("Comptes de démonstration…")
        _load_accounts(password, territories, munis, created)
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


# --- territories ---------------------------------------------------------------------------


def _load_territories(created: Counter):
    region, was_created = Region.objects.get_or_create(
        code=territory_data.REGION["code"], defaults={"name": territory_data.REGION["name"]}
    )
    created["regions"] += was_created
    if region.name != territory_data.REGION["name"]:
        region.name = territory_data.REGION["name"]
        region.save(update_fields=["name"])

    territories = {}
    for spec in territory_data.TERRITORIES:
        territory, was_created = Territory.objects.update_or_create(
            slug=spec["slug"], defaults={"region": region, "name": spec["name"]}
        )
        created["territories"] += was_created
        territories[spec["slug"]] = territory

    wanted = {}  # code -> (mrc, name)
    for spec in territory_data.MRCS:
        mrc, was_created = Mrc.objects.update_or_create(
            code=spec["code"],
            defaults={
                "region": region,
                "territory": territories[spec["territory"]],
                "name": spec["name"],
            },
        )
        created["mrcs"] += was_created
        for code, name in spec["municipalities"]:
            wanted[code] = (mrc, name)

    existing = Municipality.objects.in_bulk(list(wanted), field_name="code")
    new = []
    for code, (mrc, name) in wanted.items():
        muni = existing.get(code)
        if muni is None:
            new.append(Municipality(mrc=mrc, code=code, name=name, name_key=fold(name)))
        elif muni.name != name or muni.mrc_id != mrc.pk:
            muni.name, muni.mrc = name, mrc
            muni.save()
    Municipality.objects.bulk_create(new)
    created["municipalities"] += len(new)
    munis = Municipality.objects.select_related("mrc__territory").in_bulk(
        list(wanted), field_name="code"
    )
    return region, territories, munis


def _load_local_teams(region: Region, created: Counter) -> None:
    for spec in territory_data.LOCAL_TEAMS:
        team = LocalTeam.objects.filter(region=region, name=spec["name"]).first()
        if team is None:
            team = LocalTeam(region=region, name=spec["name"])
            created["local_teams"] += 1
        team.founded_on = dt.date.fromisoformat(spec["founded_on"])
        team.is_fictitious = True
        team.save()
        team.municipalities.set(Municipality.objects.filter(mrc__code__in=spec["mrcs"]))


# --- accounts ------------------------------------------------------------------------------


def _load_accounts(password: str, territories: dict, munis: dict, created: Counter) -> None:
    """Demo accounts, their roles (a worker's supervisor among them) and, for the roles that
    require two-factor authentication, exactly one confirmed TOTP device each: its secret is
    kept from one run to the next (an app paired with it keeps working), other devices and any
    lockout are cleared. ``tremplin demo-code USERNAME`` prints the code of the moment."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device_name = "Démonstration"
    user_model = get_user_model()
    users = {}
    for spec in ACCOUNTS:
        user = user_model.objects.filter(username=spec["username"]).first()
        if user is None:
            user = user_model(username=spec["username"])
            created["accounts"] += 1
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.email = f"{spec['username']}@{EMAIL_DOMAIN}"
        user.is_active = True
        user.set_password(password)
        user.save()
        users[spec["username"]] = user
    for spec in ACCOUNTS:
        user = users[spec["username"]]
        membership = membership_set(
            user=user,
            role=spec["role"],
            territories=[territories[slug] for slug in spec["territories"]],
            organization=spec["organization"],
            supervisor=users[spec["supervisor"]] if spec.get("supervisor") else None,
        )
        for name, code in spec.get("manages", ()):
            provider = HousingProvider.objects.filter(
                name_key=fold(name), municipality=munis[code]
            ).first()
            if provider is not None:
                provider.managers.add(user)
        devices = TOTPDevice.objects.filter(user=user)
        if membership.requires_two_factor:
            device = devices.filter(name=device_name).order_by("pk").first()
            if device is None:
                device = TOTPDevice(user=user, name=device_name)
            device.confirmed = True
            device.throttle_reset(commit=False)
            device.save()
            devices = devices.exclude(pk=device.pk)
        devices.delete()
        if apps.is_installed("axes"):
            from axes.utils import reset as axes_reset

            axes_reset(username=spec["username"])  # a fresh start: no lockout left over


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
