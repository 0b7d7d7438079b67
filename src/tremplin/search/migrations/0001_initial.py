"""The search index: tables, triggers and text search configurations (see ``schema.py``).

Every SQL statement on other apps' tables lives here, in the search app, so that those apps
keep their own migrations free of vendor-specific SQL.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from tremplin.search import schema

    schema.create(schema_editor.connection)


def backwards(apps, schema_editor):
    from tremplin.search import schema

    schema.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("territories", "0001_initial"),
        ("housing", "0003_directory_print"),
        ("projects", "0007_territory_names"),
        ("events", "0002_event_committee"),
        ("concertation", "0003_committee_region_fill"),
        ("partners", "0001_initial"),
        ("casework", "0004_bulk_read_lift"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
