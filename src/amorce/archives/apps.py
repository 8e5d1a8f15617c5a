from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "amorce.archives"
    label = "archives"
    verbose_name = "Fonds photographiques"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services_explore, tasks, tasks_labels  # noqa: F401  (job handlers)
