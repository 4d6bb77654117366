from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = "Cơ sở CNNT và đăng ký nhu cầu"
