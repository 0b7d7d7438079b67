"""A subscriber import is recorded once it is applied only: the check and its file are the
``imports`` app's (``ImportRecord``) since the newsletter's import became a user of the
tabular framework (#18). Spreadsheets checked but never imported, from before, go."""

from django.db import migrations


def forget_checked(apps, schema_editor):
    SubscriberImport = apps.get_model("newsletter", "SubscriberImport")
    SubscriberImport.objects.filter(status="checked").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_checked, migrations.RunPython.noop),
        migrations.RemoveField(model_name="subscriberimport", name="content"),
        migrations.RemoveField(model_name="subscriberimport", name="status"),
    ]
