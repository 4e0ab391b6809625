from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assembly import audit


class Command(BaseCommand):
    help = "Create (or reset) the demo staff user: a Secretariat editor who can use the staff admin."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)

    def handle(self, *args, username, password, **options):
        if not username.strip() or len(password) < 8:
            raise CommandError("Give a username and a password of at least 8 characters.")
        user = get_user_model().objects.filter(username=username).first() or get_user_model()(username=username)
        # The same password rules as the admin's forms, demo or not.
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        with audit.command("ensure_demo_staff"):
            user.save()
            user.groups.add(Group.objects.get(name="Secretariat editor"))
        self.stdout.write(f"Demo staff user “{username}” is ready.")
