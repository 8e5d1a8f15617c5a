from django.urls import path

from . import views, views_explore

app_name = "archives"

urlpatterns = [
    path("", views.index, name="index"),
    path("collections/<slug:name>/", views.collection, name="collection"),
    path("collections/<slug:name>/doublons.csv", views.duplicates_csv, name="duplicates_csv"),
    path("collections/<slug:name>/recherche/", views_explore.search, name="search"),
    path("collections/<slug:name>/analyses/", views_explore.launch, name="launch"),
    path("groupes/<int:pk>/", views.group, name="group"),
    path("photos/<int:pk>/", views_explore.photo, name="photo"),
    path("photos/<int:pk>/vignette.jpg", views.thumbnail, name="thumbnail"),
]
