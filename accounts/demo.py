"""Demo teams and people; every app adds its demo.seed to `SEEDS` from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from allauth.account.models import EmailAddress

from accounts.models import EscalationContact, Membership, Role, Team, User
from rota.parts import Parts

DEMO_PASSWORD = "rota-demo-2026"

# seed(log) functions, run by `manage.py seed_demo` in the order the apps start (INSTALLED_APPS).
SEEDS: Parts = Parts("demo data")


class TeamSpec(TypedDict):
    """One demo team: people are (email, name, zone, role); contacts (name, role, phone, email)."""

    slug: str
    name: str
    timezone: str
    contacts: list[tuple[str, str, str, str]]
    people: list[tuple[str, str, str, Role]]


TEAMS: list[TeamSpec] = [
    {
        "slug": "payments",
        "name": "Payments",
        "timezone": "Europe/London",
        "contacts": [
            ("Priya Raman", "Engineering manager", "+442079460101", "priya.raman@example.com"),
            ("Tom Hughes", "Head of infrastructure", "+442079460102", "tom.hughes@example.com"),
            ("Duty director", "Incident commander", "+442079460199", ""),
        ],
        "people": [
            ("maya@example.com", "Maya Patel", "Europe/London", Role.MANAGER),
            ("oliver@example.com", "Oliver Bennett", "Europe/London", Role.ENGINEER),
            ("amelia@example.com", "Amelia Clarke", "Europe/London", Role.ENGINEER),
            ("jack@example.com", "Jack Wilson", "Europe/London", Role.ENGINEER),
            ("sofia@example.com", "Sofia Rossi", "Europe/Rome", Role.ENGINEER),
            ("noah@example.com", "Noah Evans", "Europe/London", Role.ENGINEER),
            ("isla@example.com", "Isla Murphy", "Europe/Dublin", Role.ENGINEER),
            ("george@example.com", "George Adeyemi", "Europe/London", Role.ENGINEER),
            ("liam@example.com", "Liam O'Brien", "Europe/Dublin", Role.ENGINEER),
            ("chloe@example.com", "Chloe Martin", "Europe/London", Role.ENGINEER),
        ],
    },
    {
        "slug": "platform",
        "name": "Platform (follow the sun)",
        "timezone": "Europe/London",
        "contacts": [
            (
                "Dana Whitfield",
                "Director of platform",
                "+12125550143",
                "dana.whitfield@example.com",
            ),
            ("Platform duty lead", "Escalation desk", "+6562350100", "platform-duty@example.com"),
        ],
        "people": [
            ("lee@example.com", "Lee Wong", "Asia/Singapore", Role.MANAGER),
            ("hannah@example.com", "Hannah Schmidt", "Europe/London", Role.ENGINEER),
            ("ravi@example.com", "Ravi Kumar", "Europe/London", Role.ENGINEER),
            ("emma@example.com", "Emma Johnson", "America/New_York", Role.ENGINEER),
            ("carlos@example.com", "Carlos Mendes", "America/New_York", Role.ENGINEER),
            ("mei@example.com", "Mei Lin Tan", "Asia/Singapore", Role.ENGINEER),
            ("arjun@example.com", "Arjun Nair", "Asia/Singapore", Role.ENGINEER),
            ("zoe@example.com", "Zoe Carter", "America/New_York", Role.ENGINEER),
            ("fatima@example.com", "Fatima Hassan", "Europe/London", Role.ENGINEER),
        ],
    },
]


def seed(log: Callable[[str], None]) -> None:
    """Create the demo teams, people, memberships and escalation contacts."""
    for index, spec in enumerate(TEAMS):
        team, _ = Team.objects.update_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "timezone": spec["timezone"]}
        )
        if not team.escalation_contacts.exists():
            EscalationContact.objects.bulk_create(
                EscalationContact(team=team, position=pos, name=n, role=r, phone=p, email=e)
                for pos, (n, r, p, e) in enumerate(spec["contacts"])
            )
        for number, (email, name, zone, role) in enumerate(spec["people"]):
            user = User.objects.filter(email=email).first()
            if user is None:
                # Leave one person without an on-call phone so the dashboard shows the warning.
                phone = "" if number == 7 else f"+447700{900100 + index * 100 + number}"
                user = User.objects.create_user(
                    email, DEMO_PASSWORD, display_name=name, timezone=zone, oncall_phone=phone
                )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            Membership.objects.get_or_create(user=user, team=team, defaults={"role": role})
    # One engineer works in both teams, as people do.
    Membership.objects.get_or_create(
        user=User.objects.get(email="ravi@example.com"),
        team=Team.objects.get(slug="payments"),
        defaults={"role": Role.ENGINEER},
    )
    log(f"Demo teams: {', '.join(spec['name'] for spec in TEAMS)}")


def logins() -> list[tuple[str, str, str]]:
    """Return (email, team, role) rows to print."""
    rows = []
    for spec in TEAMS:
        for email, _name, _zone, role in spec["people"]:
            rows.append((email, spec["name"], role.label))
    return rows
