from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("passwort/vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("passwort/fertig/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("einladung/<uidb64>/<token>/", views.invitation_accept, name="invitation_accept"),
    path("einladen/", views.invite, name="invite"),
    path("profil/", views.profile, name="profile"),
    path("profil/passwort/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profil/meine-daten/", views.my_data_export, name="my_data_export"),
]
