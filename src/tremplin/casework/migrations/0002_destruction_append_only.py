"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the destruction register.

The register proves what was destroyed at the end of retention (Law 25): like the audit
journal, once written it is never changed, whatever the application does.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION casework_destruction_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'casework_destructionrecord is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_destructionrecord_append_only
  BEFORE UPDATE OR DELETE ON casework_destructionrecord
  FOR EACH ROW EXECUTE FUNCTION casework_destruction_refuse_change();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS casework_destructionrecord_append_only ON casework_destructionrecord;
DROP FUNCTION IF EXISTS casework_destruction_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
