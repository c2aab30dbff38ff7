from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.mail import mail_queue


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class MailQueuePasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through our outgoing-mail queue."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from django.conf import settings
        from django.urls import reverse

        user = context["user"]
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        link = settings.SITE_URL + path
        mail_queue(
            to=to_email,
            template="password_reset",
            context={"user": user, "link": link},
            language=getattr(user, "language", "de"),
            reference=f"accounts.user:{user.pk}",
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    full_name = forms.CharField(label=_("Name"), max_length=150)
    roles = forms.MultipleChoiceField(label=_("Rollen"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (für Firmenredaktion)"),
        queryset=None,
        required=False,
        help_text=_("Nur für die Rolle Firmenredaktion: die Organisation, deren Eintrag die Person pflegt."),
    )
    language = forms.ChoiceField(label=_("Sprache der Einladung"), choices=[("de", "Deutsch"), ("en", "English")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from contacts.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.fields["organisation"].help_text = _(
            "Nummer der Organisation (steht in ihrer Adresse: /kontakte/organisationen/<Nummer>/)."
        )

    def clean(self):
        cleaned = super().clean()
        if Role.EDITOR in cleaned.get("roles", []) and not cleaned.get("organisation"):
            self.add_error("organisation", _("Für die Firmenredaktion bitte die Organisation angeben."))
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Sprache"), choices=[("de", "Deutsch"), ("en", "English")])
