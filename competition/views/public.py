from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from competition import access, selectors, services
from competition.forms import AccountRequestForm, ConsentForm
from competition.models import Participant, SubjectArea
from core.errors import ServiceError
from core.http import client_ip, private_page, show_refusal


def home(request):
    """What the contest is, the current round's dates, how to take part, published results."""
    edition = selectors.current_edition()
    today = timezone.localdate()
    return render(
        request,
        "competition/home.html",
        {
            "edition": edition,
            "registration_open": bool(edition and not edition.is_published and today <= edition.registration_deadline),
            "areas": SubjectArea.choices,
            "published": selectors.published_editions(),
        },
    )


def results_public(request, year):
    edition = selectors.edition_for_year(year)
    if edition is None or not edition.is_published:
        raise Http404
    return render(request, "competition/results_public.html", {"edition": edition, **selectors.public_results(edition)})


@private_page
def consent(request, token):
    """The parent's page, opened by the mailed link: the wording, consent or decline."""
    consent = access.consent_by_token(token)
    participant = consent.participant
    if participant.anonymised_at is not None:
        raise Http404
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        give = request.POST.get("action") == "give"
        if give and not form.cleaned_data["agree"]:
            form.add_error("agree", _("Bitte bestätigen Sie die Einwilligung mit dem Häkchen."))
        else:
            try:
                services.consent_answer(
                    token=token, give=give, parent_name=form.cleaned_data["parent_name"],
                    keep_data=form.cleaned_data["keep_data"], ip=client_ip(request),
                )  # fmt: skip
            except ServiceError as error:
                show_refusal(request, error, form if error.field else None)
            else:
                if give:
                    messages.success(request, _("Vielen Dank! Ihre Einwilligung ist gespeichert."))
                else:
                    messages.info(
                        request, _("Ihre Ablehnung ist gespeichert. Die Lehrkraft sieht, dass die Einwilligung fehlt.")
                    )
                return redirect("competition:consent", token=token)
    projects = [m.project for m in participant.memberships.select_related("project").order_by("project__number")]
    return render(
        request,
        "competition/consent.html",
        {
            "consent": consent,
            "participant": participant,
            "edition": participant.edition,
            "projects": projects,
            "form": form,
            "wording": services.CONSENT_WORDING,
            "keep_wording": services.CONSENT_KEEP_WORDING,
            "answered": consent.answered_at is not None,
            "given": consent.status == Participant.Consent.GIVEN,
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


def account_request(request):
    """A teacher or pupil asks for an account to register projects."""
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_request(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                language=get_language() or "de",
            )
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request,
                _("Danke! Wir haben Ihnen eine E-Mail geschickt; darin steht, wie Sie sich anmelden."),
            )
            return redirect("competition:account_request")
    return render(request, "competition/account_request.html", {"form": form}, status=400 if form.errors else 200)
