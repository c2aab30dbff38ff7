from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    # public
    path("", views.index, name="index"),
    path("archiv/", views.archive, name="archive"),
    path("archiv/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("bestaetigen/<str:value>/", views.confirm, name="confirm"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("einstellungen/<str:token>/", views.preferences, name="preferences"),
    path("einstellungen/<str:token>/daten.json", views.export, name="export"),
    path("o/<str:value>/", views.track_open, name="track_open"),
    path("k/<str:value>/<int:item_pk>/", views.track_click, name="track_click"),
    # staff
    path("verwaltung/", views.staff_home, name="staff_home"),
    path("verwaltung/verteiler/neu/", views.list_edit, name="list_create"),
    path("verwaltung/verteiler/<int:pk>/", views.list_edit, name="list_edit"),
    path("verwaltung/verteiler/<int:pk>/abonnenten/", views.subscriber_list, name="subscriber_list"),
    path("verwaltung/verteiler/<int:pk>/abonnenten/export/", views.subscriber_export, name="subscriber_export"),
    path("verwaltung/verteiler/<int:pk>/import/", views.subscriber_import, name="subscriber_import"),
    path("verwaltung/verteiler/<int:pk>/zahlen/", views.figures, name="figures"),
    path("verwaltung/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("verwaltung/ausgaben/neu/", views.issue_create, name="issue_create"),
    path("verwaltung/ausgaben/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("verwaltung/ausgaben/<int:pk>/meldung/neu/", views.item_create, name="item_create"),
    path("verwaltung/ausgaben/<int:pk>/reihenfolge/", views.items_reorder, name="items_reorder"),
    path("verwaltung/ausgaben/<int:pk>/uebernehmen/", views.item_pull, name="item_pull"),
    path("verwaltung/ausgaben/<int:pk>/vorschau/", views.issue_preview, name="issue_preview"),
    path("verwaltung/ausgaben/<int:pk>/test/", views.issue_test, name="issue_test"),
    path("verwaltung/ausgaben/<int:pk>/planen/", views.issue_schedule, name="issue_schedule"),
    path("verwaltung/ausgaben/<int:pk>/senden/", views.issue_send, name="issue_send"),
    path("verwaltung/meldungen/<int:pk>/", views.item_edit, name="item_edit"),
    path("verwaltung/meldungen/<int:pk>/loeschen/", views.item_delete, name="item_delete"),
    path("verwaltung/meldungen/<int:pk>/verschieben/", views.item_move, name="item_move"),
    # the list's public sign-up page last: its slug must not shadow the paths above
    path("<slug:slug>/", views.subscribe, name="subscribe"),
    path("<slug:slug>/danke/", views.subscribe_thanks, name="subscribe_thanks"),
]
