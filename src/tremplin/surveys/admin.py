"""Admin views of surveys for the coordination: read-mostly (answers are changed only through
the application, which keeps the summaries and the audit journal)."""

from django.contrib import admin

from .models import Campaign, CampaignSite, Questionnaire, QuestionnaireVersion


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ("number", "title_fr", "frozen_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "created_by", "is_demo")
    search_fields = ("title",)
    inlines = [VersionInline]


class SiteInline(admin.TabularInline):
    model = CampaignSite
    fields = ("label", "code", "goal", "response_count")
    readonly_fields = ("label", "code", "response_count")
    extra = 0
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "opens_on", "closes_on", "response_count", "is_demo")
    readonly_fields = ("version", "response_count")
    search_fields = ("title",)
    inlines = [SiteInline]
