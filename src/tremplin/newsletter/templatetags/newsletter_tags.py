"""Template helpers of the public site and the newsletter."""

from django import template
from django.utils.safestring import mark_safe

from tremplin.newsletter import sanitize, selectors
from tremplin.newsletter.emails import edition_label as _edition_label

register = template.Library()


@register.filter
def sanitized(value):
    """Stored rich text, sanitized again on the way out (defense in depth), as safe HTML."""
    return mark_safe(sanitize.clean_html(value))  # noqa: S308 - nh3 output


@register.filter
def excerpt(value, length=280):
    return sanitize.excerpt(sanitize.clean_html(value), int(length))


@register.filter
def edition_label(edition):
    return _edition_label(edition)


@register.simple_tag
def public_events_url():
    """The events app's public list, when it has one."""
    return selectors.events_page_url()
