from django.apps import AppConfig

PUBLIC_API_PREFIX = "/api/assistant/"


def cors_allowed(sender=None, request=None, **kwargs) -> bool:
    """django-cors-headers' ``check_request_enabled`` signal: CORS headers for the public assistant
    API only (``CORS_URLS_REGEX``), and only for the origins of ``AMORCE_ASSISTANT_CORS_ORIGINS``.

    Why this is safe for this API and nothing else: every other path (session pages, the rest of the
    API) is left untouched, so a cross-origin page can neither read them nor post to them without the
    CSRF token; ``Access-Control-Allow-Credentials`` is never sent (the API does not read the session);
    the origin is echoed back exactly (never ``*``), with ``Vary: Origin``; abuse is bounded by the
    per-IP rate limit (``AMORCE_ASSISTANT_RATE_LIMIT``).
    """
    from . import config

    origin = request.headers.get("Origin", "").lower()
    return (bool(origin) and request.path_info.startswith(PUBLIC_API_PREFIX)
            and origin in config.get().cors_origins)


class AssistantConfig(AppConfig):
    name = "amorce.assistant"
    label = "assistant"
    verbose_name = "Assistant aux usagers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled
        from django.core import checks
        from django.test.signals import setting_changed

        from . import config, tasks  # noqa: F401  (job handlers)

        checks.register(config.check_settings, checks.Tags.compatibility)
        setting_changed.connect(config.reset, dispatch_uid="amorce-assistant-config")
        check_request_enabled.connect(cors_allowed, dispatch_uid="amorce-assistant-cors")

    def warm_up(self) -> None:
        """Called by the WSGI module once per web worker, in a background thread: loads the knowledge
        base and the sentence model before the first question (``AMORCE_ASSISTANT_WARM_UP=0`` to skip)."""
        from .services import warm_up

        warm_up()
