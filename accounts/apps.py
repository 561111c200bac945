from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        """Renew a team's stamp when its people, members or contacts change; add the demo."""
        from allauth.mfa.models import Authenticator

        from accounts import dashboard, demo, needs, stamps
        from accounts.models import EscalationContact, Membership, Team, User

        stamps.watch(Team, lambda team: [team.pk])
        # Signing in saves last_login only: no team page shows it, so no page is rebuilt.
        stamps.watch(User, lambda user: stamps.teams_of_users([user.pk]), unseen=["last_login"])
        stamps.watch(Membership, stamps.by_team)
        stamps.watch(EscalationContact, stamps.by_team)
        stamps.watch(Authenticator, stamps.by_user)  # "has two-factor" is a requirement check
        demo.SEEDS.add(demo.seed)
        # Managers see "Needs you" first; the apps add its lines to needs.NEEDS.
        dashboard.PANELS.add(needs.needs_you_panel)
