from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    name = "khuyencong"
    verbose_name = "Danh mục chung"

    def ready(self):
        # Signal receivers: the access log and the idle clock start at each sign-in.
        from . import audit, security  # noqa: F401
