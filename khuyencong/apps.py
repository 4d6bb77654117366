from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    name = "khuyencong"
    verbose_name = "Danh mục chung"

    def ready(self):
        # Signal receivers (the access log, the idle clock started at each sign-in) and the
        # `any_of` lookup of every field.
        from . import audit, lookups, security  # noqa: F401
