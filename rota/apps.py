from django import forms
from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = "Rota"

    def ready(self) -> None:
        """Write form labels without Django's trailing colon, on every form of every app."""
        original = forms.BaseForm.__init__

        def __init__(self, *args, **kwargs) -> None:  # noqa: N807, ANN001, ANN002, ANN003
            original(self, *args, **kwargs)
            # ":" is Django's default; a form that chose its own suffix keeps it.
            if self.label_suffix == ":":
                self.label_suffix = ""

        if not getattr(original, "rota_no_colon", False):
            # A marker on the function (patch once), and the patch itself: both on purpose.
            __init__.rota_no_colon = True  # type: ignore[attr-defined]
            forms.BaseForm.__init__ = __init__  # type: ignore[method-assign]
