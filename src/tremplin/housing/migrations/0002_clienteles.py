from django.db import migrations

CLIENTELES = [
    ("aines", "Aînés", "Seniors"),
    ("familles", "Familles", "Families"),
    ("personnes-seules", "Personnes seules", "People living alone"),
    ("jeunes", "Jeunes (12–35 ans)", "Youth (12–35)"),
    ("handicap", "Personnes vivant avec un handicap", "People living with a disability"),
]


def forward(apps, schema_editor):
    Clientele = apps.get_model("housing", "Clientele")
    for position, (code, fr, en) in enumerate(CLIENTELES):
        Clientele.objects.update_or_create(
            code=code, defaults={"name_fr": fr, "name_en": en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
