from django.contrib import admin

from indicators.admin import TargetInline
from parks.models import Locality, Park


class ParkInline(admin.TabularInline):
    model = Park
    fk_name = "managed_by"
    extra = 0
    fields = ["number", "name", "level", "area_ha", "firm_count", "industry"]
    show_change_link = True


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "type"]
    search_fields = ["name"]
    exclude = ["kind"]
    inlines = [ParkInline, TargetInline]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "number",
        "name",
        "managed_by",
        "level",
        "area_ha",
        "firm_count",
        "industry",
    ]
    list_filter = ["level", "managed_by"]
    search_fields = ["name", "industry", "representative_firms"]
    exclude = ["kind"]
    inlines = [TargetInline]
