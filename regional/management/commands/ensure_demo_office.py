from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assembly import audit
from regional.models import Region
from regional.services import regional_office_user_set


class Command(BaseCommand):
    help = "Create (or reset) a demo regional office user of one region, for the nominations portal."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--region", required=True, help="The region's KATO code, e.g. 75 for Almaty.")

    def handle(self, *args, username, password, region, **options):
        if not username.strip() or len(password) < 8:
            raise CommandError("Give a username and a password of at least 8 characters.")
        try:
            region = Region.objects.get(kato=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region has the KATO code {region!r}.") from None
        user = get_user_model().objects.filter(username=username).first() or get_user_model()(username=username)
        # The same password rules as the admin's forms, demo or not.
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        with audit.command("ensure_demo_office"):
            user.save()
            regional_office_user_set(user=user, region=region)
        self.stdout.write(f"Demo regional office user “{username}” ({region.name_en}) is ready.")
