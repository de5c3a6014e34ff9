from django.core.management.base import BaseCommand, CommandError

from alqa.domain.tokens import issue_token
from alqa.models import User


class Command(BaseCommand):
    help = "Issue an API token for the user with this e-mail and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail {email!r}.")
        issued = issue_token(user=user, name=name, actor=None)
        self.stdout.write(issued.secret)
