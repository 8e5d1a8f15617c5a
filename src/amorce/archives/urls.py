from django.urls import path

from . import views

app_name = "archives"

urlpatterns = [
    path("", views.index, name="index"),
    path("collections/<slug:name>/", views.collection, name="collection"),
    path("collections/<slug:name>/doublons.csv", views.duplicates_csv, name="duplicates_csv"),
    path("groupes/<int:pk>/", views.group, name="group"),
    path("photos/<int:pk>/vignette.jpg", views.thumbnail, name="thumbnail"),
]
