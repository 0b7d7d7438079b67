from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tremplin.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self):
        from . import schema

        pre_migrate.connect(schema.before_migrate, sender=self)
        post_migrate.connect(schema.after_migrate, sender=self)
