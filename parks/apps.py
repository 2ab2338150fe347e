from django.apps import AppConfig


class ParksConfig(AppConfig):
    name = "parks"
    verbose_name = "属地与园区"
