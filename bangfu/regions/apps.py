from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP
from bangfu.core.plugins import Step


class RegionsConfig(AppConfig):
    name = "bangfu.regions"
    label = "regions"
    verbose_name = _("Regions")
    # Pages (bangfu.urls) under this prefix.
    urls = {"regions/": "bangfu.regions.urls"}
    # region.load: the national list's villages of an area, an administrator anywhere, an office in
    # its own township (services.villages_load checks the area).
    permissions = {"region.add": EDITORS, "region.load": OFFICE_UP}
    # The villages page (the national list loaded, a township's own villages added), under 更多.
    nav = (NavItem(_("Villages"), "regions:villages", "region.add", order=96, more=True,
                   also_current=("regions:load",)),)
    # `bangfu serve` on a fresh install: the tree down to townships, before anyone logs in.
    serve_steps = (Step("bangfu.regions.services.regions_ensure", order=10),)

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from bangfu.regions.models import Region
        from bangfu.regions.queries import region_deleted, region_saved

        post_save.connect(region_saved, sender=Region, dispatch_uid="regions.names.save")
        post_delete.connect(region_deleted, sender=Region, dispatch_uid="regions.names.delete")
