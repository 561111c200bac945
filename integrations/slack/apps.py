from django.apps import AppConfig


class SlackConfig(AppConfig):
    name = "integrations.slack"
    label = "slack"
    verbose_name = "Slack"

    def ready(self) -> None:
        """Listen to scheduling's signals; renew the team's stamp when its Slack rows change."""
        from accounts import stamps
        from integrations.slack import receivers  # noqa: F401
        from integrations.slack.models import Call, Installation, UserGroup

        stamps.watch(Installation, stamps.by_team)
        stamps.watch(Call, lambda call: [call.installation.team_id])
        stamps.watch(UserGroup, lambda group: [group.installation.team_id])
