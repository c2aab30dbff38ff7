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
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import InvitationForm, LoginForm, PasswordResetRequestForm, ProfileForm
from accounts.models import User
from accounts.selectors import role_change_preview
from accounts.services import AccountExists
from core.errors import ServiceError
from core.http import private_page, show_refusal
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
    """The same answer, in the same time, for every address: the form only queues a background task."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@private_page
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
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="accounts.backends.UserRolesBackend")
        messages.success(request, _("Ihr Passwort ist gesetzt. Willkommen bei Kammerwerk!"))
        return redirect("core:start")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited_user": user})


@staff_required
def invite(request):
    """Invite a person with roles. An address that already has an account is refused; the lead sees
    the change of its roles and confirms it (``confirm=roles``)."""
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_invite(
                email=data["email"], full_name=data["full_name"], roles=data["roles"], language=data["language"],
                invited_by=request.user,
            )  # fmt: skip
        except AccountExists as error:
            if not services.may_change_roles(request.user):
                show_refusal(request, error, form)
            elif request.POST.get("confirm") != "roles":
                before, after = role_change_preview(error.user, data["roles"])
                if before == after:
                    form.add_error("roles", _("%(email)s hat diese Rollen schon.") % {"email": error.user.email})
                else:
                    context = {"form": form, "account": error.user, "roles_before": before, "roles_after": after}
                    return render(request, "accounts/invite_confirm.html", context)
            else:
                try:
                    services.user_roles_grant(user=error.user, roles=data["roles"], granted_by=request.user)
                except ServiceError as refusal:
                    show_refusal(request, refusal, form)
                else:
                    messages.success(
                        request, _("Die Rollen von %(email)s sind geändert.") % {"email": error.user.email}
                    )
                    return redirect("accounts:invite")
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Einladung an %(email)s ist unterwegs.") % {"email": user.email})
            return redirect("accounts:invite")
    return render(request, "accounts/invite.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(
        request.POST or None, initial={"full_name": request.user.full_name, "language": request.user.language}
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_profile_update(user=request.user, full_name=form.cleaned_data["full_name"], language=language)
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
