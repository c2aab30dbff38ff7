from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from core.fragments import row_key
from core.roles import Role
from core.startpage import register_home_block, register_start_block
from newsletter import selectors, services
from newsletter.forms import SubscribeForm


@register_start_block("newsletter", template="newsletter/_start_block.html", order=40)
def newsletter_block(user):
    if not user.has_role(Role.STAFF):
        return None
    return selectors.start_block()


@register_home_block(
    "newsletter.signup", template="newsletter/_home_signup.html", order=30,
    key=lambda context: (row_key(context["newsletter_list"]), context["wording"]),
)  # fmt: skip
def signup(request):
    """The public home page: a small sign-up form posting to the list's own sign-up page (double
    opt-in as there); hidden when no list takes sign-ups."""
    newsletter_list = selectors.signup_list()
    if newsletter_list is None:
        return None
    language = (get_language() or "de")[:2]
    initial = {"language": language if language in ("de", "en") else "de"}
    return {
        "newsletter_list": newsletter_list,
        # built only when the fragment is rendered, not on every visit that finds it cached
        "form": SimpleLazyObject(lambda: SubscribeForm(initial=initial, auto_id="home-nl-%s")),
        "wording": services.consent_wording_for(newsletter_list)[0],
    }
