from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "scheduling.availability"
    label = "availability"
