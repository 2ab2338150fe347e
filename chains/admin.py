from django.contrib import admin

from chains.models import Chain
from indicators.admin import TargetInline


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "group", "leader", "responsible_unit", "doubling"]
    list_filter = ["group", "doubling"]
    search_fields = ["name", "leader", "responsible_unit", "leading_firms", "key_firms"]
    exclude = ["kind"]
    inlines = [TargetInline]
