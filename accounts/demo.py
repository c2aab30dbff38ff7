"""Demo logins, one per role. ``make run`` prints them.

Runs first (accounts is the lowest layer); contacts' demo ties the two editors to their companies.
"""

from accounts.models import User
from accounts.services import user_set_roles
from core.demo import register_demo
from core.roles import Role

DEMO_PASSWORD = "kammerwerk-demo"  # noqa: S105 – the published demo password

DEMO_USERS = [
    # email, name, roles, description
    ("leitung@kammerwerk.example", "Dr. Hanna Leitner", [Role.LEAD], "Bereichsleitung"),
    ("team@kammerwerk.example", "Jonas Berger", [Role.STAFF], "Geschäftsstelle"),
    ("redaktion@kammerwerk.example", "Miriam Redder", [Role.EDITOR], "Firmenredaktion (eine Firma)"),
    ("redaktion2@kammerwerk.example", "Paul Zweig", [Role.EDITOR], "Firmenredaktion (andere Firma)"),
    ("patentanwalt@kammerwerk.example", "Dr. Felix Patent", [Role.EXPERT], "Experte (Patentanwalt)"),
    ("jury@kammerwerk.example", "Prof. Ines Jury", [Role.JUROR], "Jurymitglied"),
    ("schueler@kammerwerk.example", "Lea Schüler", [Role.PUBLIC], "Registrierte Person"),
]


@register_demo("accounts", order=5)
def build(rng) -> str:
    created = 0
    for email, name, roles, _description in DEMO_USERS:
        user, was_created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
            user_set_roles(user=user, roles=list(roles))
    if not User.objects.filter(is_superuser=True).exists():
        User.objects.create_superuser("admin@kammerwerk.example", DEMO_PASSWORD, full_name="Admin")
    return f"{created} Demo-Konten angelegt"


def demo_logins() -> list[tuple[str, str]]:
    return [(description, email) for email, _name, _roles, description in DEMO_USERS]
