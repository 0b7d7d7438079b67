"""French first: the interface is in French unless the person chose another language."""

from django.conf import settings
from django.dispatch import Signal
from django.utils import translation
from django.utils.cache import patch_vary_headers

# A signed-in user's stored language, put in their session at sign-in (and in every session of
# theirs when they choose one) by the accounts app: it wins over the cookie.
LANGUAGE_SESSION_KEY = "_tremplin_language"

# Sent when a signed-in user switched language with the language switch (``set_language``),
# with ``request`` and ``language``: the accounts app keeps it as their preference.
language_chosen = Signal()


class FrenchFirstLocaleMiddleware:
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Québec's public bodies serve in French by default (Charter of the French language);
    English is a choice the person makes with the language switch, kept in a cookie. For a
    signed-in user, the language stored on their account comes first, and the cookie is set to
    it, so that every browser they sign in with speaks the language they chose once.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        stored = self.stored(request)
        if stored:
            language = stored
        else:
            language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        self.follow_preference(request, response, chosen)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response

    def stored(self, request) -> str | None:
        session = getattr(request, "session", None)
        value = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
        return value if value in self.supported else None

    def follow_preference(self, request, response, chosen) -> None:
        """A signed-in user's switch becomes their preference; otherwise the cookie follows
        the preference (set at sign-in or from the profile page)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        stored = self.stored(request)
        switched = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if switched is not None and switched.value in self.supported:
            if switched.value != stored:
                language_chosen.send(
                    sender=self.__class__, request=request, language=switched.value
                )
        elif stored and stored != chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                stored,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
