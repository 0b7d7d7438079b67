"""Events test helpers: events built through the services, a clean rate-limit cache, and the
real SMTP server fixture (until the root conftest lists ``tremplin.testing.smtp``)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tremplin.events import services
from tremplin.events.models import Event, EventStatus, EventStop, Scope

TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test client comes from 127.0.0.1: start each test with no attempt counted."""
    cache.clear()
    yield
    cache.clear()


def at(day: dt.date, hour: int = 18, minute: int = 30) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def soon(days: int = 30, hour: int = 18) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return at(day, hour, 0)


def make_event(
    *,
    title="Atelier : bien vivre en HLM",
    kind="workshop",
    scope=Scope.LOCAL,
    status=EventStatus.PUBLISHED,
    capacity=None,
    stops=(),
    user=None,
    **fields,
) -> Event:
    """``stops``: (municipality, starts_at[, hours]) tuples."""
    event = Event(title=title, kind=kind, scope=scope, status=status, capacity=capacity, **fields)
    stop_objects = []
    for spec in stops:
        municipality, starts_at = spec[0], spec[1]
        hours = spec[2] if len(spec) > 2 else 2
        stop_objects.append(
            EventStop(
                municipality=municipality,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=hours),
                place="Salle communautaire",
                address="25, rue Saint-Louis",
            )
        )
    return services.event_save(user=user, event=event, stops=stop_objects)


def register(event, *, name="Marie Tremblay", email="marie@example.org", stop=None, **kwargs):
    stop = stop or event.stops.order_by("starts_at").first()
    return services.registration_submit(event=event, stop=stop, name=name, email=email, **kwargs)


def make_workshop(world, personas, *, capacity=3, description="Un atelier pratique.", **fields):
    """A published local workshop in Lévis (territory A), in a month."""
    return make_event(
        capacity=capacity,
        stops=[(world["levis"], soon(30))],
        user=personas["organizer_a"],
        target_audience="Locataires des HLM de Lévis",
        public_contact="418 555-0199",
        description=f"{description}\n\nInfo : https://example.org/atelier",
        **fields,
    )


@pytest.fixture
def workshop(world, personas):
    """A published local workshop in Lévis (territory A), 3 seats, in a month."""
    return make_workshop(world, personas)


@pytest.fixture
def tour(world, personas):
    """A regional information tour with stops in territories A and B, in two months."""
    return make_event(
        title="Tournée régionale d'information",
        kind="tour",
        scope=Scope.REGIONAL,
        stops=[
            (world["levis"], soon(60, 13)),
            (world["st_anselme"], soon(61, 13)),
            (world["st_georges"], soon(62, 13)),
        ],
        user=personas["coordination"],
    )
