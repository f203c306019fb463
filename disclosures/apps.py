from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosures"
    verbose_name = _("公开文件")
