"""Synthetic directory data at the scale of Québec, for the benchmarks (``tremplin bench``).

``generate_province("province")`` fills an empty database with the 17 administrative regions,
their territories, MRCs and about 1,100 municipalities, about 2,600 housing providers (149
offices, 1,250 co-ops, 1,200 OSBL-H), about 13,000 buildings and 160,000 units. Everything is
invented (apart from the regions) and flagged ``is_demo``.

Each region is planned with its own random generator seeded by ``(seed, region code)`` and
the province totals are split evenly between the 17 regions, so the ``"region"`` scale (region
12 alone) is exactly the region 12 of the ``"province"`` scale: the benchmarks compare one
region with the whole province on data of the same shape.

Derived fields that ``housing.services.provider_refresh`` maintains (counts, ``search_key``,
``name_key``) are computed here in Python and written with the rows, in bulk.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.text import slugify

from tremplin.bench.synthetic.names import (
    AREA_CODES,
    CLIENTELES,
    OSBL_FORMS,
    OSBL_PLACE_FORMS,
    POSTAL_FIRST,
    POSTAL_LETTERS,
    PROGRAMS,
    REGION_CODES,
    REGION_NAMES,
    ROMAN,
    STREETS,
    THEMES,
    UNIT_RANGES,
    UNIT_WEIGHTS,
    YEARS,
    _de,
    _split,
    mrc_pool,
    municipality_pool,
    territory_pool,
)
from tremplin.core.text import fold
from tremplin.housing.models import Building, Clientele, HousingProvider, ProviderKind
from tremplin.territories.models import Mrc, Municipality, Region, Territory

# Bumped whenever the generated data changes, so that a kept bench database is regenerated.
GENERATOR_VERSION = 1
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Shape:
    """How much to generate. Provider totals are split evenly over ``split_over``."""

    regions: tuple[str, ...]  # the regions generated
    split_over: tuple[str, ...]  # the regions the totals below are shared between
    territories: int  # per region
    mrcs: int  # per region
    municipalities: int  # per region
    offices: int  # OMH/OH, in total
    coops: int
    osbls: int

    def share(self, total: int, code: str) -> int:
        """Region ``code``'s part of ``total``, split evenly over ``split_over``."""
        return _split(total, self.split_over.index(code), len(self.split_over))

    def regions_held(self) -> list[str]:
        """The regions generated that the database holds (a generator adds to them)."""
        held = set(Region.objects.filter(code__in=self.regions).values_list("code", flat=True))
        return [code for code in self.regions if code in held]


SCALES: dict[str, Shape] = {
    "province": Shape(REGION_CODES, REGION_CODES, 4, 6, 65, 149, 1250, 1200),
    "region": Shape(("12",), REGION_CODES, 4, 6, 65, 149, 1250, 1200),
    # For the tests: two, then three small regions.
    "tiny": Shape(("12", "03"), ("12", "03"), 2, 2, 5, 2, 9, 9),
    "small": Shape(("12", "03", "01"), ("12", "03", "01"), 2, 3, 8, 9, 60, 60),
}

# ----------------------------------------------------------------------------- planning


@dataclass
class RegionPlan:
    region: Region
    territories: list[Territory] = field(default_factory=list)
    mrcs: list[Mrc] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)
    providers: list[HousingProvider] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    # (building, clientele code)
    building_clienteles: list[tuple[Building, str]] = field(default_factory=list)


class _RegionPlanner:
    """Plans one region's rows (unsaved model instances) from its own random generator."""

    def __init__(self, code: str, shape: Shape, seed: int, pools: dict):
        self.code = code
        self.shape = shape
        self.rng = random.Random(f"{seed}:region:{code}")
        self.index = REGION_CODES.index(code)
        self.pools = pools
        self.plan = RegionPlan(Region(code=code, name=REGION_NAMES[code]))
        self.muni_weights: list[float] = []
        self.muni_fsa: dict[int, str] = {}

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def postal_code(self, muni_index: int) -> str:
        r = self.rng
        return f"{self.muni_fsa[muni_index]} {r.randint(0, 9)}{r.choice(POSTAL_LETTERS)}{r.randint(0, 9)}"

    def address(self, taken: set[str]) -> str:
        while True:
            address = f"{self.rng.randint(1, 2999)}, {self.rng.choice(STREETS)}"
            if address not in taken:
                taken.add(address)
                return address

    def phone(self) -> str:
        return f"{AREA_CODES[self.code]} 555-01{self.rng.randint(0, 99):02d}"

    def geography(self) -> None:
        s, n = self.shape, self.index
        plan = self.plan
        terr_names = self.pools["territories"][n * s.territories : (n + 1) * s.territories]
        mrc_names = self.pools["mrcs"][n * s.mrcs : (n + 1) * s.mrcs]
        muni_names = self.pools["municipalities"][n * s.municipalities : (n + 1) * s.municipalities]
        for name in terr_names:
            plan.territories.append(Territory(region=plan.region, slug=slugify(name), name=name))
        for i, name in enumerate(mrc_names):
            territory = plan.territories[i % len(plan.territories)]
            plan.mrcs.append(
                Mrc(region=plan.region, territory=territory, code=f"{self.code}{i}", name=name)
            )
        first = POSTAL_FIRST[self.code]
        for j, name in enumerate(muni_names):
            mrc_index = j % len(plan.mrcs)
            rank = j // len(plan.mrcs)  # 0: the MRC's seat, the biggest town
            muni = Municipality(
                mrc=plan.mrcs[mrc_index], code=f"{self.code}{mrc_index}{rank:02d}", name=name
            )
            muni.name_key = fold(name)
            plan.municipalities.append(muni)
            self.muni_weights.append(1 / (1 + rank + (j % 3) * 0.5) ** 1.2)
            digit = self.rng.randint(1, 9) if rank < 2 else 0  # rural FSAs have a 0
            self.muni_fsa[j] = f"{first}{digit}{self.rng.choice(POSTAL_LETTERS)}"

    def pick_muni(self, mrc: Mrc | None = None) -> int:
        munis = self.plan.municipalities
        candidates = [i for i, m in enumerate(munis) if mrc is None or m.mrc is mrc]
        return self.rng.choices(candidates, [self.muni_weights[i] for i in candidates])[0]

    def providers(self) -> None:
        s, plan, rng = self.shape, self.plan, self.rng
        offices = s.share(s.offices, self.code)
        coops = s.share(s.coops, self.code)
        osbls = s.share(s.osbls, self.code)
        self.names: set[tuple[str, int]] = set()
        omh_towns: set[int] = set()
        # Offices: a regional OH per MRC first, then OMH in the biggest towns without one.
        for i in range(offices):
            if i < len(plan.mrcs):
                mrc = plan.mrcs[i]
                muni_i = next(j for j, m in enumerate(plan.municipalities) if m.mrc is mrc)
                name = f"Office d'habitation {_de(mrc.name)}"
                self.add_provider(ProviderKind.OH, name, muni_i, "office", rng.randint(12, 48), mrc)
            else:
                order = sorted(range(len(plan.municipalities)), key=lambda j: -self.muni_weights[j])
                muni_i = next(j for j in order if j not in omh_towns)
                omh_towns.add(muni_i)
                name = f"Office municipal d'habitation {_de(plan.municipalities[muni_i].name)}"
                self.add_provider(ProviderKind.OMH, name, muni_i, "office", rng.randint(2, 30))
        coop_counts = [1, 2, 3, 4, 5, 6, 7, 8]
        coop_weights = [45, 25, 15, 8, 2, 2, 2, 1]
        for _ in range(coops):
            muni_i = self.pick_muni()
            de = _de(plan.municipalities[muni_i].name)
            theme = rng.choice(THEMES)
            name = f"Coopérative d'habitation {theme}" + (f" {de}" if rng.random() < 0.3 else "")
            count = rng.choices(coop_counts, coop_weights)[0]
            self.add_provider(ProviderKind.COOP, name, muni_i, "coop", count)
        for _ in range(osbls):
            muni_i = self.pick_muni()
            if rng.random() < 0.2:
                name = rng.choice(OSBL_PLACE_FORMS).format(de=_de(plan.municipalities[muni_i].name))
            else:
                name = rng.choice(OSBL_FORMS).format(t=rng.choice(THEMES))
            self.add_provider(ProviderKind.OSBL, name, muni_i, "osbl", rng.randint(1, 10))

    def unique_name(self, name: str, muni_i: int) -> str:
        candidate, n = name, 0
        while (fold(candidate), muni_i) in self.names:
            candidate = f"{name} {ROMAN[n % len(ROMAN)]}" + ("" if n < len(ROMAN) else f" {n}")
            n += 1
        self.names.add((fold(candidate), muni_i))
        return candidate

    def add_provider(self, kind, name, muni_i, family, n_buildings, mrc=None) -> None:
        plan, rng = self.plan, self.rng
        muni = plan.municipalities[muni_i]
        name = self.unique_name(name, muni_i)
        provider = HousingProvider(
            public_id=self.uuid(),
            kind=kind,
            name=name,
            municipality=muni,
            address=self.address(set()),
            postal_code=self.postal_code(muni_i),
            phone=self.phone(),
            email=f"info@{slugify(name)[:40]}.example" if rng.random() < 0.6 else "",
            is_demo=True,
            name_key=fold(name),
        )
        home_mrc = mrc or muni.mrc
        stay_home = 0.9 if kind == ProviderKind.OMH else 0.75
        addresses: set[str] = set()
        buildings = []
        for b in range(n_buildings):
            if kind == ProviderKind.OH:
                b_muni_i = self.pick_muni(home_mrc)
            elif rng.random() < stay_home:
                b_muni_i = muni_i
            else:
                b_muni_i = self.pick_muni(home_mrc)
            total = rng.randint(*UNIT_RANGES[family])
            units = [0] * 5
            for k in rng.choices(range(5), UNIT_WEIGHTS[family], k=total):
                units[k] += 1
            building_name = ""
            if family == "osbl":
                building_name = name if n_buildings == 1 else f"{name} (phase {b + 1})"
            elif family == "office" and rng.random() < 0.4:
                building_name = f"Habitations {rng.choice(THEMES)}"
            programs, weights = PROGRAMS[family]
            year_lo, year_hi = YEARS[family]
            building = Building(
                public_id=self.uuid(),
                provider=provider,
                name=building_name,
                address=self.address(addresses),
                postal_code=self.postal_code(b_muni_i),
                municipality=plan.municipalities[b_muni_i],
                units_studio=units[0],
                units_1br=units[1],
                units_2br=units[2],
                units_3br=units[3],
                units_4br_plus=units[4],
                total_units=total,
                program=rng.choices(programs, weights)[0],
                year_built=rng.randint(year_lo, year_hi),
                has_elevator=total >= 20 or rng.random() < 0.25,
                adapted_units=rng.randint(0, max(0, total // 6)),
                has_common_room=rng.random() < 0.5,
                is_demo=True,
            )
            buildings.append(building)
            codes, cweights = CLIENTELES[family]
            first = rng.choices(codes, cweights)[0]
            plan.building_clienteles.append((building, first))
            if first != "handicap" and rng.random() < 0.1:
                plan.building_clienteles.append((building, "handicap"))
        provider.building_count = len(buildings)
        provider.unit_count = sum(b.total_units for b in buildings)
        provider.search_key = search_key(provider, buildings)
        plan.providers.append(provider)
        plan.buildings += buildings


def search_key(provider: HousingProvider, buildings) -> str:
    """The same text as ``provider_refresh`` builds (buildings in their default order)."""
    muni = provider.municipality
    parts = [provider.name, provider.address, muni.name, muni.mrc.name, muni.mrc.territory.name]
    for b in sorted(buildings, key=lambda b: b.address):
        parts += [b.name, b.address, b.postal_code, b.municipality.name]
    return " | ".join(fold(p) for p in parts if p)


def plan_region(code: str, scale: str = "province", seed: int = 12) -> RegionPlan:
    """One region's unsaved rows; the same whichever scale includes that region."""
    shape = SCALES[scale]
    pools = {
        "municipalities": municipality_pool(seed),
        "mrcs": mrc_pool(seed),
        "territories": territory_pool(seed),
    }
    planner = _RegionPlanner(code, shape, seed, pools)
    planner.geography()
    planner.providers()
    return planner.plan


def shapes(scale: str, own: dict) -> tuple:
    """The province's shape at ``scale`` and a generator's own (``own[scale]``); an unknown
    scale is a ValueError naming the choices."""
    if scale not in own:
        raise ValueError(f"unknown scale {scale!r} (choices: {', '.join(own)})")
    return SCALES[scale], own[scale]


def plan(scale: str, seed: int = 12) -> list[RegionPlan]:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (choices: {', '.join(SCALES)})")
    return [plan_region(code, scale, seed) for code in SCALES[scale].regions]


# ----------------------------------------------------------------------------- writing


class NotEmptyError(RuntimeError):
    pass


def generate_province(scale: str, seed: int = 12) -> dict:
    """Fill an empty database with synthetic regions and directory; return counts and seconds."""
    started = time.perf_counter()
    if Region.objects.exists() or HousingProvider.objects.exists():
        raise NotEmptyError("synthetic data goes into an empty database (regions already exist)")
    plans = plan(scale, seed)
    planned = time.perf_counter()
    clienteles = {c.code: c for c in Clientele.objects.all()}
    missing = {code for p in plans for _b, code in p.building_clienteles} - set(clienteles)
    if missing:
        raise RuntimeError(f"clienteles missing (migrations not applied?): {sorted(missing)}")

    def rows(attr):
        return [row for p in plans for row in getattr(p, attr)]

    through = Building.clienteles.through
    with transaction.atomic():
        Region.objects.bulk_create([p.region for p in plans], batch_size=BATCH_SIZE)
        Territory.objects.bulk_create(rows("territories"), batch_size=BATCH_SIZE)
        Mrc.objects.bulk_create(rows("mrcs"), batch_size=BATCH_SIZE)
        Municipality.objects.bulk_create(rows("municipalities"), batch_size=BATCH_SIZE)
        HousingProvider.objects.bulk_create(rows("providers"), batch_size=BATCH_SIZE)
        buildings = Building.objects.bulk_create(rows("buildings"), batch_size=BATCH_SIZE)
        if any(b.pk is None for b in buildings):  # a backend that does not return keys
            raise RuntimeError("bulk_create did not return the buildings' primary keys")
        links = [
            through(building_id=b.pk, clientele_id=clienteles[code].pk)
            for b, code in rows("building_clienteles")
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would gather them soon after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    providers = rows("providers")
    kinds: dict[str, int] = {}
    for p in providers:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    return {
        "scale": scale,
        "seed": seed,
        "version": GENERATOR_VERSION,
        "regions": len(plans),
        "territories": len(rows("territories")),
        "mrcs": len(rows("mrcs")),
        "municipalities": len(rows("municipalities")),
        "providers": len(providers),
        "providers_by_kind": dict(sorted(kinds.items())),
        "buildings": len(buildings),
        "units": sum(b.total_units for b in buildings),
        "building_clienteles": len(links),
        "plan_seconds": round(planned - started, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }
