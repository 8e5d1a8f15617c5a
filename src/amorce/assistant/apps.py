from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "amorce.assistant"
    label = "assistant"
    verbose_name = "Assistant aux usagers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)

    def warm_up(self) -> None:
        """Called by the WSGI module once per web worker, in a background thread: loads the knowledge
        base and the sentence model before the first question (``AMORCE_ASSISTANT_WARM_UP=0`` to skip)."""
        import os

        if os.environ.get("AMORCE_ASSISTANT_WARM_UP", "1") != "0":
            from .views import warm_up

            warm_up()
