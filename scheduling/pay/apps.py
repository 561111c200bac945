from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "scheduling.pay"
    label = "pay"

    def ready(self) -> None:
        """Renew the team's stamp when its pay rules or locked months change; add the demo."""
        from accounts import demo as demo_data
        from accounts import stamps
        from scheduling.pay import demo
        from scheduling.pay.models import PayMonth, PayPolicy, PayRate

        demo_data.SEEDS.add(demo.seed)
        stamps.watch(PayPolicy, stamps.by_team)
        stamps.watch(PayMonth, stamps.by_team)
        stamps.watch(PayRate, lambda rate: [rate.policy.team_id])
