"""Login required everywhere, except views marked public and the API (which has its own auth)."""

from __future__ import annotations

from django.contrib.auth import middleware as auth_middleware

PUBLIC_PREFIXES = ("/api/", "/oidc/", "/static/")


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
