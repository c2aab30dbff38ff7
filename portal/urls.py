from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    # public
    path("", views.search, name="search"),
    path("ausbildung/<slug:slug>/", views.offer_detail, name="offer_detail"),
    path("unternehmen/", views.company_list, name="company_list"),
    path("unternehmen/<slug:slug>/", views.company_detail, name="company_detail"),
    path("berufe/", views.occupation_list, name="occupation_list"),
    path("berufe/<slug:slug>/", views.occupation_detail, name="occupation_detail"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("suchauftrag/", views.alert_signup, name="alert_signup"),
    path("suchauftrag/bitte-bestaetigen/", views.alert_pending, name="alert_pending"),
    path("suchauftrag/bestaetigen/<str:value>/", views.alert_confirm, name="alert_confirm"),
    path("suchauftrag/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("berufe-vorschlaege/", views.occupation_suggestions, name="occupation_suggestions"),
    # company editors (staff too)
    path("redaktion/", views.editor_home, name="editor_home"),
    path("redaktion/<int:pk>/", views.editor_dashboard, name="editor_dashboard"),
    path("redaktion/<int:pk>/profil/", views.profile_edit, name="profile_edit"),
    path("redaktion/aenderungen/<int:pk>/vorschau/", views.change_preview, name="change_preview"),
    path("redaktion/<int:pk>/standorte/neu/", views.site_edit, name="site_create"),
    path("redaktion/<int:pk>/standorte/<int:site_pk>/", views.site_edit, name="site_edit"),
    path("redaktion/standorte/<int:site_pk>/loeschen/", views.site_delete, name="site_delete"),
    path("redaktion/<int:pk>/angebote/neu/", views.offer_edit, name="offer_create"),
    path("redaktion/angebote/<int:offer_pk>/", views.offer_edit, name="offer_edit"),
    path("redaktion/angebote/<int:offer_pk>/loeschen/", views.offer_delete, name="offer_delete"),
    path("redaktion/<int:pk>/kontakte/", views.contact_add, name="contact_add"),
    path("redaktion/kontakte/<int:role_pk>/entfernen/", views.contact_remove, name="contact_remove"),
    path("redaktion/<int:pk>/fotos/", views.photo_add, name="photo_add"),
    path("redaktion/fotos/<int:photo_pk>/loeschen/", views.photo_delete, name="photo_delete"),
    # staff
    path("verwaltung/", views.staff_list, name="staff_list"),
    path("verwaltung/neu/", views.staff_create, name="staff_create"),
    path("verwaltung/<int:pk>/", views.staff_profile, name="staff_profile"),
    path("verwaltung/<int:pk>/einladen/", views.staff_invite, name="staff_invite"),
    path("verwaltung/<int:pk>/verlauf/", views.staff_history, name="staff_history"),
    path(
        "verwaltung/<int:pk>/verlauf/<str:model_key>/<int:history_id>/zuruecksetzen/",
        views.staff_rollback,
        name="staff_rollback",
    ),
    path("verwaltung/pruefung/", views.staff_reviews, name="staff_reviews"),
    path("verwaltung/pruefung/<int:pk>/", views.staff_review_decide, name="staff_review_decide"),
    path("verwaltung/redaktionskonferenz/", views.staff_event_invite, name="staff_event_invite"),
    path("verwaltung/zahlen/", views.staff_figures, name="staff_figures"),
]
