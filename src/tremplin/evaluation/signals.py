"""Mark a group's stored values stale when a record it counts is written.

The mark is set after commit (a rolled-back write changes nothing). ``bulk_create`` and
``QuerySet.update`` send no signals: code that writes counted records that way (the demo
loader, the synthetic generator) calls ``engine.refresh`` or ``engine.mark_changed`` itself.
"""

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import catalogue

_RECEIVERS = []


def _receiver(group_ids: tuple[str, ...]):
    def receiver(sender, **kwargs):
        from .engine import mark_changed

        if kwargs.get("raw"):
            return
        for group_id in group_ids:
            transaction.on_commit(partial(mark_changed, group_id))

    return receiver


def connect() -> None:
    catalogue.all_indicators()
    by_model: dict[str, list[str]] = {}
    for group in catalogue.GROUPS.values():
        for label in group.sources:
            by_model.setdefault(label, []).append(group.id)
    for label, group_ids in by_model.items():
        model = apps.get_model(label)
        receiver = _receiver(tuple(group_ids))
        _RECEIVERS.append(receiver)  # signals keep weak references
        post_save.connect(receiver, sender=model, dispatch_uid=f"evaluation-{label}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"evaluation-{label}-delete")
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                receiver,
                sender=m2m.remote_field.through,
                dispatch_uid=f"evaluation-{label}-{m2m.name}",
            )
