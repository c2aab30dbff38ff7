from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the demo logins for every role."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD})")
        for description, email in demo_logins():
            self.stdout.write(f"  {description:<32} {email}")
        self.stdout.write(f"  {'Django-Admin':<32} admin@kammerwerk.example")
