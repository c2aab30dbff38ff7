from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("kalender.ics", views.feed, name="feed"),
    path("anmeldung/<str:token>/", views.registration_manage, name="registration_manage"),
    path("anmeldung/<str:token>/stornieren/", views.registration_cancel, name="registration_cancel"),
    path("anmeldung/<str:token>/annehmen/", views.registration_accept, name="registration_accept"),
    path("anmeldung/<str:token>/termin.ics", views.registration_ics, name="registration_ics"),
    path("verwaltung/", views.staff_list, name="staff_list"),
    path("verwaltung/kennzahlen/", views.staff_figures, name="staff_figures"),
    path("verwaltung/neu/", views.staff_edit, name="staff_create"),
    path("verwaltung/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("verwaltung/<int:pk>/bearbeiten/", views.staff_edit, name="staff_edit"),
    path("verwaltung/<int:pk>/zielgruppen/", views.staff_audience_add, name="staff_audience_add"),
    path("verwaltung/<int:pk>/fragen/", views.staff_question_add, name="staff_question_add"),
    path("verwaltung/<int:pk>/partner/", views.staff_partners, name="staff_partners"),
    path("verwaltung/<int:pk>/absagen/", views.staff_cancel, name="staff_cancel"),
    path("verwaltung/<int:pk>/online/", views.staff_move_online, name="staff_move_online"),
    path("verwaltung/<int:pk>/teilnehmende/", views.staff_participants, name="staff_participants"),
    path("verwaltung/<int:pk>/teilnehmende/export/", views.staff_export, name="staff_export"),
    path("verwaltung/<int:pk>/einlass/", views.staff_checkin, name="staff_checkin"),
    path("verwaltung/<int:pk>/einladen/", views.staff_invite, name="staff_invite"),
    path("verwaltung/<int:pk>/matching/", views.staff_matching, name="staff_matching"),
    path("verwaltung/anmeldungen/<int:pk>/entscheiden/", views.staff_decide, name="staff_decide"),
    path("verwaltung/anmeldungen/<int:pk>/einlass/", views.staff_checkin_toggle, name="staff_checkin_toggle"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/termin.ics", views.event_ics, name="event_ics"),
]
