"""Load the demo data (idempotent) and print the logins."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo


class Command(BaseCommand):
    help = "Create or refresh the demo teams, people and data of every app; print the logins."

    def handle(self, *args, **options) -> None:
        """Seed every app's demo data; print what was done (unless -v 0) and the logins."""
        quiet = options["verbosity"] < 1

        def log(line: str) -> None:
            if not quiet:
                self.stdout.write(line)

        # Demo data must not mail anyone: publishing the demo rotas would send invitations.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            for seed in demo.SEEDS:
                seed(log)
        if options["verbosity"] >= 1:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        )
        for email, team, role in demo.logins():
            self.stdout.write(f"  {email:<22} {role:<9} {team}")
