"""Mark a group's stored values stale when a record it counts is written.

The mark is set after commit (a rolled-back write changes nothing), for the periods the
record's dates fall in (``Group.dates``: before and after the write, so a record moved from
one year to another makes both stale) and for the record's model, so that only the
indicators reading that model are recomputed (``engine.refresh``). A model without dates, a
reverse many-to-many change or a record without a date marks every period.
``bulk_create`` and ``QuerySet.update`` send no signals: code that writes counted records
that way (the demo loader, the synthetic generator) calls ``engine.refresh`` or
``engine.mark_changed`` itself.
"""

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import catalogue

_RECEIVERS = []
_OLD = "_evaluation_old_periods"


def _value(instance, lookup: str):
    """An ORM lookup (``stop__starts_at``) read on an instance, or None."""
    value = instance
    for name in lookup.split("__"):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _periods(instance, fields: tuple[str, ...]) -> set[str] | None:
    from .engine import periods_of

    values = [_value(instance, f) for f in fields]
    return periods_of(values[0], values[1] if len(values) > 1 else None, span=len(values) > 1)


def _union(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    return None if a is None or b is None else a | b


def _old_periods(sender, instance, dated, **kwargs):
    """Before an update of a dated model: the periods of the stored row's dates."""
    if kwargs.get("raw") or instance._state.adding or instance.pk is None:
        return
    old = {}
    for group_id, fields in dated:
        if group_id not in old:
            row = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
            if row is None:
                continue
            values = [row[f] for f in fields]
            from .engine import periods_of

            old[group_id] = periods_of(
                values[0], values[1] if len(values) > 1 else None, span=len(values) > 1
            )
    setattr(instance, _OLD, old)


def _receiver(label: str, group_ids: tuple[str, ...]):
    model = apps.get_model(label)

    def receiver(sender, instance=None, **kwargs):
        from .engine import mark_changed

        if kwargs.get("raw"):
            return
        action = kwargs.get("action")
        if action is not None and not action.startswith("post_"):
            return  # m2m_changed: once, after the change
        foreign = action is not None and (kwargs.get("reverse") or not isinstance(instance, model))
        old = getattr(instance, _OLD, {}) if instance is not None else {}
        for group_id in group_ids:
            fields = catalogue.GROUPS[group_id].dates.get(label)
            periods = None
            if fields and instance is not None and not foreign:
                periods = _periods(instance, fields)
                if group_id in old:
                    periods = _union(periods, old[group_id])
            transaction.on_commit(partial(mark_changed, group_id, periods, label))

    return receiver


def connect() -> None:
    catalogue.all_indicators()
    by_model: dict[str, list[str]] = {}
    for group in catalogue.GROUPS.values():
        for label in group.sources:
            by_model.setdefault(label, []).append(group.id)
    for label, group_ids in by_model.items():
        model = apps.get_model(label)
        receiver = _receiver(label, tuple(group_ids))
        _RECEIVERS.append(receiver)  # signals keep weak references
        post_save.connect(receiver, sender=model, dispatch_uid=f"evaluation-{label}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"evaluation-{label}-delete")
        dated = tuple(
            (g, catalogue.GROUPS[g].dates[label])
            for g in group_ids
            if label in catalogue.GROUPS[g].dates
        )
        if dated:
            before = partial(_old_periods, dated=dated)
            _RECEIVERS.append(before)
            pre_save.connect(before, sender=model, dispatch_uid=f"evaluation-{label}-old")
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                receiver,
                sender=m2m.remote_field.through,
                dispatch_uid=f"evaluation-{label}-{m2m.name}",
            )
