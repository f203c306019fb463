from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosures"
    verbose_name = _("公开文件")

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, commands, worker): the pipeline
        # sends them by name from the app's registry instead of importing this module.
        from . import tasks  # noqa: F401
