"""Supply pages for the township office (tables at 1280 px that also read on a phone): stock by item,
an item's ledger, receive / issue / adjust, items. Distributions are the deliveries' own pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bangfu.core.forms import attach_errors
from bangfu.core.permissions import require
from bangfu.regions.models import Region
from bangfu.supplies import queries, services
from bangfu.supplies.forms import ItemForm, MoveForm
from bangfu.supplies.models import MoveKind
from bangfu.supplies.panels import stock_panels

GET_POST = require_http_methods(["GET", "POST"])
LEDGER_LIMIT = 200


def _township(request: HttpRequest) -> Region:
    return queries.township_get(request.user, request.GET.get("township") or request.POST.get("township"))


def _with_township(url: str, township: Region, request: HttpRequest) -> str:
    """Keep the township in links only for users who see more than one."""
    return f"{url}?township={township.code}" if request.GET.get("township") else url


@login_required
@require_http_methods(["GET"])
def stock(request: HttpRequest) -> HttpResponse:
    require(request.user, "supplies.view")
    township = _township(request)
    may_move = services.township_in_scope(request.user, township)
    return render(request, "supplies/stock.html", {
        "township": township,
        "townships": list(queries.townships_for(request.user)[:50]),
        "lines": queries.stock_lines(township),
        "panels": stock_panels(request.user, township, may_move=may_move),
        "may_move": may_move,
    })


@login_required
@require_http_methods(["GET"])
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "supplies.view")
    township = _township(request)
    item = queries.item_get(township, pk)
    moves = queries.moves_as_seen(request.user, list(queries.ledger(township, item)[:LEDGER_LIMIT]))
    return render(request, "supplies/ledger.html", {
        "township": township, "item": item, "moves": moves, "limit": LEDGER_LIMIT,
        "balance": queries.stock_balance(township, item),
        "may_move": services.township_in_scope(request.user, township),
    })


MOVE_TITLES = {
    MoveKind.RECEIVE: gettext_lazy("Receive goods"),
    MoveKind.ISSUE: gettext_lazy("Issue goods"),
    MoveKind.ADJUST: gettext_lazy("Adjust the stock"),
}


@login_required
@GET_POST
def move(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MoveKind.values:
        raise Http404("no such move")
    require(request.user, "stock.move")
    township = _township(request)
    items = queries.items_for(township)
    initial = {"item": request.GET.get("item")} if request.GET.get("item", "").isdigit() else {}
    form = MoveForm(request.POST if request.method == "POST" else None, kind=kind, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {"township": township, "item": data["item"], "actor": request.user,
                  "client_id": data.get("client_id") or None}
        try:
            if kind == MoveKind.RECEIVE:
                moved = services.stock_receive(quantity=data["quantity"], source=data["source"],
                                               note=data.get("note") or "", **common)
            elif kind == MoveKind.ISSUE:
                moved = services.stock_issue(quantity=data["quantity"], note=data["note"], **common)
            else:
                moved = services.stock_adjust(quantity=data["quantity"], reason=data["reason"], **common)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(move)s: %(item)s %(quantity)+d %(unit)s, now %(balance)d %(unit)s.") % {
                "move": moved.get_kind_display(), "item": moved.item.name, "quantity": moved.quantity,
                "unit": moved.item.unit, "balance": moved.balance_after,
            })
            return redirect(_with_township(reverse("supplies:ledger", args=[moved.item_id]), township, request))
    return render(request, "supplies/move_form.html", {
        "form": form, "township": township, "kind": kind, "title": MOVE_TITLES[kind],
        "lines": queries.stock_lines(township),
        "cancel_url": _with_township(reverse("supplies:stock"), township, request),
    })


@login_required
@GET_POST
def item_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "supplies.manage")
    township = _township(request)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(township=township, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(item)s is added.") % {"item": item.name})
            return redirect(_with_township(reverse("supplies:stock"), township, request))
    return render(request, "supplies/item_form.html", {
        "form": form, "township": township,
        "cancel_url": _with_township(reverse("supplies:stock"), township, request),
    })
