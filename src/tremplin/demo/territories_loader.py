"""Load region 12 (Chaudière-Appalaches): its 2008 territories, MRCs, municipalities and the
seven ÉLÉ, from ``data/territories.json``.

Records are found again by their natural keys (Region.code, Territory.slug, Mrc.code,
Municipality.code, ÉLÉ name): a second run creates nothing and only resets them to the data.
"""

import datetime as dt
from collections import Counter

from tremplin.core.text import fold
from tremplin.territories.models import LocalTeam, Mrc, Municipality, Region, Territory

from .data import read_json


def load_territories(created: Counter):
    """Create or update region 12, its territories, MRCs and municipalities; returns
    (region, {slug: territory}, {municipality code: municipality})."""
    data = read_json("territories.json")
    region, was_created = Region.objects.get_or_create(
        code=data["region"]["code"], defaults={"name": data["region"]["name"]}
    )
    created["regions"] += was_created
    if region.name != data["region"]["name"]:
        region.name = data["region"]["name"]
        region.save(update_fields=["name"])

    territories = {}
    for spec in data["territories"]:
        territory, was_created = Territory.objects.update_or_create(
            slug=spec["slug"], defaults={"region": region, "name": spec["name"]}
        )
        created["territories"] += was_created
        territories[spec["slug"]] = territory

    wanted = {}  # code -> (mrc, name)
    for spec in data["mrcs"]:
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


def load_local_teams(region: Region, created: Counter) -> None:
    """The seven ÉLÉ (fictitious names), each with every municipality of its MRCs."""
    for spec in read_json("territories.json")["local_teams"]:
        team = LocalTeam.objects.filter(region=region, name=spec["name"]).first()
        if team is None:
            team = LocalTeam(region=region, name=spec["name"])
            created["local_teams"] += 1
        team.founded_on = dt.date.fromisoformat(spec["founded_on"])
        team.is_fictitious = True
        team.save()
        team.municipalities.set(Municipality.objects.filter(mrc__code__in=spec["mrcs"]))
