from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.index, name="index"),
    # public
    path("appels/", views.call_list, name="call_list"),
    path("appels/<slug:slug>/", views.call_public, name="call_public"),
    path("appels/<slug:slug>/reunions/<int:pk>/inscription/", views.meeting_register, name="meeting_register"),
    path("appels/<slug:slug>/laureats/", views.laureates, name="laureates"),
    path("appels/<slug:slug>/transparence/", views.transparency, name="transparency"),
    # programme team
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("appel/nouveau/", views.call_edit, name="call_create"),
    path("appels/<slug:slug>/modifier/", views.call_edit, name="call_edit"),
    path("appels/<slug:slug>/selection/", views.selection, name="selection"),
    path("appels/<slug:slug>/import/", views.call_import, name="call_import"),
    path("appels/<slug:slug>/ecriture-ds/", views.call_push_ds, name="call_push_ds"),
    path("appels/<slug:slug>/classement/", views.ranking, name="ranking"),
    path("dossiers/<str:reference>/consensus/", views.consensus, name="consensus"),
    path("selection/<int:pk>/", views.selection_run, name="selection_run"),
    path("selection/<int:pk>/decisions/", views.selection_decide, name="selection_decide"),
    # instruction
    path("dossiers/", views.dossier_list, name="dossier_list"),
    path("dossiers/export.<str:fmt>", views.dossier_export, name="dossier_export"),
    path("dossiers/<str:reference>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:reference>/eligibilite/", views.dossier_eligibility, name="dossier_eligibility"),
    path("dossiers/<str:reference>/etat/", views.dossier_transition, name="dossier_transition"),
    path("dossiers/<str:reference>/jury/", views.dossier_assign, name="dossier_assign"),
    path("dossiers/<str:reference>/decision/", views.dossier_decide, name="dossier_decide"),
    path("dossiers/<str:reference>/pieces/", views.attachment_upload, name="attachment_upload"),
    path("pieces/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("dossiers/<str:reference>/courrier/", views.letter, name="letter"),
    path("dossiers/<str:reference>/courrier.pdf", views.letter_pdf, name="letter_pdf"),
    path("dossiers/<str:reference>/courrier.html", views.letter_html_file, name="letter_html"),
    path("dossiers/<str:reference>/explication/", views.explanation, name="explanation"),
    # jury
    path("jury/", views.jury_list, name="jury_list"),
    path("jury/<str:reference>/", views.jury_review, name="jury_review"),
    path("jury/<str:reference>/conflit/", views.jury_conflict, name="jury_conflict"),
    # candidate
    path("candidatures/", views.my_applications, name="my_applications"),
    path("candidatures/nouvelle/<slug:slug>/", views.application_start, name="application_start"),
    path("candidatures/<str:reference>/", views.my_application, name="my_application"),
    path("candidatures/<str:reference>/etape/<int:step>/", views.application_step, name="application_step"),
    path("candidatures/<str:reference>/depot/", views.application_submit, name="application_submit"),
    # follow-up and user tests
    path("suivi/<str:reference>/", views.follow_up, name="follow_up"),
    path("suivi/<str:reference>/budget/", views.budget_revise, name="budget_revise"),
    path("accompagnement/", views.my_coachings, name="my_coachings"),
    path("suivi/<str:reference>/coachs/", views.coaches, name="coaches"),
    path("jalons/<int:pk>/", views.milestone_done, name="milestone_done"),
    path("suivi/<str:reference>/tests/", views.campaign_create, name="campaign_create"),
    path("tests/<int:pk>/", views.campaign, name="campaign"),
]
