"""The routes every kind of object has, built from one convention instead of written again in
every app's ``urls.py``.

    urlpatterns = [
        *crud("", views, "committee"),
        *crud("rencontres/", views, "meeting", actions=("detail", "edit")),
    ]

gives ``committee-list`` at ``""`` (view ``views.committee_list``), ``committee-create`` at
``nouveau/``, ``committee-detail`` at ``<uuid:public_id>/`` and ``committee-edit`` at
``<uuid:public_id>/modifier/``, then ``meeting-detail`` and ``meeting-edit`` under
``rencontres/``. Routes that follow no convention stay written out.
"""

from __future__ import annotations

from django.urls import path

ONE = "<uuid:public_id>/"
ACTIONS = ("list", "create", "detail", "edit")


def crud(
    prefix: str,
    views,
    kind: str,
    *,
    actions=ACTIONS,
    new: str = "nouveau/",
    edit: str = "modifier/",
) -> list:
    """The routes of ``kind`` under ``prefix``, one for each of ``actions``: ``list``
    (``prefix``), ``create`` (``prefix + new``: « nouvelle/ » for a feminine noun),
    ``detail`` (one object by its public id), ``edit`` (``…/modifier/``, or ``edit``) and
    ``delete`` (``…/supprimer/``). Each is served by the view ``<kind>_<action>`` of
    ``views`` and named ``<kind>-<action>`` (``kind`` in snake case: ``follow_up`` →
    ``follow-up-list``)."""
    where = {
        "list": "",
        "create": new,
        "detail": ONE,
        "edit": ONE + edit,
        "delete": ONE + "supprimer/",
    }
    name = kind.replace("_", "-")
    return [
        path(prefix + where[action], getattr(views, f"{kind}_{action}"), name=f"{name}-{action}")
        for action in actions
    ]
