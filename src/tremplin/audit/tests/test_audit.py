import pytest
from django.db import DatabaseError, connection, transaction

from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action


def test_it_records_who_did_what_to_which_record(personas, world):
    entry = log_action(world["omh_a"], "housing.provider.update", user=personas["coordination"])
    assert entry.username == "coordination"
    assert entry.object_type == "housing.housingprovider"
    assert entry.object_id == str(world["omh_a"].public_id)


def test_it_refuses_to_change_or_delete_an_entry_through_the_application(personas, world):
    entry = log_action(world["omh_a"], "x", user=personas["coordination"])
    entry.action = "y"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (run with DATABASE_URL)"
)
def test_it_refuses_update_and_delete_in_postgresql_itself(personas, world):
    entry = log_action(world["omh_a"], "x", user=personas["coordination"])
    for sql in ("UPDATE audit_auditentry SET action = 'forged'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).action == "x"
