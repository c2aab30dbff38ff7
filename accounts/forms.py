from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.services import roles_grantable_by
from core.roles import Role


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort ist falsch. Bitte prüfen Sie Ihre Eingabe "
            "(beim Passwort zählt die Groß- und Kleinschreibung)."
        ),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        password = self.cleaned_data.get("password")
        if email and password:
            # The address lower-cased as it is stored: "Team@Example.org" is the same account (and, through
            # accounts.login.login_username, the same lock) as "team@example.org".
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordResetRequestForm(forms.Form):
    """Only the address: the view hands it to a background task, known or not (see
    :func:`accounts.services.password_reset_request`)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class InvitationForm(forms.Form):
    """Invite a person with roles; offers only the roles the inviting user may grant.

    Company editors are invited from contacts (they need an organisation), so the editor role is
    not offered here.
    """

    email = forms.EmailField(label=_("E-Mail-Adresse"))
    full_name = forms.CharField(label=_("Name"), max_length=150)
    roles = forms.MultipleChoiceField(label=_("Rollen"), choices=(), widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Sprache der Einladung"), choices=[("de", "Deutsch"), ("en", "English")])

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        grantable = set(roles_grantable_by(inviter)) - {Role.EDITOR}
        self.fields["roles"].choices = [(value, label) for value, label in Role.choices if value in grantable]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Sprache"), choices=[("de", "Deutsch"), ("en", "English")])
