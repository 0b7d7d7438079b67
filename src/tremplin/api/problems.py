"""Errors as RFC 9457 problem details (``application/problem+json``), French unless the caller
sends ``Accept-Language: en``; and the exceptions the operations raise."""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from tremplin.casework.selectors import BulkReadBlockedError

PROBLEM_TYPE = "https://tremplin.example/api/problemes/"


class ProblemError(HttpError):
    """An error answered with a problem document of its own: its ``status``, ``code`` (the end
    of its type), ``title`` and ``detail`` (French source strings, translated for the caller,
    the detail filled with the constructor's arguments, named by ``fields``), any ``extra()``
    member of the document and ``headers()``."""

    status = 500
    code = "erreur"
    title = ""
    detail = ""
    fields: tuple[str, ...] = ()

    def __init__(self, *args):
        self.values = dict(zip(self.fields, args, strict=True))
        super().__init__(self.status, self.code)

    def extra(self) -> dict:
        return {}

    def headers(self) -> dict:
        return {}

    def answer(self, request) -> HttpResponse:
        return translated_problem(
            request,
            self.status,
            self.code,
            self.title,
            self.detail,
            self.values,
            headers=self.headers(),
            **self.extra(),
        )


class MissingScopeError(ProblemError):
    status, code, fields = 403, "portee", ("scope",)
    title = gettext_noop("Portée manquante")
    detail = gettext_noop("Ce jeton n'a pas la portée « %(scope)s ».")

    def extra(self) -> dict:
        return {"scope": self.values["scope"]}


class RateLimitedError(ProblemError):
    status, code, fields = 429, "limite", ("s",)
    title = gettext_noop("Trop de requêtes")
    detail = gettext_noop("Limite de requêtes atteinte : réessayez dans %(s)d secondes.")

    def __init__(self, wait: int | None):
        super().__init__(wait or 60)

    def headers(self) -> dict:
        return {"Retry-After": str(int(self.values["s"]))}


class BodyTooLargeError(ProblemError):
    status, code, fields = 413, "trop-gros", ("n",)
    title = gettext_noop("Requête trop volumineuse")
    detail = gettext_noop("Le corps de la requête dépasse %(n)d octets.")


class BadCursorError(ProblemError):
    status, code = 400, "curseur"
    title = gettext_noop("Curseur invalide")
    detail = gettext_noop(
        "Ce curseur de page n'a pas été donné par Tremplin pour cette liste : "
        "reprenez depuis la première page."
    )


class IdempotencyConflictError(ProblemError):
    status, code = 422, "idempotence"
    title = gettext_noop("Clé d'idempotence déjà utilisée")
    detail = gettext_noop(
        "Cette clé a déjà servi pour une autre requête : une nouvelle écriture "
        "demande une nouvelle clé."
    )


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


def translated_problem(
    request, status: int, code: str, title, detail, values=None, *, headers=None, **extra
) -> HttpResponse:
    """``problem`` with a title and a detail given as French source strings, translated into
    the caller's language (the detail filled with ``values``), and these response headers."""
    with translation.override(language_of(request)):
        title = _(title)
        detail = _(detail) % values if values else _(detail)
    response = problem(request, status, code, title, detail, **extra)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


def install(api) -> None:
    """Replace django-ninja's default handlers by problem documents."""

    def not_found(request, exc):
        return translated_problem(
            request,
            404,
            "introuvable",
            gettext_noop("Introuvable"),
            gettext_noop("Cet objet n'existe pas ou n'est pas dans votre accès."),
        )

    def http_error(request, exc):
        if isinstance(exc, AuthenticationError):
            return translated_problem(
                request,
                401,
                "jeton",
                gettext_noop("Jeton requis"),
                gettext_noop(
                    "Envoyez un jeton d'accès valide : « Authorization: Bearer trp_… ». Un jeton "
                    "expiré ou révoqué ne l'est plus."
                ),
                headers={"WWW-Authenticate": 'Bearer realm="tremplin"'},
            )
        if isinstance(exc, Throttled):
            exc = RateLimitedError(getattr(exc, "wait", None))
        if isinstance(exc, ProblemError):
            return exc.answer(request)
        if exc.status_code == 400:  # django-ninja: a body that is not JSON
            return translated_problem(
                request,
                400,
                "json",
                gettext_noop("Corps illisible"),
                gettext_noop("Le corps de la requête n'est pas du JSON valide."),
            )
        return problem(request, exc.status_code, "erreur", str(exc))

    def invalid(request, exc):
        errors = [
            {"field": _field(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors
        ]
        return translated_problem(
            request,
            422,
            "donnees",
            gettext_noop("Données invalides"),
            gettext_noop("Vérifiez les champs signalés : rien n'a été enregistré."),
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
        with translation.override(language_of(request)):
            title = _("Données invalides")
        return problem(
            request, 422, "donnees", title, " ".join(e["message"] for e in errors), errors=errors
        )

    def forbidden(request, exc):
        return not_found(request, exc)

    def bulk(request, exc):
        return translated_problem(
            request,
            429,
            "lecture-en-masse",
            gettext_noop("Trop de dossiers ouverts en une heure"),
            gettext_noop(
                "Plus de %(n)d dossiers différents en une heure : la lecture est bloquée et "
                "signalée. Votre superviseur·e ou la personne responsable de la protection "
                "des renseignements personnels peut lever la limite."
            ),
            {"n": exc.limit},
            headers={"Retry-After": "3600"},
        )

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(DjangoValidationError, refused)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(BulkReadBlockedError, bulk)
