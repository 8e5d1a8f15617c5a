from django.urls import path

from .views import (
    calls,
    candidate,
    decisions,
    demarche,
    dossier_list,
    dossiers,
    follow_up,
    jury,
    meetings,
    selection,
    user_tests,
)

app_name = "programme"

urlpatterns = [
    path("", calls.index, name="index"),
    # public
    path("appels/", calls.call_list, name="call_list"),
    path("appels/<slug:slug>/", calls.call_public, name="call_public"),
    path("appels/<slug:slug>/reunions/<int:pk>/inscription/", meetings.meeting_register, name="meeting_register"),
    path("appels/<slug:slug>/laureats/", calls.laureates, name="laureates"),
    path("appels/<slug:slug>/transparence/", calls.transparency, name="transparency"),
    # programme team
    path("tableau-de-bord/", calls.dashboard, name="dashboard"),
    path("appel/nouveau/", calls.call_edit, name="call_create"),
    path("appels/<slug:slug>/modifier/", calls.call_edit, name="call_edit"),
    path("appels/<slug:slug>/selection/", selection.selection, name="selection"),
    path("appels/<slug:slug>/import/", demarche.call_import, name="call_import"),
    path("appels/<slug:slug>/ecriture-ds/", demarche.call_push_ds, name="call_push_ds"),
    path("appels/<slug:slug>/classement/", selection.ranking, name="ranking"),
    path("dossiers/<str:reference>/consensus/", selection.consensus, name="consensus"),
    path("selection/<int:pk>/", selection.selection_run, name="selection_run"),
    path("selection/<int:pk>/decisions/", selection.selection_decide, name="selection_decide"),
    # instruction
    path("dossiers/", dossier_list.dossier_list, name="dossier_list"),
    path("dossiers/export.<str:fmt>", dossier_list.dossier_export, name="dossier_export"),
    path("dossiers/<str:reference>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:reference>/eligibilite/", dossiers.dossier_eligibility, name="dossier_eligibility"),
    path("dossiers/<str:reference>/etat/", dossiers.dossier_transition, name="dossier_transition"),
    path("dossiers/<str:reference>/jury/", dossiers.dossier_assign, name="dossier_assign"),
    path("dossiers/<str:reference>/decision/", dossiers.dossier_decide, name="dossier_decide"),
    path("dossiers/<str:reference>/pieces/", dossiers.attachment_upload, name="attachment_upload"),
    path("pieces/<int:pk>/", dossiers.attachment_download, name="attachment_download"),
    path("dossiers/<str:reference>/courrier/", decisions.letter, name="letter"),
    path("dossiers/<str:reference>/courrier.pdf", decisions.letter_pdf, name="letter_pdf"),
    path("dossiers/<str:reference>/courrier.html", decisions.letter_html_file, name="letter_html"),
    path("dossiers/<str:reference>/explication/", decisions.explanation, name="explanation"),
    # jury
    path("jury/", jury.jury_list, name="jury_list"),
    path("jury/<str:reference>/", jury.jury_review, name="jury_review"),
    path("jury/<str:reference>/conflit/", jury.jury_conflict, name="jury_conflict"),
    # candidate
    path("candidatures/", candidate.my_applications, name="my_applications"),
    path("candidatures/nouvelle/<slug:slug>/", candidate.application_start, name="application_start"),
    path("candidatures/<str:reference>/", candidate.my_application, name="my_application"),
    path("candidatures/<str:reference>/etape/<int:step>/", candidate.application_step, name="application_step"),
    path("candidatures/<str:reference>/depot/", candidate.application_submit, name="application_submit"),
    # follow-up and user tests
    path("suivi/<str:reference>/", follow_up.follow_up, name="follow_up"),
    path("suivi/<str:reference>/budget/", follow_up.budget_revise, name="budget_revise"),
    path("accompagnement/", follow_up.my_coachings, name="my_coachings"),
    path("suivi/<str:reference>/coachs/", follow_up.coaches, name="coaches"),
    path("jalons/<int:pk>/", follow_up.milestone_done, name="milestone_done"),
    path("suivi/<str:reference>/tests/", user_tests.campaign_create, name="campaign_create"),
    path("tests/<int:pk>/", user_tests.campaign, name="campaign"),
]
