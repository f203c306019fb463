"""Prepare the embedded demo: migrate, a staff login, the five samples loaded and published,
static files collected (hashed and gzipped, so runserver serves them as production does)."""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_USER = "demo"
DEMO_PASSWORD = os.environ.get("YUJUE_DEMO_PASSWORD", "yujue-demo")


class Command(BaseCommand):
    help = "Migrate, collect static files, create the demo staff login, load + publish the samples."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # Into var/static; config.settings.local serves this collection through WhiteNoise
        # (compressed, immutable hashed URLs) while it is newer than the sources.
        call_command("collectstatic", interactive=False, verbosity=0)
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USER, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        call_command("load_reference")
        call_command("load_samples", publish=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Staff login: {DEMO_USER} / {DEMO_PASSWORD}"
                + ("" if created else " (existing user; password unchanged)")
            )
        )
