"""Household pages: list with search and filters, and the household's own page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bangfu.households import queries


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    flt = queries.HouseholdFilter(q=request.GET.get("q", ""))
    page = queries.household_page(request.user, flt, cursor=request.GET.get("cursor", ""))
    return render(request, "households/list.html", {"page": page})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_get(request.user, pk)
    return render(request, "households/detail.html", {
        "household": household,
        "members": queries.members_of(household),
        "history": queries.household_history(request.user, household),
    })
