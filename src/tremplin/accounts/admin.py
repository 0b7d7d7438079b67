from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: F401 - registers it
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership

User = get_user_model()

# django-otp's device admin shows every secret key and QR code: with it, whoever runs the admin
# could produce anyone's codes. Devices are only ever reset (the action below), never viewed.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class MembershipInline(admin.StackedInline):
    model = Membership
    fk_name = "user"
    can_delete = False
    filter_horizontal = ["territories"]


admin.site.unregister(User)


@admin.register(User)
class TremplinUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "two_factor",
        "is_active",
    ]
    list_select_related = ["membership"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed))

    @admin.display(description="rôle")
    def role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "–"

    @admin.display(description=_("double authentification"), boolean=True)
    def two_factor(self, obj):
        membership = getattr(obj, "membership", None)
        if membership is None or not membership.requires_two_factor:
            return None  # not required for the role
        return obj.has_two_factor

    @admin.action(
        description=_("Réinitialiser la double authentification (téléphone perdu ou remplacé)"),
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset):
        from .services import two_factor_reset

        users = list(queryset)
        for user in users:
            two_factor_reset(user=request.user, target=user, request=request)
        self.message_user(
            request,
            ngettext(
                "Double authentification réinitialisée pour %(users)s : une nouvelle application "
                "sera configurée à la prochaine connexion.",
                "Double authentification réinitialisée pour %(users)s : une nouvelle application "
                "sera configurée à la prochaine connexion de chacun.",
                len(users),
            )
            % {"users": ", ".join(u.get_username() for u in users)},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Keep the role's group and the staff flag in step with the membership edited inline.
        from .services import membership_set

        user = form.instance
        membership = Membership.objects.filter(user=user).first()
        if membership is not None:
            membership_set(
                user=user,
                role=membership.role,
                territories=list(membership.territories.all()),
                organization=membership.organization,
                supervisor=membership.supervisor,
                request=request,
            )
