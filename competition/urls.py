from django.urls import path

from competition.views import jury, public, staff, teacher

app_name = "competition"

urlpatterns = [
    # public
    path("", public.home, name="home"),
    path("ergebnisse/<int:year>/", public.results_public, name="results_public"),
    path("einwilligung/<str:token>/", public.consent, name="consent"),
    path("zugang/", public.account_request, name="account_request"),
    # teachers and pupils
    path("meine-projekte/", teacher.my_projects, name="my_projects"),
    path("anmelden/", teacher.register, name="register"),
    path("projekte/<int:pk>/", teacher.project_detail, name="project_detail"),
    path("projekte/<int:pk>/arbeit/", teacher.written_work_upload, name="written_work_upload"),
    path("projekte/<int:pk>/arbeit.pdf", teacher.written_work, name="written_work"),
    path("projekte/<int:pk>/stand/", teacher.stand_needs, name="stand_needs"),
    path("projekte/<int:pk>/urkunde/<int:member>.pdf", teacher.certificate_owner, name="certificate_owner"),
    # jurors
    path("jury/", jury.jury_home, name="jury_home"),
    path("jury/projekte/<int:pk>/", jury.jury_project, name="jury_project"),
    path("jury/projekte/<int:pk>/befangen/", jury.conflict_declare, name="conflict_declare"),
    path("jury/<int:pk>/rangliste/", jury.jury_ranking, name="jury_ranking"),
    # staff
    path("verwaltung/", staff.staff_home, name="staff_home"),
    path("verwaltung/neu/", staff.edition_edit, name="edition_create"),
    path("verwaltung/<int:pk>/", staff.edition_detail, name="edition_detail"),
    path("verwaltung/<int:pk>/bearbeiten/", staff.edition_edit, name="edition_edit"),
    path("verwaltung/<int:pk>/erinnern/", staff.remind, name="remind"),
    path("verwaltung/<int:pk>/export/", staff.project_export, name="project_export"),
    path("verwaltung/<int:pk>/bewertungsbogen/", staff.rubric, name="rubric"),
    path("verwaltung/kriterien/<int:pk>/loeschen/", staff.criterion_delete, name="criterion_delete"),
    path("verwaltung/projekte/<int:pk>/", staff.staff_project, name="staff_project"),
    path("verwaltung/projekte/<int:pk>/einlass/", staff.checkin, name="checkin"),
    path("verwaltung/<int:pk>/jurys/", staff.jury_list, name="jury_list"),
    path("verwaltung/jurys/<int:pk>/", staff.jury_detail, name="jury_detail"),
    path("verwaltung/jurys/<int:pk>/bewertungsboegen.pdf", staff.jury_sheet, name="jury_sheet"),
    path("verwaltung/jurymitglieder/<int:pk>/entfernen/", staff.juror_remove, name="juror_remove"),
    path("verwaltung/<int:pk>/ergebnisse/", staff.results, name="results"),
    path("verwaltung/<int:pk>/sonderpreise/", staff.prizes, name="prizes"),
    path("verwaltung/<int:pk>/landeswettbewerb/", staff.forwarded_export, name="forwarded_export"),
    path("verwaltung/<int:pk>/wettbewerbstag/", staff.contest_day, name="contest_day"),
    path("verwaltung/<int:pk>/patentberatung/", staff.patent, name="patent"),
    path("verwaltung/<int:pk>/kennzahlen/", staff.edition_figures, name="edition_figures"),
    path("verwaltung/<int:pk>/urkunden.zip", staff.certificates_zip, name="certificates_zip"),
    path("verwaltung/teilnahmen/<int:pk>/urkunde.pdf", staff.certificate_staff, name="certificate_staff"),
    path("verwaltung/<int:pk>/programmheft.pdf", staff.booklet, name="booklet"),
    path("verwaltung/<int:pk>/namensschilder.pdf", staff.badges, name="badges"),
]
