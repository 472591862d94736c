from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "bangfu.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from bangfu.regions.models import Region
        from bangfu.regions.queries import forget_region_names

        post_save.connect(forget_region_names, sender=Region, dispatch_uid="regions.forget_names.save")
        post_delete.connect(forget_region_names, sender=Region, dispatch_uid="regions.forget_names.delete")
