"""Reads of the import history, given the user: each person sees their own imports, of the
entities they may still import."""

from django.http import Http404

from .models import ImportRecord
from .registry import available


def entities_for_user(user) -> dict[str, type]:
    """The importers this user may use (same permissions as the pages editing those records)."""
    return {e: cls for e, cls in available().items() if cls.can_import(user)}


def records_for_user(user):
    entities = list(entities_for_user(user))
    return ImportRecord.objects.filter(user=user, entity__in=entities).defer("content")


def get_record_for_user(user, public_id) -> ImportRecord:
    try:
        return records_for_user(user).get(public_id=public_id)
    except ImportRecord.DoesNotExist:
        raise Http404 from None
