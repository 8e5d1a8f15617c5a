from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "amorce.assistant"
    label = "assistant"
    verbose_name = "Assistant aux usagers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)
