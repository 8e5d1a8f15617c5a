import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class CiblageConfig(AppConfig):
    name = "amorce.ciblage"
    label = "ciblage"
    verbose_name = "Ciblage des contrôles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (job handlers)

    def warm_up(self) -> None:
        """Called by the WSGI module once per web worker, in a background thread (server processes
        only, never in tests or commands): what the first explanation and the model page need;
        ``AMORCE_CIBLAGE_WARM_UP=0`` turns it off."""
        from amorce.core.config import ConfigurationError

        from .warmup import enabled, warm_up

        try:
            if not enabled():
                logger.info("Préchargement du ciblage désactivé (AMORCE_CIBLAGE_WARM_UP=0)")
                return
        except ConfigurationError as exc:  # a wrong value: said in the log, nothing preloaded
            logger.error("%s Préchargement du ciblage non effectué.", exc.message)
            return
        try:
            warm_up()
        except Exception:  # a warm-up never stops a worker: the first request then loads what it needs
            logger.exception("Préchargement du ciblage interrompu")
