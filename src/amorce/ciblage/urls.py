from django.urls import path

from . import views

app_name = "ciblage"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="upload"),
    path("donnees/<int:pk>/", views.dataset_detail, name="dataset"),
    path("donnees/<int:pk>/entrainer/", views.train, name="train"),
    path("modeles/<int:pk>/", views.model_detail, name="model"),
    path("modeles/<int:pk>/scorer/", views.score, name="score"),
    path("classements/<int:pk>/", views.score_list, name="score_list"),
    path("classements/<int:pk>/equite/", views.fairness, name="fairness"),
    path("classements/<int:pk>/derive/", views.drift, name="drift"),
    path("classements/<int:pk>/plan/", views.plan_create, name="plan_create"),
    path("classements/<int:pk>/etablissements/<str:establishment_id>/", views.explanation, name="explanation"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/resultats/", views.plan_outcomes, name="plan_outcomes"),
    path("plans/<int:pk>/reentrainer/", views.plan_retrain, name="plan_retrain"),
    path("plans/<int:pk>/inspections.csv", views.plan_inspections_csv, name="plan_inspections_csv"),
    path("plans/<int:pk>/plan.csv", views.plan_csv, name="plan_csv"),
    path("plans/<int:pk>/plan.ics", views.plan_ics, name="plan_ics"),
]
