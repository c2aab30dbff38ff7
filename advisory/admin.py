from django.contrib import admin

from advisory.models import ConsultationSeries, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "area", "position", "is_active"]
    list_filter = ["area", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ConsultationSeries)
class ConsultationSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_public", "booking_limit", "erase_description_after_days", "offer_hours"]
    prepopulated_fields = {"slug": ["name"]}
