"""Template filters of the committee pages: meeting times in Québec usage (``13 h 30``)."""

from django import template

from tremplin.concertation import documents

register = template.Library()


@register.filter
def time_label(value):
    return documents.time_label(value)
