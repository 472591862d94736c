"""The pages of produce and sales: the sales list with its filters, a sale recorded on a phone
(through the outbox), the products and cooperatives, the buyers, and the numbers by buyer unit,
channel, week and month with a spreadsheet of each."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import outbox_errors, outbox_form
from bangfu.core.permissions import can, require
from bangfu.households.models import Household
from bangfu.regions import queries as region_queries
from bangfu.regions.models import Region
from bangfu.sales import exports, queries, services
from bangfu.sales.forms import BuyerForm, CooperativeForm, ProductForm, SaleFilterForm, SaleForm

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
SALES_SHOWN = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter(request: HttpRequest, *, default_start: dt.date | None = None,
            default_end: dt.date | None = None) -> tuple[SaleFilterForm, queries.SaleFilter]:
    """The filters asked for; a period left out (not emptied) is the default's. The summary tables
    link here with ?region=CODE&from=DAY&to=DAY (core.figures)."""
    query = request.GET.copy()
    for given, field in (("from", "start"), ("to", "end")):
        if given in query and field not in query:
            query[field] = query[given]
    form = SaleFilterForm(query or None, initial={"start": default_start, "end": default_end})
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("start") or (None if query.get("start") is not None else default_start)
    end = data.get("end") or (None if query.get("end") is not None else default_end)
    return form, queries.SaleFilter(channel=data.get("channel") or "", buyer_kind=data.get("buyer_kind") or "",
                                    start=start, end=end, region=query.get("region", "")[:15])


@login_required
@GET
def sale_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "sale.view")
    form, chosen = _filter(request)
    sales = queries.sales_for(request.user, chosen)
    return render(request, "sales/sales.html", {
        "form": form, "rows": list(sales[:SALES_SHOWN]), "totals": queries.totals(sales), "shown": SALES_SHOWN,
        "may_record": can(request.user, "sale.record")})


@outbox_form
@login_required
@GET_POST
def sale_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "sale.record")
    products = list(queries.products_for(request.user).filter(active=True))
    buyers = list(queries.buyers_for(request.user))
    form = SaleForm(request.POST or None, products=products, buyers=buyers,
                    initial={"sold_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        numbers = data["households"]
        households = list(Household.objects.visible_to(request.user).filter(number__in=numbers))
        missing = sorted(set(numbers) - {h.number for h in households})
        if missing:
            form.add_error("households", _("No household in your area has the number %(numbers)s.") % {
                "numbers": "、".join(missing)})
        else:
            try:
                _sale, created = services.sale_record(
                    product=next(p for p in products if str(p.pk) == data["product"]),
                    buyer=next(b for b in buyers if str(b.pk) == data["buyer"]), channel=data["channel"],
                    quantity=data["quantity"], amount=data["amount"], sold_on=data["sold_on"],
                    households=households, beneficiary_households=data["beneficiary_households"],
                    note=data["note"], client_id=data["client_id"] or None, actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                if created:
                    messages.success(request, _("Sale recorded."))
                else:
                    messages.info(request, _("This was recorded already."))
                return redirect("sales:list")
    outbox_errors(request, form)
    return render(request, "sales/sale_form.html", {"form": form, "has_products": bool(products),
                                                    "has_buyers": bool(buyers)})


@login_required
@GET
def product_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "sale.view")
    return render(request, "sales/products.html", {
        "rows": list(queries.products_for(request.user)), "cooperatives": list(queries.cooperatives_for(request.user)),
        "may_manage": can(request.user, "product.manage")})


def _villages(user) -> list[Region]:
    return list(region_queries.villages_within(user.scope).only("code", "name"))


@login_required
@GET_POST
def product_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "product.manage")
    villages, cooperatives = _villages(request.user), list(queries.cooperatives_for(request.user))
    assets = list(queries.producing_assets_for(request.user))
    form = ProductForm(request.POST or None, villages=villages, cooperatives=cooperatives, assets=assets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        village = next(v for v in villages if v.code == data["village"])
        household = None
        if data["household"]:
            household = Household.objects.visible_to(request.user).filter(number=data["household"]).first()
            if household is None:
                form.add_error("household", _("No household in your area has the number %(numbers)s.") % {
                    "numbers": data["household"]})
        if form.is_valid():
            try:
                services.product_create(
                    village=village, name=data["name"], category=data["category"], unit=data["unit"],
                    household=household, actor=request.user, asset=form.assets.get(data["asset"]),
                    cooperative=next((c for c in cooperatives if str(c.pk) == data["cooperative"]), None))
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("Product recorded."))
                return redirect("sales:products")
    return render(request, "sales/simple_form.html", {"form": form, "title": _("New product"),
                                                      "back": "sales:products"})


@login_required
@GET_POST
def cooperative_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "product.manage")
    villages = _villages(request.user)
    form = CooperativeForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cooperative_create(village=next(v for v in villages if v.code == data["village"]),
                                        name=data["name"], contact=data["contact"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Cooperative recorded."))
            return redirect("sales:products")
    return render(request, "sales/simple_form.html", {"form": form, "title": _("New cooperative"),
                                                      "back": "sales:products"})


@login_required
@GET
def buyer_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "sale.view")
    return render(request, "sales/buyers.html", {"rows": list(queries.buyers_for(request.user)),
                                                 "may_record": can(request.user, "sale.record")})


@login_required
@GET_POST
def buyer_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "sale.record")
    form = BuyerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.buyer_create(name=data["name"], kind=data["kind"], contact=data["contact"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Buyer recorded."))
            return redirect("sales:buyers")
    return render(request, "sales/simple_form.html", {"form": form, "title": _("New buyer"), "back": "sales:buyers"})


def _numbers_period(request: HttpRequest):
    today = local_today()
    return _filter(request, default_start=today.replace(month=1, day=1), default_end=today)


@login_required
@GET
def numbers(request: HttpRequest) -> HttpResponse:
    require(request.user, "sale.view")
    form, chosen = _numbers_period(request)
    sales = queries.sales_for(request.user, chosen)
    tables = [(key, exports.TITLES[key], function(sales)) for key, function in queries.TABLES.items()]
    return render(request, "sales/numbers.html", {"form": form, "tables": tables, "totals": queries.totals(sales),
                                                  "query": request.GET.urlencode(), "chosen": chosen})


@login_required
@GET
def numbers_export(request: HttpRequest, table: str) -> HttpResponse:
    require(request.user, "sale.view")
    if table not in queries.TABLES:
        raise Http404("no such table")
    _form, chosen = _numbers_period(request)
    content = exports.numbers_xlsx(table=table, sales=queries.sales_for(request.user, chosen), chosen=chosen)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="sales-by-{table}-{local_today():%Y%m%d}.xlsx"'
    return response
