from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Membership

User = get_user_model()


class MembershipInline(admin.StackedInline):
    model = Membership
    fk_name = "user"
    can_delete = False
    filter_horizontal = ["territories"]


admin.site.unregister(User)


@admin.register(User)
class TremplinUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "role", "is_active"]
    list_select_related = ["membership"]

    @admin.display(description="rôle")
    def role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "–"

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
            )
