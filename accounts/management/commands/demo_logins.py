from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the demo logins for every role."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD})")
        for description, email in demo_logins():
            self.stdout.write(f"  {description:<32} {email}")
        admin_url = settings.SITE_URL + reverse("admin:index")
        self.stdout.write(f"  {'Django-Admin':<32} admin@kammerwerk.example ({admin_url})")
