from django.core.management.base import BaseCommand, CommandError

from amanah.core import services
from amanah.core.models import User


class Command(BaseCommand):
    help = "Create an API token for a staff account and print it once."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email=email.lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with e-mail {email}")
        self.stdout.write(services.create_token("cli", user, name=name))
