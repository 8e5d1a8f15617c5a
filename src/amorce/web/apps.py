from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "amorce.web"
    label = "web"
    verbose_name = "Plateforme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit, demo  # noqa: F401  (signal handlers, job registrations)

        post_migrate.connect(create_role_groups, sender=self)
        _ensure_upload_folder()


def _ensure_upload_folder() -> None:
    """Django writes large uploads to FILE_UPLOAD_TEMP_DIR and needs it to exist (created, never
    cleaned here: cleaning is for the server and the worker when they start, amorce.web.uploads)."""
    from pathlib import Path

    from django.conf import settings

    if settings.FILE_UPLOAD_TEMP_DIR:
        try:
            Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
        except OSError:  # a read-only data directory: Django's own error names the folder at upload time
            pass


def create_role_groups(**kwargs) -> None:
    """One Django group per role that the registered use cases declare, after every migrate."""
    from django.contrib.auth.models import Group

    from .roles import Role

    using = kwargs.get("using", "default")
    for role in Role:
        Group.objects.using(using).get_or_create(name=role.value)
