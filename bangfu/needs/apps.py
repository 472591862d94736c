from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem


class NeedsConfig(AppConfig):
    name = "bangfu.needs"
    label = "needs"
    verbose_name = _("Needs")
    nav = (
        NavItem(_("Needs"), "needs:board", "need.view", order=35, also_current=("needs:*",)),
    )

    def ready(self) -> None:
        # A household's timeline shows its needs' steps: name the object and its fields there.
        from bangfu.households import display
        from bangfu.needs.models import Need

        display.MODELS.setdefault("need", Need)
        display.OBJECT_LABELS.setdefault("need", Need._meta.verbose_name)
        # The step's name is for the need's own timeline; the status change already tells it there.
        display.HIDDEN_KEYS = display.HIDDEN_KEYS | {"action"}
