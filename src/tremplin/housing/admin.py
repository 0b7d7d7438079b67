from django.contrib import admin

from .models import Building, Clientele, Contact, HousingProvider


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(HousingProvider)
class HousingProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "building_count", "unit_count", "is_demo"]
    list_filter = ["kind", "is_demo", "municipality__mrc__territory"]
    search_fields = ["name", "search_key"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["managers"]
    inlines = [ContactInline]
    readonly_fields = ["public_id", "building_count", "unit_count"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "provider", "municipality", "total_units", "is_demo"]
    list_filter = ["program", "is_demo", "clienteles"]
    search_fields = ["address", "name", "provider__name"]
    autocomplete_fields = ["provider", "municipality"]
    readonly_fields = ["public_id", "total_units"]


@admin.register(Clientele)
class ClienteleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "position"]
