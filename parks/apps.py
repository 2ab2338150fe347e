from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "parks"
    verbose_name = _("Localities and parks")

    def ready(self):
        from indicators.domain import registry
        from parks.models import Park
        from parks.sheets import locality_sheet, park_sheet

        registry.register(
            registry.SubjectKind(
                kind="locality",
                order=20,
                list_url="parks:localities",
                report_sheet=locality_sheet,
            )
        )
        registry.register(
            registry.SubjectKind(
                kind="park",
                order=30,
                list_url="parks:parks",
                report_sheet=park_sheet,
                # A locality's clerk also enters the figures of the parks it manages.
                manager_lookup="park__managed_by",
                attributes=Park.objects.attribute_values,
                managers=Park.objects.managers,
            )
        )
