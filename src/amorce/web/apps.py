from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "amorce.web"
    label = "web"
    verbose_name = "Plateforme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, demo  # noqa: F401  (signal handlers, job registrations)
