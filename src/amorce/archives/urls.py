from django.urls import path

from . import views, views_explore, views_index, views_labels

app_name = "archives"

urlpatterns = [
    path("", views.index, name="index"),
    path("indexer/", views_index.new_index, name="new_index"),
    path("collections/<slug:name>/", views.collection, name="collection"),
    path("collections/<slug:name>/doublons.csv", views.duplicates_csv, name="duplicates_csv"),
    path("collections/<slug:name>/recherche/", views_explore.search, name="search"),
    path("collections/<slug:name>/analyses/", views_explore.launch, name="launch"),
    path("collections/<slug:name>/regroupements/", views_explore.clusters, name="clusters"),
    path("collections/<slug:name>/regroupements/<int:number>/", views_explore.cluster, name="cluster"),
    path("groupes/<int:pk>/", views.group, name="group"),
    path("collections/<slug:name>/termes/", views_labels.terms, name="terms"),
    path("collections/<slug:name>/termes/thesaurus/", views_labels.import_thesaurus, name="import_thesaurus"),
    path("collections/<slug:name>/termes/entrainer/", views_labels.train, name="train"),
    path("collections/<slug:name>/termes/<int:pk>/", views_labels.term_label, name="term_label"),
    path("collections/<slug:name>/termes/<int:pk>/propositions/", views_labels.term_proposals,
         name="term_proposals"),
    path("collections/<slug:name>/export/<slug:kind>/", views_labels.export, name="export"),
    path("photos/<int:pk>/", views_explore.photo, name="photo"),
    path("photos/<int:pk>/vignette.jpg", views.thumbnail, name="thumbnail"),
]
