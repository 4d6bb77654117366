from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = "Việc cần làm và nhắc hạn"

    def ready(self):
        from . import notices

        notices.connect()
