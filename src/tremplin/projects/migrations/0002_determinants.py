from django.db import migrations

DETERMINANTS = [
    ("education", "Éducation", "Education"),
    ("preemployabilite", "Préemployabilité", "Pre-employability"),
    ("securite-alimentaire", "Sécurité alimentaire", "Food security"),
    ("inclusion-sociale", "Inclusion sociale", "Social inclusion"),
    ("acces-services", "Accès aux services", "Access to services"),
]


def forward(apps, schema_editor):
    Determinant = apps.get_model("projects", "Determinant")
    for position, (code, fr, en) in enumerate(DETERMINANTS):
        Determinant.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_en": en, "position": position})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
