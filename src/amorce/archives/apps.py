from django.apps import AppConfig
from django.core import checks


def check_settings(app_configs=None, **kwargs) -> list:
    """Django system check ``archives.E001``: one error per invalid archives setting (text-image model),
    in French, at ``manage.py check`` and start-up rather than at the first indexing or search."""
    from .config import problems

    return [checks.Error(problem, hint="Voir docs/archives.md, « Décrire l'image ».", id="archives.E001")
            for problem in problems()]


class ArchivesConfig(AppConfig):
    name = "amorce.archives"
    label = "archives"
    verbose_name = "Fonds photographiques"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services_explore, tasks, tasks_labels  # noqa: F401  (job handlers)

        checks.register(check_settings)
