from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Work across every app for operators: the demo (`bangfu demo`) and synthetic data (`bangfu
    synth`), each app adding its part as steps declared on its AppConfig (`demo_steps`, `synth_steps`)."""

    name = "bangfu.ops"
    label = "ops"
    verbose_name = _("Operations")
