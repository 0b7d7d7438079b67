"""Shared test personas (DESIGN.md §8) and a small Chaudière-Appalaches world to act on.

World: region 12 with territories A (Grand Littoral: MRC Lévis, Bellechasse) and B
(Beauce: MRC Beauce-Sartigan); one OMH in each territory, each with one building.
"""

import copy

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set
from tremplin.accounts.two_factor import requires_two_factor
from tremplin.housing.models import Building, Clientele, HousingProvider, ProviderKind
from tremplin.housing.services import building_save, provider_save
from tremplin.territories.models import LocalTeam, Mrc, Municipality, Region, Territory

PASSWORD = "mot-de-passe-de-test-42"
# The keys of ``personas``, one user per role (see ``build_personas``).
PERSONAS = (
    "coordination",
    "organizer_a",
    "organizer_b",
    "worker_a",
    "worker_b",
    "supervisor_a",
    "supervisor_b",
    "privacy_officer",
    "housing_manager",
    "partner",
    "researcher",
    "no_role",
)

pytest_plugins = [
    "tremplin.testing.browser",
    "tremplin.testing.smtp",
    "tremplin.testing.demo",
    "tremplin.testing.once",
]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Each test starts in the default language (fr-CA): a request through the locale
    middleware leaves its language active in the thread, and an English page's test would
    otherwise leave the next test's messages (a command's output…) in English."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2 is deliberately slow; tests that check hashing ask for it explicitly (with the
    ``settings`` fixture). Session-wide, so that module-scoped data (the demo) has it too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def _world_once(_fast_password_hashing, django_db_setup, django_db_blocker):
    from tremplin.testing.once import rolled_back

    with django_db_blocker.unblock(), rolled_back():
        yield build_world()


@pytest.fixture
def world(db, request):
    """The small world (see the module docstring); built once per module for tests in a
    transaction (``tremplin.testing.once``), afresh for transactional ones."""
    if "_world_once" in request.fixturenames:
        return copy.deepcopy(request.getfixturevalue("_world_once"))
    return build_world()


def make_provider(name, municipality, kind=ProviderKind.OMH, **fields):
    """A housing provider, saved as its edit page does (its counts and search key kept)."""
    provider = HousingProvider(kind=kind, name=name, municipality=municipality, **fields)
    return provider_save(user=None, provider=provider)


def make_building(provider, address, municipality, *, clienteles=(), **fields):
    """A building of ``provider``, saved as its edit page does (the provider's counts kept)."""
    building = Building(provider=provider, address=address, municipality=municipality, **fields)
    return building_save(user=None, building=building, clienteles=list(clienteles))


def build_world():
    region = Region.objects.create(code="12", name="Chaudière-Appalaches")
    other_region = Region.objects.create(code="03", name="Capitale-Nationale")
    ta = Territory.objects.create(region=region, slug="grand-littoral", name="Grand Littoral")
    tb = Territory.objects.create(region=region, slug="beauce", name="Beauce")
    t_other = Territory.objects.create(region=other_region, slug="quebec", name="Québec")
    levis_mrc = Mrc.objects.create(region=region, territory=ta, code="25", name="Lévis")
    bellechasse = Mrc.objects.create(region=region, territory=ta, code="19", name="Bellechasse")
    sartigan = Mrc.objects.create(region=region, territory=tb, code="29", name="Beauce-Sartigan")
    quebec_mrc = Mrc.objects.create(
        region=other_region, territory=t_other, code="23", name="Québec"
    )
    levis = Municipality.objects.create(mrc=levis_mrc, code="25213", name="Lévis")
    st_anselme = Municipality.objects.create(mrc=bellechasse, code="19105", name="Saint-Anselme")
    st_georges = Municipality.objects.create(mrc=sartigan, code="29073", name="Saint-Georges")
    quebec = Municipality.objects.create(mrc=quebec_mrc, code="23027", name="Québec")
    team = LocalTeam.objects.create(region=region, name="ÉLÉ de Lévis")
    team.municipalities.set([levis])
    seniors = Clientele.objects.get(code="aines")
    families = Clientele.objects.get(code="familles")

    omh_a = make_provider(
        "Office municipal d'habitation de Lévis",
        levis,
        address="5, rue Monseigneur-Déziel",
        postal_code="G6V 5K1",
    )
    omh_b = make_provider(
        "Office municipal d'habitation de Saint-Georges",
        st_georges,
        address="11700, 1re Avenue",
        postal_code="G5Y 2C8",
    )
    b_a = make_building(
        omh_a,
        "25, rue Saint-Louis",
        levis,
        clienteles=[seniors],
        postal_code="G6V 4E1",
        units_1br=20,
        units_2br=4,
        has_elevator=True,
    )
    b_b = make_building(
        omh_b,
        "150, 18e Rue",
        st_georges,
        clienteles=[families],
        postal_code="G5Y 4S7",
        units_2br=8,
        units_3br=6,
    )
    omh_a.refresh_from_db()
    omh_b.refresh_from_db()
    return {
        "region": region,
        "ta": ta,
        "tb": tb,
        "t_other": t_other,
        "levis": levis,
        "st_anselme": st_anselme,
        "st_georges": st_georges,
        "quebec": quebec,
        "team": team,
        "seniors": seniors,
        "families": families,
        "omh_a": omh_a,
        "omh_b": omh_b,
        "building_a": b_a,
        "building_b": b_b,
    }


def _user(username, role=None, territories=(), supervisor=None):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    if role:
        membership_set(
            user=user, role=role, territories=territories, supervisor=supervisor, audit=False
        )
    return user


@pytest.fixture(scope="module")
def _personas_once(_world_once, django_db_blocker):
    from tremplin.testing.once import rolled_back

    with django_db_blocker.unblock(), rolled_back():
        yield build_personas(_world_once)


@pytest.fixture
def personas(world, request):
    """One user per role; organizers and workers in territory A or B."""
    if "_personas_once" in request.fixturenames:
        return copy.deepcopy(request.getfixturevalue("_personas_once"))
    return build_personas(world)


def all_personas_but(*names):
    """The names of ``PERSONAS`` other than ``names``, in order (for ``parametrize``)."""
    return tuple(name for name in PERSONAS if name not in names)


def build_personas(world):
    manager = _user("gestionnaire", Role.HOUSING_MANAGER, [world["ta"]])
    world["omh_a"].managers.add(manager)
    supervisor_a = _user("supervisor_a", Role.SUPERVISOR, [world["ta"]])
    supervisor_b = _user("supervisor_b", Role.SUPERVISOR, [world["tb"]])
    return {
        "coordination": _user("coordination", Role.COORDINATION),
        "organizer_a": _user("organizer_a", Role.ORGANIZER, [world["ta"]]),
        "organizer_b": _user("organizer_b", Role.ORGANIZER, [world["tb"]]),
        "worker_a": _user("worker_a", Role.WORKER, [world["ta"]], supervisor=supervisor_a),
        "worker_b": _user("worker_b", Role.WORKER, [world["tb"]], supervisor=supervisor_b),
        "supervisor_a": supervisor_a,
        "supervisor_b": supervisor_b,
        "privacy_officer": _user("privacy_officer", Role.PRIVACY_OFFICER),
        "housing_manager": manager,
        "partner": _user("partner", Role.PARTNER),
        "researcher": _user("researcher", Role.RESEARCHER),
        "no_role": _user("no_role"),
    }


@pytest.fixture
def login(client):
    """``login(user, two_factor=True)`` → the test client signed in as that user (bypassing axes).

    For roles that require two-factor authentication (coordination, workers, supervisors,
    privacy officers),
    the session has also passed the code step, with a confirmed TOTP device created if the user
    has none. ``two_factor=False`` stops after the password, as before the code page.
    ``client=`` signs in another client (two people at once).
    """

    def _login(user, two_factor=True, client=client):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if two_factor and requires_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login
