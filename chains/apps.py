from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "chains"
    verbose_name = _("industry chains")

    def ready(self):
        from chains.sheets import chain_sheet
        from indicators.domain import registry

        registry.register(
            registry.SubjectKind(
                kind="chain", order=10, list_url="chains:list", report_sheet=chain_sheet
            )
        )
