"""Deliveries on a need's page (bangfu.needs.plugins): the deliveries made for the need, the way to
make one or link one the household already has, and the rule that a need whose delivery is under
way is resolved by that delivery, not by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bangfu.deliveries.models import OPEN_STATUSES, Delivery, DeliveryStatus
from bangfu.deliveries.services import may_deliver_for
from bangfu.needs.models import Category

# The needs a delivery is the ordinary answer to: resolved otherwise, someone says what was done.
DELIVERY_CATEGORIES = frozenset({Category.LIVING_SUPPLIES, Category.EPIDEMIC_SUPPLIES, Category.ERRAND})


@dataclass
class NeedDeliveriesPanel:
    need: object
    deliveries: list[Delivery]
    linkable: list[Delivery] = field(default_factory=list)
    may_act: bool = False
    expects_delivery: bool = False
    template: str = "deliveries/_need_panel.html"


def need_panel(user, need) -> NeedDeliveriesPanel | None:
    """Two queries at most: the need's deliveries, and the household's others it may take."""
    deliveries = list(Delivery.objects.visible_to(user).filter(need_id=need.pk)
                      .select_related("item", "caseworker").order_by("requested_at", "pk"))
    may_act = need.is_open and may_deliver_for(user, need)
    expects = need.category in DELIVERY_CATEGORIES
    if not deliveries and not (may_act and expects):
        return None
    linkable = []
    if may_act:
        linkable = list(Delivery.objects.visible_to(user)
                        .filter(household_id=need.household_id, need__isnull=True)
                        .exclude(status=DeliveryStatus.FAILED).select_related("item")
                        .order_by("-requested_at", "-pk")[:20])
    return NeedDeliveriesPanel(need=need, deliveries=deliveries, linkable=linkable, may_act=may_act,
                               expects_delivery=expects)


def resolve_check(need) -> None:
    """Resolving by hand is refused while a delivery for the need is under way."""
    if Delivery.objects.filter(need_id=need.pk, status__in=OPEN_STATUSES).exists():
        raise ValidationError({"result": _(
            "A delivery for this need is under way: the need is resolved when it is delivered. "
            "Record the delivery as not delivered first to resolve the need another way.")})
