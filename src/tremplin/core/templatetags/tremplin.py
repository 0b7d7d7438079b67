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


@register.filter
def get_item(mapping, key):
    """``{{ row.top_ups|get_item:2009 }}``: a dictionary value in a template."""
    return mapping.get(key) if mapping else None


@register.filter
def section_top_up(section, year):
    """The top-up total of a funding section (or table) for one fiscal year."""
    return section.top_up(int(year))


@register.filter
def as_list(iterable):
    """Materialize an iterable once: ``{% for %}`` over a ModelChoiceIterator would otherwise
    run a COUNT query before the SELECT (and so would ``list()``, through ``__len__``)."""
    return [item for item in iterable]
