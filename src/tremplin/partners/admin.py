from django.contrib import admin

from .models import Agreement, Commitment, Disbursement, Partner, PartnerContact


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["users"]
    inlines = [PartnerContactInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["short_title", "start_date", "end_date", "status"]
    filter_horizontal = ["signatories"]
    prepopulated_fields = {"slug": ["short_title"]}


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    # Amounts are changed in the application, where their history is kept.
    list_display = ["partner", "purpose", "agreement", "kind", "initial_amount"]
    list_filter = ["agreement", "kind"]
    readonly_fields = ["initial_amount", "version"]


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    list_display = ["commitment", "date", "amount"]
    readonly_fields = ["amount"]
