"""The token page: staff (and company editors for their own company) create, list and revoke tokens."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import selectors, services
from api.forms import TokenForm
from contacts.access import organisations_edited_by
from core.errors import ServiceError
from core.http import private_page, show_refusal
from core.permissions import role_required
from core.roles import Role


def _organisations(user):
    """``None`` for staff (tokens for the whole office), else the companies the editor edits."""
    return None if user.has_role(Role.STAFF) else list(organisations_edited_by(user).order_by("name"))


@role_required(Role.STAFF, Role.EDITOR)
@private_page
def token_list(request):
    organisations = _organisations(request.user)
    form = TokenForm(request.POST or None, organisations=organisations)
    created = None
    if request.method == "POST" and form.is_valid():
        organisation = None
        if organisations is not None:
            organisation = next((o for o in organisations if o.pk == form.cleaned_data["organisation"]), None)
        try:
            created = services.token_create(
                user=request.user, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(), organisation=organisation,
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            form = TokenForm(organisations=organisations)
    tokens = selectors.tokens_for_user(request.user)
    context = {"form": form, "tokens": tokens, "created": created, "docs": reverse("api:v1:openapi-view")}
    return render(request, "api/token_list.html", context)


@role_required(Role.STAFF, Role.EDITOR)
@require_POST
def token_revoke(request, pk):
    token = selectors.tokens_for_user(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    services.token_revoke(token=token)
    messages.success(request, _("Das Token „%(name)s“ wurde widerrufen.") % {"name": token.name})
    return redirect("api:token_list")
