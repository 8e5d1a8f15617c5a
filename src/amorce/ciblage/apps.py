from django.apps import AppConfig


class CiblageConfig(AppConfig):
    name = "amorce.ciblage"
    label = "ciblage"
    verbose_name = "Ciblage des contrôles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)
