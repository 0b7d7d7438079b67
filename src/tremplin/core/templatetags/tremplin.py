"""Template filters wrapping core.formatting; loaded as a builtin in every template."""

from django import template

from tremplin.core import formatting

register = template.Library()


@register.filter
def number(value, decimals=0):
    return formatting.number(value, int(decimals))


@register.filter
def money(value, decimals=0):
    return formatting.money(value, int(decimals))


@register.filter
def date_long(value):
    return formatting.date_long(value)


@register.filter
def date_iso(value):
    return formatting.date_iso(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (sorting, paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
