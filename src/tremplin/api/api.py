"""The REST API (django-ninja, OpenAPI 3.1), mounted at ``/api/v1/``.

Every operation is guarded by ``auth.scoped``; reads go through the owning apps' selectors,
writes through their services. Responses to GET carry an ``ETag``; ``If-None-Match`` with it
answers 304 without a body.
"""

import hashlib

from django.http import HttpResponseNotModified
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from . import problems
from .auth import TokenAuth


class TremplinAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            sent = request.headers.get("If-None-Match", "")
            if etag in [t.strip().removeprefix("W/") for t in sent.split(",")]:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                return not_modified
        if getattr(request, "api_token", None) is not None:
            # Data of a signed-in caller: never in a shared cache (validation by ETag still works).
            response["Cache-Control"] = "private, no-cache"
        return response


api = TremplinAPI(
    title="Tremplin API",
    version="1",
    description=(
        "API de Tremplin : les mêmes règles d'accès que les pages. Jeton personnel "
        "(« Mon compte » → Jetons d'accès) dans l'en-tête `Authorization: Bearer trp_…`. "
        "Erreurs : RFC 9457 (problem+json), en français, ou en anglais avec "
        "`Accept-Language: en`. Listes : pagination par curseur (`next_cursor`) et "
        "`updated_since`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)


def _mount():
    from .routers import (
        casework,
        community,
        concertation,
        events,
        housing,
        indicators,
        partners,
        projects,
        public,
        surveys,
        territories,
    )

    api.add_router("/territories", territories.router, tags=["Territoires"])
    api.add_router("/directory", housing.router, tags=["Répertoire"])
    api.add_router("/funding", partners.router, tags=["Financement"])
    api.add_router("/projects", projects.router, tags=["Projets"])
    api.add_router("/community", community.router, tags=["Projets"])
    api.add_router("/concertation", concertation.router, tags=["Concertation"])
    api.add_router("/events", events.router, tags=["Événements"])
    api.add_router("/surveys", surveys.router, tags=["Enquêtes"])
    api.add_router("/indicators", indicators.router, tags=["Indicateurs"])
    api.add_router("/casework", casework.router, tags=["Suivis individuels"])
    api.add_router("/public", public.router, tags=["Public"])


_mount()
