from django.urls import path

from climate import views

app_name = "climate"

urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("rechner.csv", views.calculator_csv, name="calculator_csv"),
    path("rechner.pdf", views.calculator_pdf, name="calculator_pdf"),
    path("methodik/", views.methodology, name="methodology"),
    path("entlastung/", views.relief, name="relief"),
    path("wasserstoff/", views.hydrogen_view, name="hydrogen"),
    path("umfrage/", views.survey, name="survey"),
    path("umfrage/<str:token>/", views.survey_token, name="survey_token"),
    path("veroeffentlichungen/", views.publications, name="publications"),
    path("veroeffentlichungen/<int:pk>/datei/", views.publication_file, name="publication_file"),
    path("verwaltung/", views.staff_dashboard, name="staff_dashboard"),
    path("verwaltung/referenz/", views.reference_overview, name="reference"),
    path("verwaltung/referenz/<int:pk>/", views.reference_version, name="reference_version"),
    path("verwaltung/referenz/preis/", views.reference_price, name="reference_price"),
    path("verwaltung/referenz/faktor/", views.reference_factor, name="reference_factor"),
    path("verwaltung/umfrage/", views.survey_overview, name="survey_overview"),
    path("verwaltung/umfrage/export/", views.survey_export, name="survey_export"),
    path("verwaltung/umfrage/antworten/export/", views.survey_answers_export, name="survey_answers_export"),
    path("verwaltung/umfrage/einladen/", views.survey_invite, name="survey_invite"),
    path(
        "verwaltung/umfrage/einladungen/<int:pk>/widerrufen/",
        views.survey_invitation_revoke,
        name="survey_invitation_revoke",
    ),
    path("verwaltung/gespraeche/", views.talk_list, name="talk_list"),
    path("verwaltung/gespraeche/export/", views.talk_export, name="talk_export"),
    path("verwaltung/gespraeche/neu/", views.talk_edit, name="talk_create"),
    path("verwaltung/gespraeche/<int:pk>/", views.talk_edit, name="talk_edit"),
    path("verwaltung/veroeffentlichungen/", views.publication_list, name="publication_list"),
    path("verwaltung/veroeffentlichungen/neu/", views.publication_edit, name="publication_create"),
    path("verwaltung/veroeffentlichungen/<int:pk>/", views.publication_edit, name="publication_edit"),
]
