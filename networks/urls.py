from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    # networks
    path("", views.overview, name="overview"),
    path("export/", views.overview_export, name="overview_export"),
    path("neu/", views.network_create, name="network_create"),
    path("verbund/<int:pk>/", views.network_detail, name="network_detail"),
    path("verbund/<int:pk>/bearbeiten/", views.network_edit, name="network_edit"),
    path("verbund/<int:pk>/status/", views.network_state, name="network_state"),
    path("verbund/<int:pk>/mitglieder/neu/", views.membership_add, name="membership_add"),
    path("verbund/<int:pk>/mitglieder/export/", views.member_export, name="member_export"),
    path("verbund/<int:pk>/treffen/", views.meeting_link, name="meeting_link"),
    path("verbund/<int:pk>/treffen/neu/", views.meeting_plan, name="meeting_plan"),
    path("verbund/<int:pk>/onepager.pdf", views.network_onepager, name="network_onepager"),
    path("mitgliedschaft/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("treffen/<int:pk>/entfernen/", views.meeting_unlink, name="meeting_unlink"),
    path("organisation/<int:pk>/", views.organisation, name="organisation"),
    path("organisation/<int:pk>/logo/", views.logo_edit, name="logo_edit"),
    path("organisation/<int:pk>/initiative/", views.support_add_for, name="support_add_for"),
    # acquisition
    path("akquise/", views.prospect_board, name="prospect_board"),
    path("akquise/export/", views.prospect_export, name="prospect_export"),
    path("akquise/neu/", views.prospect_create, name="prospect_create"),
    path("akquise/<int:pk>/", views.prospect_detail, name="prospect_detail"),
    path("akquise/<int:pk>/verschieben/", views.prospect_move, name="prospect_move"),
    path("akquise/<int:pk>/onepager/", views.prospect_onepager, name="prospect_onepager"),
    # the initiative
    path("initiative/", views.initiative, name="initiative"),
    path("initiative/unterstuetzer/", views.supporters, name="supporters"),
    path("initiative/mitglied/neu/", views.support_create, name="support_create"),
    path("initiative/mitglied/<int:pk>/", views.support_edit, name="support_edit"),
    path("initiative/veranstaltungen/", views.initiative_event_link, name="initiative_event_link"),
    path(
        "initiative/veranstaltungen/<int:pk>/entfernen/", views.initiative_event_unlink, name="initiative_event_unlink"
    ),
    path("initiative/einladen/", views.initiative_invite, name="initiative_invite"),
    path("initiative/onepager.pdf", views.initiative_onepager, name="initiative_onepager"),
    path("initiative/beitraege/", views.statement, name="statement"),
    path("initiative/beitraege/export/", views.statement_export, name="statement_export"),
    path("hochschulen/", views.partnerships, name="partnerships"),
    # campaigns
    path("kampagnen/", views.campaign_list, name="campaign_list"),
    path("kampagnen/neu/", views.campaign_create, name="campaign_create"),
    path("kampagnen/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("kampagnen/<int:pk>/bearbeiten/", views.campaign_edit, name="campaign_edit"),
    path("kampagnen/<int:pk>/beitraege/neu/", views.post_create, name="post_create"),
    path("kampagnen/<int:pk>/export/", views.post_export, name="post_export"),
    path("kampagnen/<int:pk>/import/", views.post_import, name="post_import"),
    path("kampagnen/import/<int:pk>/", views.post_import_preview, name="post_import_preview"),
    path("kampagnen/import/<int:pk>/bestaetigen/", views.post_import_confirm, name="post_import_confirm"),
    path("kampagnen/import/<int:pk>/verwerfen/", views.post_import_discard, name="post_import_discard"),
    path("beitraege/<int:pk>/", views.post_edit, name="post_edit"),
    # fair stands
    path("messen/", views.stand_list, name="stand_list"),
    path("messen/<int:pk>/", views.stand_detail, name="stand_detail"),
    path("messen/<int:pk>/export/", views.lead_export, name="lead_export"),
]
