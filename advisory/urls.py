from django.urls import path

from advisory import views

app_name = "advisory"

urlpatterns = [
    # public
    path("sprechtage/", views.days_public, name="days_public"),
    path("sprechtage/<int:pk>/", views.day_public, name="day_public"),
    path("sprechtage/<int:pk>/warteliste/", views.waitlist_join, name="waitlist_join"),
    path("buchung/<str:token>/", views.booking_manage, name="booking_manage"),
    path("buchung/<str:token>/stornieren/", views.booking_cancel, name="booking_cancel"),
    path("buchung/<str:token>/verschieben/", views.booking_move, name="booking_move"),
    path("buchung/<str:token>/annehmen/", views.offer_accept, name="offer_accept"),
    path("buchung/<str:token>/termin.ics", views.booking_ics_download, name="booking_ics"),
    path("warteliste/<str:token>/", views.waitlist_manage, name="waitlist_manage"),
    path("foerderprogramme/", views.programmes_public, name="programmes_public"),
    # staff
    path("", views.overview, name="overview"),
    path("gespraeche/", views.consultation_list, name="consultation_list"),
    path("gespraeche/neu/", views.consultation_edit, name="consultation_create"),
    path("gespraeche/<int:pk>/", views.consultation_edit, name="consultation_edit"),
    path("gespraeche/<int:pk>/erledigt/", views.consultation_follow_up_done, name="consultation_follow_up_done"),
    path("programme/", views.programme_list, name="programme_list"),
    path("programme/neu/", views.programme_edit, name="programme_create"),
    path("programme/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("matcher/", views.matcher, name="matcher"),
    path("tage/", views.day_list, name="day_list"),
    path("tage/neu/", views.day_create, name="day_create"),
    path("tage/serie/", views.day_series_create, name="day_series_create"),
    path("tage/export/", views.bookings_export, name="bookings_export"),
    path("tage/<int:pk>/", views.day_detail, name="day_detail"),
    path("tage/<int:pk>/bearbeiten/", views.day_edit, name="day_edit"),
    path("tage/<int:pk>/absagen/", views.day_cancel, name="day_cancel"),
    path("buchungen/<int:pk>/anwesenheit/", views.booking_attendance, name="booking_attendance"),
    # experts
    path("experte/", views.expert_schedule, name="expert_schedule"),
    path("experte/kalender/", views.expert_feed_reset, name="expert_feed_reset"),
    path("experte/kalender/<str:token>/sprechtage.ics", views.expert_feed, name="expert_feed"),
]
