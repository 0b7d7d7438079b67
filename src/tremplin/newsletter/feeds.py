"""Atom feed of the public site: published stories and newsletter editions, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import sanitize, selectors
from .emails import edition_label
from .models import Edition, Story

ITEMS = 20


class PublicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        # The feed's "object" is the visitor: selectors take the user (one Feed serves all).
        return request.user

    def title(self):
        return _("Tremplin — histoires de projets et infolettre")

    def subtitle(self):
        return _("Soutien communautaire en logement social et communautaire, Chaudière-Appalaches.")

    def link(self):
        return reverse("core:home")

    def feed_url(self):
        return reverse("newsletter:feed")

    def items(self, user):
        stories = list(selectors.published_stories(user)[:ITEMS])
        editions = list(selectors.public_editions(user)[:ITEMS])
        items = stories + editions
        items.sort(key=self._date, reverse=True)
        return items[:ITEMS]

    @staticmethod
    def _date(item):
        return item.published_at

    def item_title(self, item):
        if isinstance(item, Edition):
            return f"{item.display_title} — {edition_label(item)}"
        return item.display_title

    def item_description(self, item):
        if isinstance(item, Story):
            return sanitize.excerpt(sanitize.clean_html(item.display_body), 400)
        return edition_label(item)

    def item_link(self, item):
        if isinstance(item, Edition):
            return reverse("newsletter:edition-public", args=[item.number])
        return reverse("newsletter:story-detail", args=[item.public_id])

    def item_guid(self, item):
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at if isinstance(item, Story) else item.published_at
