from django.contrib import admin

from .models import Event, EventStop


class EventStopInline(admin.TabularInline):
    model = EventStop
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    # Registrations hold personal information: they are managed in the application only.
    list_display = ["title", "kind", "scope", "status", "starts_at", "is_demo"]
    list_filter = ["kind", "scope", "status", "is_demo"]
    search_fields = ["title"]
    filter_horizontal = ["staff"]
    inlines = [EventStopInline]
