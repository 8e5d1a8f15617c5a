from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "amorce.programme"
    label = "programme"
    verbose_name = "Programme d'amorçage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)
