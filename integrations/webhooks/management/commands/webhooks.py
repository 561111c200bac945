"""Operators' webhook commands: `webhooks add --team SLUG --url URL [--event NAME …]`, `list`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Team
from integrations.webhooks import services
from integrations.webhooks.errors import WebhookError
from integrations.webhooks.models import EVENT_NAMES, Endpoint


class Command(BaseCommand):
    help = "Add or list a team's outbound webhooks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add an endpoint; prints its signing secret last.")
        add.add_argument("--team", required=True, help="The team's slug.")
        add.add_argument("--url", required=True)
        add.add_argument(
            "--event",
            action="append",
            dest="events",
            choices=EVENT_NAMES,
            help="An event to send (repeatable); all events when left out.",
        )
        add.add_argument("--description", default="")
        listing = sub.add_parser("list", help="List endpoints.")
        listing.add_argument("--team", help="Only this team's.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            endpoints = Endpoint.objects.select_related("team")
            if options.get("team"):
                endpoints = endpoints.filter(team__slug=options["team"])
            for endpoint in endpoints:
                state = "on" if endpoint.is_active else "off"
                self.stdout.write(
                    f"{endpoint.pk}\t{endpoint.team.slug}\t{state}\t{endpoint.url}\t"
                    + ",".join(endpoint.events)
                )
            return
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"No team with the slug {options['team']!r}.")
        try:
            endpoint = services.add_endpoint(
                team=team,
                url=options["url"],
                events=options["events"] or list(EVENT_NAMES),
                description=options["description"],
                by=None,
            )
        except WebhookError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Added webhook {endpoint.pk} for {team.slug}: {endpoint.url} "
            f"({', '.join(endpoint.events)}). Signing secret:"
        )
        self.stdout.write(endpoint.secret)
