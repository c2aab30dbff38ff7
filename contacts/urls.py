from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/vorschlaege/", views.organisation_suggestions, name="organisation_suggestions"),
    path("organisationen/neu/", views.organisation_edit, name="organisation_create"),
    path("organisationen/export/", views.organisation_export, name="organisation_export"),
    path("organisationen/import/", views.organisation_import, name="organisation_import"),
    path("organisationen/import/vorlage/", views.organisation_import_template, name="organisation_import_template"),
    path("organisationen/import/<int:pk>/", views.organisation_import_preview, name="organisation_import_preview"),
    path(
        "organisationen/import/<int:pk>/bestaetigen/",
        views.organisation_import_confirm,
        name="organisation_import_confirm",
    ),
    path(
        "organisationen/import/<int:pk>/verwerfen/",
        views.organisation_import_discard,
        name="organisation_import_discard",
    ),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisationen/<int:pk>/bearbeiten/", views.organisation_edit, name="organisation_edit"),
    path("organisationen/<int:pk>/zusammenfuehren/", views.organisation_merge, name="organisation_merge"),
    path("organisationen/<int:pk>/person/", views.organisation_add_person, name="organisation_add_person"),
    path("firmenredaktion/einladen/", views.editor_invite, name="editor_invite"),
    path("personen/", views.person_list, name="person_list"),
    path("personen/neu/", views.person_edit, name="person_create"),
    path("personen/vorschlaege/", views.person_suggestions, name="person_suggestions"),
    path("personen/export/", views.person_list_export, name="person_list_export"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/bearbeiten/", views.person_edit, name="person_edit"),
    path("personen/<int:pk>/zusammenfuehren/", views.person_merge, name="person_merge"),
    path("personen/<int:pk>/export/", views.person_export, name="person_export"),
    path("personen/<int:pk>/loeschen/", views.person_erase, name="person_erase"),
    path("protokoll/", views.audit_log, name="audit_log"),
]
