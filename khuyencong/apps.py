from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    name = "khuyencong"
    verbose_name = "Danh mục chung"
