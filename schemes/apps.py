from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Kế hoạch và đề án khuyến công"

    def ready(self):
        from . import requests

        requests.register()
