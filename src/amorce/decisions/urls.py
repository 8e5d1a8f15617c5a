from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_view, name="import"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/entites/ajouter/", views.entity_add, name="entity_add"),
    path("<int:pk>/entites/<int:entity_pk>/supprimer/", views.entity_remove, name="entity_remove"),
    path("<int:pk>/entites/<int:entity_pk>/categorie/", views.entity_recategorise, name="entity_recategorise"),
    path("<int:pk>/valider/", views.validate, name="validate"),
    path("<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path("publier/", views.publish, name="publish"),
    path("recherche/", views.search, name="search"),
    path("objectivation/", views.objectivation, name="objectivation"),
    path("export.<str:fmt>", views.export, name="export"),
]
