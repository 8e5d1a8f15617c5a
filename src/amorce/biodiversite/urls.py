from django.urls import path

from . import views
from .views_review import urlpatterns as review_urlpatterns

app_name = "biodiversite"

urlpatterns = [
    path("", views.index, name="index"),
    path("deploiements/import/", views.upload, name="upload"),
    path("saisons/nouvelle/", views.season_new, name="season_new"),
    path("saisons/<int:pk>/", views.season_detail, name="season"),
    path("saisons/<int:pk>/camtrapdp.zip", views.season_export, name="season_export"),
    path("saisons/<int:pk>/evenements/<str:event_id>/", views.event_detail, name="event"),
    path("saisons/<int:pk>/vignettes/<str:media_id>.jpg", views.thumb, name="thumb"),
]
urlpatterns += review_urlpatterns
