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

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 (problem details), en français ou en anglais (Accept-Language).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "scope": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": ["string", "null"]},
                },
            },
        },
    },
}
ERRORS = {
    "400": "JSON illisible ou curseur invalide",
    "401": "Jeton absent, inconnu, expiré ou révoqué",
    "403": "Portée manquante",
    "404": "Introuvable ou hors de votre accès",
    "413": "Corps trop volumineux",
    "422": "Données invalides",
    "429": "Trop de requêtes (Retry-After)",
}


class Docs(Swagger):
    """django-ninja's Swagger UI (its bundled files), in our template: the page's language."""

    template = "api/swagger.html"


class TremplinAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated schema, with the problem documents every operation may answer
        (so that clients and schemathesis know them) and the 304 of conditional GETs."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for item in schema["paths"].values():
            for method, operation in item.items():
                if {"PublicAuth": []} in operation.get("security", []):
                    operation["security"] = [{}, {"PublicAuth": []}]  # a token is optional
                responses = operation.setdefault("responses", {})
                for code, text in ERRORS.items():
                    if code == "413" and method == "get":
                        continue
                    responses.setdefault(code, {"description": text, "content": problem})
                if method == "get":
                    responses.setdefault("304", {"description": "Inchangé (If-None-Match)"})
        return schema

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
    docs=Docs(settings={"persistAuthorization": False}),
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
