from django.contrib import admin

from .models import LocalTeam, Mrc, Municipality, Region, Territory


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]


@admin.register(Mrc)
class MrcAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "territory"]
    list_filter = ["territory"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "mrc"]
    list_filter = ["mrc"]
    search_fields = ["name", "name_key"]


@admin.register(LocalTeam)
class LocalTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "is_fictitious"]
    filter_horizontal = ["municipalities"]
