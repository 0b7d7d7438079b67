from django.contrib import admin

from .models import ActionItem, Committee, CommitteeMembership, Meeting


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "start_date", "end_date", "is_demo")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ("person_name", "committee", "role", "start_date", "end_date")
    list_filter = ("role", "organization_kind")
    search_fields = ("person_name",)
    raw_id_fields = ("committee", "user", "partner", "provider", "association")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("committee", "date", "start_time", "place")
    raw_id_fields = ("committee",)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("description", "due_date", "status", "closed_on")
    list_filter = ("status",)
    raw_id_fields = ("meeting", "owner")
