"""Errors as RFC 9457 problem details (``application/problem+json``), French unless the caller
sends ``Accept-Language: en``; and the exceptions the operations raise."""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from tremplin.casework.selectors import BulkReadBlockedError

PROBLEM_TYPE = "https://tremplin.example/api/problemes/"


class MissingScopeError(HttpError):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__(403, scope)


class RateLimitedError(HttpError):
    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(429, "rate")


class BodyTooLargeError(HttpError):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(413, "body")


class BadCursorError(HttpError):
    def __init__(self):
        super().__init__(400, "cursor")


class IdempotencyConflictError(HttpError):
    def __init__(self):
        super().__init__(422, "idempotency")


def language_of(request) -> str:
    """English when the caller asks for it first, French otherwise (the reference)."""
    header = (request.headers.get("Accept-Language") or "").strip().lower()
    return "en" if header.startswith("en") else "fr"


def problem(request, status: int, code: str, title, detail=None, **extra) -> HttpResponse:
    with translation.override(language_of(request)):
        body = {
            "type": PROBLEM_TYPE + code,
            "title": str(title),
            "status": status,
            "detail": str(detail if detail is not None else title),
            **{k: v for k, v in extra.items() if v is not None},
        }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type="application/problem+json; charset=utf-8",
    )
    response["Content-Language"] = language_of(request)
    return response


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


def _translated(request, callable_):
    with translation.override(language_of(request)):
        return callable_()


def install(api) -> None:
    """Replace django-ninja's default handlers by problem documents."""

    def not_found(request, exc):
        return problem(
            request,
            404,
            "introuvable",
            _translated(request, lambda: _("Introuvable")),
            _translated(
                request, lambda: _("Cet objet n'existe pas ou n'est pas dans votre accès.")
            ),
        )

    def unauthenticated(request, exc):
        response = problem(
            request,
            401,
            "jeton",
            _translated(request, lambda: _("Jeton requis")),
            _translated(
                request,
                lambda: _(
                    "Envoyez un jeton d'accès valide : « Authorization: Bearer trp_… ». Un jeton "
                    "expiré ou révoqué ne l'est plus."
                ),
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="tremplin"'
        return response

    def http_error(request, exc):
        if isinstance(exc, AuthenticationError):
            return unauthenticated(request, exc)
        if isinstance(exc, MissingScopeError):
            return problem(
                request,
                403,
                "portee",
                _translated(request, lambda: _("Portée manquante")),
                _translated(
                    request,
                    lambda: _("Ce jeton n'a pas la portée « %(scope)s ».") % {"scope": exc.scope},
                ),
                scope=exc.scope,
            )
        if isinstance(exc, (RateLimitedError, Throttled)):
            wait = getattr(exc, "wait", None) or 60
            response = problem(
                request,
                429,
                "limite",
                _translated(request, lambda: _("Trop de requêtes")),
                _translated(
                    request,
                    lambda: (
                        _("Limite de requêtes atteinte : réessayez dans %(s)d secondes.")
                        % {"s": wait}
                    ),
                ),
            )
            response["Retry-After"] = str(int(wait))
            return response
        if isinstance(exc, BodyTooLargeError):
            return problem(
                request,
                413,
                "trop-gros",
                _translated(request, lambda: _("Requête trop volumineuse")),
                _translated(
                    request,
                    lambda: _("Le corps de la requête dépasse %(n)d octets.") % {"n": exc.limit},
                ),
            )
        if isinstance(exc, BadCursorError):
            return problem(
                request,
                400,
                "curseur",
                _translated(request, lambda: _("Curseur invalide")),
                _translated(
                    request,
                    lambda: _(
                        "Ce curseur de page n'a pas été donné par Tremplin pour cette liste : "
                        "reprenez depuis la première page."
                    ),
                ),
            )
        if isinstance(exc, IdempotencyConflictError):
            return problem(
                request,
                422,
                "idempotence",
                _translated(request, lambda: _("Clé d'idempotence déjà utilisée")),
                _translated(
                    request,
                    lambda: _(
                        "Cette clé a déjà servi pour une autre requête : une nouvelle écriture "
                        "demande une nouvelle clé."
                    ),
                ),
            )
        if exc.status_code == 400:  # django-ninja: a body that is not JSON
            return problem(
                request,
                400,
                "json",
                _translated(request, lambda: _("Corps illisible")),
                _translated(request, lambda: _("Le corps de la requête n'est pas du JSON valide.")),
            )
        return problem(request, exc.status_code, "erreur", str(exc))

    def invalid(request, exc):
        errors = [
            {"field": _field(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors
        ]
        return problem(
            request,
            422,
            "donnees",
            _translated(request, lambda: _("Données invalides")),
            _translated(
                request,
                lambda: _("Vérifiez les champs signalés : rien n'a été enregistré."),
            ),
            errors=errors,
        )

    def refused(request, exc):
        if hasattr(exc, "message_dict"):
            errors = [
                {"field": "" if f == "__all__" else f, "message": m}
                for f, messages in exc.message_dict.items()
                for m in messages
            ]
        else:
            errors = [{"field": "", "message": m} for m in exc.messages]
        return problem(
            request,
            422,
            "donnees",
            _translated(request, lambda: _("Données invalides")),
            " ".join(e["message"] for e in errors),
            errors=errors,
        )

    def forbidden(request, exc):
        return not_found(request, exc)

    def bulk(request, exc):
        response = problem(
            request,
            429,
            "lecture-en-masse",
            _translated(request, lambda: _("Trop de dossiers ouverts en une heure")),
            _translated(
                request,
                lambda: (
                    _(
                        "Plus de %(n)d dossiers différents en une heure : la lecture est bloquée et "
                        "signalée. Votre superviseur·e ou la personne responsable de la protection "
                        "des renseignements personnels peut lever la limite."
                    )
                    % {"n": exc.limit}
                ),
            ),
        )
        response["Retry-After"] = "3600"
        return response

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(DjangoValidationError, refused)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(BulkReadBlockedError, bulk)
