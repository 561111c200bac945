from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "scheduling.oncall"
    label = "oncall"
    verbose_name = "On call"

    def ready(self) -> None:
        """Renew the team's stamp when a handover note changes."""
        from accounts import stamps
        from scheduling.oncall.models import HandoverNote

        stamps.watch(HandoverNote, lambda note: [note.shift.team_id])
