from django.apps import AppConfig


class BiodiversiteConfig(AppConfig):
    name = "amorce.biodiversite"
    label = "biodiversite"
    verbose_name = "Inventaires de biodiversité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)
