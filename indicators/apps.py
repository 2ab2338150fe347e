from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    default = True  # this module also holds the configuration of django-axes below
    name = "indicators"
    verbose_name = _("Indicators and progress")

    def ready(self):
        from indicators.domain import data_version

        data_version.connect()


class LoginProtectionConfig(AxesConfig):
    """django-axes under a name the administrators read."""

    verbose_name = _("Login protection")
