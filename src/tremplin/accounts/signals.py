"""Create one group per role, with its model permissions, after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .roles import GROUP_PERMISSIONS


@receiver(post_migrate)
def sync_role_groups(sender, **kwargs):
    from django.apps import apps

    # Permissions of every app exist only once the last app has migrated. post_migrate is sent
    # only for apps that have a models module (the demo app, last in the list, has none).
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label != with_models[-1].label:
        return
    using = kwargs.get("using", "default")
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([perms[n] for n in names if n in perms])
