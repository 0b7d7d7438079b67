"""Role groups after every migrate; open sessions and the language at sign-in and sign-out."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from tremplin.core.middleware import language_chosen

from .roles import GROUP_PERMISSIONS
from .services import language_apply, language_set, user_session_forget, user_session_start


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


@receiver(user_logged_in)
def session_signed_in(sender, request, user, **kwargs):
    if request is None or getattr(request, "session", None) is None:
        return
    user_session_start(request=request, user=user)
    language_apply(request=request, user=user)


@receiver(user_logged_out)
def session_signed_out(sender, request, user, **kwargs):
    if request is not None:
        user_session_forget(request=request)


@receiver(language_chosen)
def language_switched(sender, request, language, **kwargs):
    """The language switch of a signed-in user: their choice for every session."""
    language_set(user=request.user, language=language, request=request)
