"""``GET /sante/``: the health check for the proxy, the load balancer and the monitoring.

Anonymous callers (the load balancer) get the checks' numbers only; the coordination also gets
the versions of the components. Never cached; no session is needed or created.
"""

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from . import health as checks


def _shows_versions(request) -> bool:
    from tremplin.accounts.models import Membership
    from tremplin.accounts.roles import Role

    user = request.user
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, role=Role.COORDINATION).exists()
    )


@require_safe
def health(request):
    body, status = checks.report()
    # Only with a working database can the user be known (the session lives there).
    if status == 200 and _shows_versions(request):
        body["versions"] = checks.versions()
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response
