from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from core.mail import mail_queue
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
            # Pass the address as ``email`` (the USERNAME_FIELD), lower-cased as it is stored: django-axes
            # keys its lock on that credential, so "username + IP" really is the address + IP, and
            # "Team@Example.org" is the same account (and the same lock) as "team@example.org".
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class MailQueuePasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through our outgoing-mail queue.

    Unlike Django's, it also serves active accounts without a usable password:
    here that means an invited person whose invitation link expired, and the
    invalid-invitation page sends them to this form.
    """

    def get_users(self, email):
        from accounts.models import User

        return User.objects.filter(email__iexact=email.strip(), is_active=True)

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
            redact=["link"],
        )


class OrganisationSearchInput(forms.TextInput):
    """A text field for an organisation's name with a ``<datalist>`` of suggestions.

    Without JavaScript the browser offers the suggestions the server rendered
    (after an ambiguous entry, the candidates); with htmx, typing refreshes the
    list from the invitation page itself (``?organisation=…`` with ``HX-Request``).
    """

    template_name = "accounts/widgets/organisation_search.html"

    def __init__(self, attrs=None, suggestions_url=""):
        super().__init__(attrs)
        self.suggestions: list[str] = []
        self.suggestions_url = suggestions_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}_options"
        context["widget"]["attrs"].update({"list": list_id, "autocomplete": "off"})
        if self.suggestions_url:
            context["widget"]["attrs"].update(
                {
                    "hx-get": self.suggestions_url,
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": f"#{list_id}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )
        context["widget"]["list_id"] = list_id
        context["widget"]["suggestions"] = self.suggestions
        return context


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    full_name = forms.CharField(label=_("Name"), max_length=150)
    roles = forms.MultipleChoiceField(label=_("Rollen"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    organisation = forms.CharField(
        label=_("Organisation (für Firmenredaktion)"),
        required=False,
        max_length=300,
        help_text=_(
            "Nur für die Rolle Firmenredaktion: Name, Ort oder Mitgliedsnummer der Organisation, "
            "deren Eintrag die Person pflegt."
        ),
    )
    language = forms.ChoiceField(label=_("Sprache der Einladung"), choices=[("de", "Deutsch"), ("en", "English")])

    def __init__(self, *args, suggestions_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget = OrganisationSearchInput(suggestions_url=suggestions_url)

    def clean_organisation(self):
        from accounts.selectors import organisation_label, organisation_resolve

        text = self.cleaned_data.get("organisation", "")
        if not text.strip():
            return None
        organisation, candidates = organisation_resolve(text)
        if organisation is not None:
            return organisation
        if not candidates:
            raise forms.ValidationError(
                _("Keine Organisation gefunden zu „%(text)s“. Bitte Namen, Ort oder Mitgliedsnummer prüfen."),
                params={"text": text.strip()},
                code="not_found",
            )
        labels = [organisation_label(candidate) for candidate in candidates]
        self.fields["organisation"].widget.suggestions = labels
        raise forms.ValidationError(
            _(
                "Mehrere Organisationen passen zu „%(text)s“: %(names)s. Bitte wählen Sie eine aus der Liste "
                "oder geben Sie die Mitgliedsnummer an."
            ),
            params={"text": text.strip(), "names": "; ".join(labels)},
            code="ambiguous",
        )

    def clean(self):
        cleaned = super().clean()
        if (
            Role.EDITOR in cleaned.get("roles", [])
            and not cleaned.get("organisation")
            and not self.has_error("organisation")
        ):
            self.add_error("organisation", _("Für die Firmenredaktion bitte die Organisation angeben."))
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Sprache"), choices=[("de", "Deutsch"), ("en", "English")])
