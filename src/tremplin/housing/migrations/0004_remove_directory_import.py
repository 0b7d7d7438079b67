"""The directory's own import history goes: imports are recorded by the ``imports`` app
(``ImportRecord``) since the directory became a user of the tabular framework (#18)."""

from django.db import migrations


def forget_content_type(apps, schema_editor):
    # Its content type and permission ("housing.import_directory", granted to no one now).
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="housing", model="directoryimport").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0003_directory_print"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.DeleteModel(name="DirectoryImport"),
        migrations.RunPython(forget_content_type, migrations.RunPython.noop),
    ]
