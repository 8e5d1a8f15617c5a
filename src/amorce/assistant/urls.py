from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("avis/<int:pk>/", views.feedback, name="feedback"),
    path("agent/", views.handover, name="handover"),
    path("nouvelle-conversation/", views.reset, name="reset"),
    path("integration/", views.widget, name="widget"),
    # front-desk agents
    path("suivi/", views.backoffice, name="backoffice"),
    path("suivi/demandes/", views.ticket_list, name="ticket_list"),
    path("suivi/echanges/<int:pk>/verifier/", views.verify, name="verify"),
    path("suivi/demandes/<int:pk>/", views.ticket_detail, name="ticket_detail"),
]
