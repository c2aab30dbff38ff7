"""The import rule of ARCHITECTURE.md holds for the whole project (see testing/layers.py)."""

from pathlib import Path
from textwrap import dedent

from testing.layers import violations

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_layers_point_one_way_and_modules_talk_through_selectors_and_services():
    found = violations(PROJECT_ROOT)
    assert not found, "Imports that break the layer rule:\n" + "\n".join(map(str, found))


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")


def test_the_rule_finds_a_planted_violation_of_each_kind(tmp_path):
    _plant(
        tmp_path,
        {
            "core/mail.py": "from accounts.models import User\n",  # lower layer → higher
            "accounts/services.py": """
                def invite():
                    from contacts.models import OrganisationEditor  # inside a function
            """,
            "newsletter/sources.py": """
                from django.apps import apps
                from events.models import Event  # another module's models
                from portal import views  # another module's views
                offer_model = apps.get_model("portal", "Offer")  # a model by name
            """,
            "newsletter/items.py": "from events.selectors import upcoming_public_events\n",  # allowed
            "events/services.py": "from newsletter.services import issue_send\n",  # no declared edge
            "events/tests/test_x.py": "from portal.models import Offer\n",  # tests are exempt
            "advisory/views.py": "from contacts.models import Organisation\n",  # lower layer: allowed
        },
    )
    found = {(v.path, v.target) for v in violations(tmp_path)}
    assert found == {
        ("core/mail.py", "accounts.models"),
        ("accounts/services.py", "contacts.models"),
        ("newsletter/sources.py", "events.models"),
        ("newsletter/sources.py", "portal.views"),
        ("newsletter/sources.py", "portal.models"),
        ("events/services.py", "newsletter.services"),
    }


def test_a_clean_tree_passes(tmp_path):
    _plant(
        tmp_path,
        {
            "contacts/services.py": "from accounts.services import user_invite\nfrom core.mail import mail_queue\n",
            "portal/services.py": "from events import services as event_services\n",
        },
    )
    assert violations(tmp_path) == []
