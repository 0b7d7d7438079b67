from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tremplin.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib import admin

        from . import signals  # noqa: F401

        def has_permission(request):
            membership = getattr(request.user, "membership", None)
            return bool(
                request.user.is_active
                and request.user.is_staff
                and membership is not None
                and membership.can_use_admin
            )

        # The Django admin is for the coordination role only, whatever is_staff says.
        admin.site.has_permission = has_permission
