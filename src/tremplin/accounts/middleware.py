"""Personal pages are never cached; roles that read case files pass the second factor first;
each signed-in session's row (``UserSession``) follows its activity.

They run after django-otp's ``OTPMiddleware`` (which gives ``request.user.is_verified()``).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from .services import user_session_touch
from .two_factor import confirmed_device, is_verified, requires_two_factor

# Pages a signed-in user reaches before the second factor: to sign in or out, to pass or set up
# the second factor, to switch language; the health check (tremplin.operations) and static files.
EXEMPT_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:two-factor",
    "accounts:two-factor-setup",
    "set_language",
    "operations:health",
)


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user.

    Nothing shown to a signed-in person (case files above all) stays in the browser's cache or
    a shared proxy, where the next person on a shared computer could find it (issue #5, ASVS
    8.2.1). A response to a request that signed someone out is covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class TwoFactorMiddleware:
    """Sends a signed-in user whose role requires two-factor authentication, and who has not
    passed it in this session, to the code page (or to the set-up page the first time), from
    every URL but the exempt ones. htmx requests get an ``HX-Redirect`` instead of a redirect
    that htmx would follow and swap into the page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths = None

    def exempt_paths(self) -> frozenset[str]:
        # Reversed on first use: the URLconf is not loaded when middleware is built.
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in EXEMPT_URL_NAMES)
        return self._exempt_paths

    def is_exempt(self, path: str) -> bool:
        static = settings.STATIC_URL or ""
        if static.startswith("/") and path.startswith(static):
            return True
        return path in self.exempt_paths()

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and requires_two_factor(user)
            and not is_verified(user)
            and not self.is_exempt(request.path)
        ):
            return self.to_second_factor(request, user)
        return self.get_response(request)

    def to_second_factor(self, request, user):
        name = "accounts:two-factor" if confirmed_device(user) else "accounts:two-factor-setup"
        url = reverse(name)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = url
            return response
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


class UserSessionMiddleware:
    """After the view, refresh the current session's ``UserSession``: its key when it changed,
    its last activity at most once a minute (so most requests make no query), and a row for a
    session signed in before sessions were recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(request, "session", None) is not None
        ):
            user_session_touch(request=request)
        return response
