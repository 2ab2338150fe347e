from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default = True  # this module also holds the configuration of django-axes below
    name = "indicators"
    verbose_name = "指标与进度"


class LoginProtectionConfig(AxesConfig):
    """django-axes under a name the administrators read."""

    verbose_name = "登录保护"
