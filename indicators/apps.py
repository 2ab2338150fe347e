from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from indicators.spreadsheets import formats

# Here, when the apps are listed: the admin's discovery (before any app's ready()) imports
# django-import-export, which asks tablib about every spreadsheet format at once.
formats.load_when_used()


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
