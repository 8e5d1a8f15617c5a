from django.urls import path

from . import views
from . import views_inventory as inv
from .views_review import urlpatterns as review_urlpatterns

app_name = "biodiversite"

urlpatterns = [
    path("", views.index, name="index"),
    path("deploiements/import/", views.upload, name="upload"),
    path("saisons/nouvelle/", views.season_new, name="season_new"),
    path("saisons/<int:pk>/", views.season_detail, name="season"),
    path("saisons/<int:pk>/camtrapdp.zip", views.season_export, name="season_export"),
    path("saisons/<int:pk>/inventaire/", inv.inventory, name="inventory"),
    path("saisons/<int:pk>/inventaire/tableaux/<slug:name>.<slug:fmt>", inv.inventory_table, name="inventory_table"),
    path("saisons/<int:pk>/inventaire/graphiques/<slug:name>.<slug:fmt>", inv.inventory_chart, name="inventory_chart"),
    path("saisons/<int:pk>/inventaire/sites.geojson", inv.inventory_geojson, name="inventory_geojson"),
    path("saisons/<int:pk>/inventaire/rapport.html", inv.inventory_report, name="inventory_report"),
    path("saisons/<int:pk>/inventaire/inventaire.zip", inv.inventory_zip, name="inventory_zip"),
    path("saisons/<int:pk>/evenements/<str:event_id>/", views.event_detail, name="event"),
    path("saisons/<int:pk>/vignettes/<str:media_id>.jpg", views.thumb, name="thumb"),
]
urlpatterns += review_urlpatterns
