from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "amorce.decisions"
    label = "decisions"
    verbose_name = "Décisions de justice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)
