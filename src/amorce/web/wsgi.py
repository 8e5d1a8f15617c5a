import os
import threading

from django.apps import apps
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amorce.web.settings")
application = get_wsgi_application()

# Apps may load their models once per worker process, in the background as soon as it starts,
# rather than in the first request: AppConfig.warm_up() (e.g. the assistant's knowledge base).
for _config in apps.get_app_configs():
    if callable(getattr(_config, "warm_up", None)):
        threading.Thread(target=_config.warm_up, name=f"warm-up-{_config.label}", daemon=True).start()
