from django import template

from .. import scopes as scope_list
from .. import selectors
from ..forms import TokenForm

register = template.Library()


@register.inclusion_tag("api/profile_tokens.html", takes_context=True)
def token_section(context):
    """The « Jetons d'accès » section of the profile page."""
    user = context["request"].user
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "tokens": list(selectors.tokens_of(user)[:50]),
        "form": TokenForm(user=user),
        "has_scopes": bool(scope_list.allowed_scopes(user)),
        "casework_without_device": _casework_without_device(user),
        "can_see_all": selectors.can_see_token_use(user),
    }


def _casework_without_device(user) -> bool:
    from tremplin.casework.permissions import is_caseworker

    return is_caseworker(user) and not scope_list.is_allowed(user, "casework:read")
