from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from amorce.usecases import PLANNED, REGISTERED

from . import oidc, views
from .api import api
from .forms import LoginForm

accounts = ([
    path("connexion/", login_not_required(auth_views.LoginView.as_view(
        template_name="registration/login.html", authentication_form=LoginForm,
        redirect_authenticated_user=True, extra_context={"title": "Connexion"})), name="login"),
    path("deconnexion/", oidc.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/jetons/", views.token_create, name="token_create"),
    path("profil/jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
], "accounts")

jobs = ([
    path("", views.job_list, name="list"),
    path("demo/", views.load_demo_data, name="load_demo"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/annuler/", views.job_cancel, name="cancel"),
    path("<uuid:pk>/relancer/", views.job_retry, name="retry"),
], "jobs")

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("sante/", views.healthz, name="healthz"),
    path("comptes/", include(accounts)),
    path("taches/", include(jobs)),
    path("journal/", views.audit_log, name="audit"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

# ProConnect: always routed; the views answer 404 while AMORCE_OIDC_ENABLED is false.
urlpatterns.append(path("oidc/", include([
    path("authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", oidc.OIDCLogoutView.as_view(), name="oidc_logout"),
])))

for slug in REGISTERED:
    urlpatterns.append(path(f"{slug}/", include(f"amorce.{slug}.urls")))
for slug, _title, _summary in PLANNED:  # announced, not built: an honest « en préparation » page
    urlpatterns.append(path(f"{slug}/", views.usecase_landing, {"slug": slug}, name=f"landing_{slug}"))

handler400 = "amorce.web.error_pages.bad_request"  # also 413 for a body above the upload limit
handler403 = "amorce.web.error_pages.permission_denied"
handler404 = "amorce.web.error_pages.page_not_found"
handler500 = "amorce.web.error_pages.server_error"
