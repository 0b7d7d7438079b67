"""The one entry point for writing the audit journal."""

from .models import AuditEntry


def log_action(
    obj, action: str, *, user=None, request=None, data: dict | None = None, subject=None
) -> AuditEntry:
    """Record that ``user`` did ``action`` (e.g. ``"housing.building.update"``) on ``obj``.

    ``subject`` is the person the record is about (a casework Person or its public id).
    ``data`` must never hold the content of case notes: only identifiers and field names.
    """
    if request is not None and user is None:
        user = request.user if request.user.is_authenticated else None
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR")
        # A call through the API says which access token made it (``tremplin.api``).
        token = getattr(request, "api_token", None)
        if token is not None:
            data = {**(data or {}), "api_token": token.prefix}
    return AuditEntry.objects.create(
        user=user,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "") or "")
        if obj is not None
        else "",
        # A record about a person is named by its type only: the journal is append-only and
        # outlives retention, so it must not keep the names that retention erases.
        object_repr=(str(obj)[:200] if obj is not None and not subject else ""),
        ip_address=ip,
        subject_id=str(getattr(subject, "public_id", subject) or "") if subject else "",
        data=data or {},
    )


def save_audited(
    obj,
    kind: str,
    *,
    verb: str | None = None,
    on=None,
    user=None,
    request=None,
    data: dict | None = None,
    subject=None,
    update_fields=None,
):
    """Validate ``obj`` (``full_clean()``), save it and log it; returns ``obj``.

    The action is ``<kind>.<verb>``, ``verb`` being by default ``create`` for an object not
    saved yet and ``update`` for one that was (``kind="housing.building"`` logs
    ``housing.building.create`` or ``housing.building.update``). The entry is on ``on``
    (default ``obj``: e.g. a meeting is logged on its committee); ``update_fields`` goes to
    ``save()``. The caller holds the transaction; a ``ValidationError`` leaves nothing saved
    or logged.
    """
    created = obj.pk is None
    obj.full_clean()
    obj.save(update_fields=update_fields)
    log_action(
        obj if on is None else on,
        f"{kind}.{verb or ('create' if created else 'update')}",
        user=user,
        request=request,
        data=data,
        subject=subject,
    )
    return obj
