from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/neu/", views.organisation_edit, name="organisation_create"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisationen/<int:pk>/bearbeiten/", views.organisation_edit, name="organisation_edit"),
    path("organisationen/<int:pk>/person/", views.organisation_add_person, name="organisation_add_person"),
    path("personen/", views.person_list, name="person_list"),
    path("personen/neu/", views.person_edit, name="person_create"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/bearbeiten/", views.person_edit, name="person_edit"),
    path("personen/<int:pk>/export/", views.person_export, name="person_export"),
    path("personen/<int:pk>/loeschen/", views.person_erase, name="person_erase"),
    path("protokoll/", views.audit_log, name="audit_log"),
]
