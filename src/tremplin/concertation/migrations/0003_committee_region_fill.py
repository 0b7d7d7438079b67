"""Give every existing committee its region (``Committee.region``, added by 0002).

- an ÉLÉ: the region of its local team;
- another committee listing territories: their region (territories of several regions: the
  region of most of them, then the lowest region code);
- a committee listing none (the partners' committee, a management committee): the only region
  in the database or, with several, the one with the most territories (then the lowest code)
  — the program's own region.

With no region at all in the database, the committees are left without one (the forms then ask
for it). Reversing leaves the column as it is (0002's reversal drops it).
"""

from collections import Counter

from django.db import migrations


def _pick(counter: Counter, codes: dict) -> int | None:
    if not counter:
        return None
    return min(counter, key=lambda pk: (-counter[pk], codes.get(pk, ""), pk))


def fill_regions(apps, schema_editor):
    Committee = apps.get_model("concertation", "Committee")
    Region = apps.get_model("territories", "Region")
    Territory = apps.get_model("territories", "Territory")
    codes = dict(Region.objects.values_list("pk", "code"))
    if not codes:
        return
    program = _pick(
        Counter(
            {
                pk: Territory.objects.filter(region_id=pk).count()
                for pk in codes
            }
        ),
        codes,
    )
    through = Committee.territories.through
    for committee in Committee.objects.filter(region__isnull=True).select_related("local_team"):
        region = None
        if committee.local_team_id:
            region = committee.local_team.region_id
        else:
            listed = Counter(
                through.objects.filter(committee_id=committee.pk).values_list(
                    "territory__region_id", flat=True
                )
            )
            region = _pick(listed, codes)
        Committee.objects.filter(pk=committee.pk).update(region_id=region or program)


class Migration(migrations.Migration):
    dependencies = [
        ("concertation", "0002_committee_region_meeting_cancelled"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill_regions, migrations.RunPython.noop)]
