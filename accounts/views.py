import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import InvitationForm, LoginForm, MailQueuePasswordResetForm, ProfileForm
from accounts.models import User
from accounts.selectors import organisation_candidates, organisation_label
from accounts.services import user_invite
from core.permissions import staff_required
from core.privacy import DataSubject, personal_data_export


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in user changes their password (the old one is asked for); the session stays valid."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Ihr neues Passwort ist gespeichert."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = MailQueuePasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def invitation_accept(request, uidb64, token):
    """Set the first password from an invitation link, then log in."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (User.DoesNotExist, ValueError, UnicodeDecodeError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Ihr Passwort ist gesetzt. Willkommen bei Kammerwerk!"))
        return redirect("core:start")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited_user": user})


@staff_required
def invite(request):
    if request.headers.get("HX-Request") and "organisation" in request.GET:
        # the picker's suggestions while typing (htmx); the page works without them
        labels = [organisation_label(org) for org in organisation_candidates(request.GET["organisation"])]
        response = render(request, "accounts/_organisation_options.html", {"suggestions": labels})
        patch_vary_headers(response, ["HX-Request"])
        return response
    form = InvitationForm(request.POST or None, suggestions_url=reverse("accounts:invite"))
    if request.method == "POST" and form.is_valid():
        user = user_invite(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            roles=form.cleaned_data["roles"],
            organisation=form.cleaned_data["organisation"],
            language=form.cleaned_data["language"],
            invited_by=request.user,
        )
        messages.success(request, _("Die Einladung an %(email)s ist unterwegs.") % {"email": user.email})
        return redirect("accounts:invite")
    return render(request, "accounts/invite.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(
        request.POST or None, initial={"full_name": request.user.full_name, "language": request.user.language}
    )
    if request.method == "POST" and form.is_valid():
        request.user.full_name = form.cleaned_data["full_name"]
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["full_name", "language"])
        language = form.cleaned_data["language"]
        with translation.override(language):
            messages.success(request, _("Ihre Angaben sind gespeichert."))
        response = redirect("accounts:profile")
        # the pages follow the chosen language from now on (as the language switch does)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def my_data_export(request):
    """Art. 15 GDPR for the logged-in person: everything we hold, as JSON."""
    person = getattr(request.user, "person", None)
    data = personal_data_export(DataSubject(email=request.user.email, person=person))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response
