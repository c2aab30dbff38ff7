from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("<int:pk>/", views.public_detail, name="public_detail"),
    path("<int:pk>/jahresbericht.pdf", views.public_pdf, name="public_pdf"),
    path("verwaltung/", views.report_list, name="report_list"),
    path("verwaltung/neu/", views.report_create, name="report_create"),
    path("verwaltung/<int:pk>/", views.report_detail, name="report_detail"),
    path("verwaltung/<int:pk>/neue-version/", views.version_create, name="version_create"),
    path("verwaltung/versionen/<int:pk>/", views.version_detail, name="version_detail"),
    path("verwaltung/versionen/<int:pk>/bericht.pdf", views.version_pdf, name="version_pdf"),
    path("verwaltung/versionen/<int:pk>/bericht.docx", views.version_docx, name="version_docx"),
    path("verwaltung/versionen/<int:pk>/einfrieren/", views.version_freeze, name="version_freeze"),
    path("verwaltung/versionen/<int:pk>/veroeffentlichen/", views.version_publish, name="version_publish"),
    path("verwaltung/versionen/<int:pk>/abschnitte/neu/", views.section_create, name="section_create"),
    path("verwaltung/abschnitte/<int:pk>/", views.section_edit, name="section_edit"),
    path("verwaltung/abschnitte/<int:pk>/vorschau/", views.section_preview, name="section_preview"),
    path("verwaltung/abschnitte/<int:pk>/loeschen/", views.section_delete, name="section_delete"),
    path("verwaltung/abschnitte/<int:pk>/verschieben/", views.section_move, name="section_move"),
]
