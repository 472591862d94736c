"""Job posting pages: the township office's list, form, close and sheet import; a posting's
matches with the referral form (phone); a labourer's postings; publishing (the group's text in
parts and the poster)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.core import bounds
from bangfu.core.errors import ConflictError
from bangfu.core.forms import attach_errors
from bangfu.core.permissions import can, require
from bangfu.households.models import Member
from bangfu.work import posting_queries as pq
from bangfu.work import postings as services
from bangfu.work import publishing, queries
from bangfu.work.posting_forms import PostingForm, PostingSheetForm, ReferralForm
from bangfu.work.posting_models import PostingStatus, Step

GET_POST = require_http_methods(["GET", "POST"])
GET = require_http_methods(["GET"])


def _distance_labels():
    return (_("same village"), _("same township"), _("same county"), _("same city"), _("same province"),
            _("farther"))


def _township(request, townships, code: str = ""):
    own = request.user.region_id if request.user.region_id and len(townships) == 1 else ""
    return next((t for t in townships if t.code == (code or own or (townships[0].code if townships else ""))), None)


@login_required
@GET
def posting_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "posting.view")
    status = request.GET.get("status", PostingStatus.OPEN)
    if status not in (*PostingStatus.values, "all"):
        status = PostingStatus.OPEN
    search = (request.GET.get("q") or "").strip()[:bounds.SEARCH]
    rows = list(pq.postings_for(request.user, status="" if status == "all" else status, search=search)[:300])
    return render(request, "work/posting_list.html", {
        "rows": [(p, publishing.wage_text(p)) for p in rows], "status": status, "search": search,
        "may_manage": can(request.user, "posting.manage"),
        "publications": list(pq.publications_for(request.user)[:10])})


def _posting_form(request: HttpRequest, posting=None) -> HttpResponse:
    require(request.user, "posting.manage")
    townships = queries.townships_for(request.user)
    initial = {}
    if posting is not None:
        initial = {key: getattr(posting, key) for key in services.POSTING_FIELDS}
        initial.update(wage_min=posting.wage_min_fen, wage_max=posting.wage_max_fen)
    form = PostingForm(request.POST if request.method == "POST" else None, initial=initial)
    township = posting.region if posting else _township(request, townships, request.POST.get("township", ""))
    if request.method == "POST" and form.is_valid():
        try:
            if posting is None:
                if township is None:
                    raise ValidationError({"employer": [_("Choose a township of your area.")]})
                posting = services.posting_create(township=township, data=form.cleaned_data, actor=request.user)
                messages.success(request, _("The posting is open."))
            else:
                version = request.POST.get("version")
                services.posting_update(posting=posting, data=form.cleaned_data, actor=request.user,
                                        version=int(version) if (version or "").isdigit() else None)
                messages.success(request, _("The posting is saved."))
        except ValidationError as error:
            attach_errors(error, form)
        except ConflictError as error:
            messages.error(request, str(error.message))
        else:
            return redirect("work:posting", posting.pk)
    return render(request, "work/posting_form.html", {
        "form": form, "posting": posting, "townships": townships, "township": township})


@login_required
@GET_POST
def posting_add(request: HttpRequest) -> HttpResponse:
    return _posting_form(request)


@login_required
@GET_POST
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "posting.manage")
    return _posting_form(request, pq.posting_get(request.user, pk))


@login_required
@require_POST
def posting_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "posting.manage")
    posting = pq.posting_get(request.user, pk)
    services.posting_close(posting=posting, actor=request.user)
    messages.success(request, _("The posting is closed."))
    return redirect("work:postings")


@login_required
@GET
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A posting with the labourers who meet it, nearest first."""
    require(request.user, "posting.view")
    posting = pq.posting_get(request.user, pk)
    found = pq.matches(request.user, posting) if posting.status == PostingStatus.OPEN else []
    referrals = pq.referrals_of(request.user, posting)
    labels = _distance_labels()
    return render(request, "work/posting.html", {
        "posting": posting, "wage": publishing.wage_text(posting),
        "requirements": publishing.requirement_text(posting),
        "rows": [(m, labels[d], referrals.get(m.pk), uuid.uuid4()) for m, d in found[:300]], "total": len(found),
        "referred": [r for r in referrals.values()], "steps": Step.choices,
        "may_manage": can(request.user, "posting.manage"), "may_refer": can(request.user, "posting.refer")})


@login_required
@require_POST
def posting_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """A labourer told of a posting, interested, hired (a phone form, resent safely)."""
    require(request.user, "posting.refer")
    posting = pq.posting_get(request.user, pk)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[k].label or k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("work:posting", posting.pk)
    data = form.cleaned_data
    try:
        referral, _changed = services.referral_record(posting=posting, member=Member(pk=data["member"]),
                                                      step=data["step"], actor=request.user,
                                                      client_id=data.get("client_id"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s: %(step)s.") % {"name": referral.member.name,
                                                                "step": referral.get_step_display()})
    return redirect("work:posting", posting.pk)


@login_required
@GET
def labourer_postings(request: HttpRequest, pk: int) -> HttpResponse:
    """The open postings a labourer meets, nearest first."""
    require(request.user, "posting.view")
    member, _statuses = queries.member_statuses(request.user, pk)
    labels = _distance_labels()
    return render(request, "work/labourer_postings.html", {
        "member": member, "wage": publishing.wage_text,
        "rows": [(p, labels[d], publishing.wage_text(p)) for p, d in pq.postings_for_member(request.user, member)]})


@login_required
@GET_POST
def posting_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "posting.manage")
    townships = queries.townships_for(request.user)
    form = PostingSheetForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        township = _township(request, townships, request.POST.get("township", ""))
        if township is None:
            form.add_error("file", _("Choose a township of your area."))
        else:
            result = services.postings_import(source=form.cleaned_data["file"], township=township,
                                              actor=request.user)
            if not result.errors:
                messages.success(request, _("%(n)d postings imported.") % {"n": result.created})
                return redirect("work:postings")
    return render(request, "work/posting_import.html", {"form": form, "result": result, "townships": townships})


@login_required
@GET_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Choose open postings of a township and publish them: a publication records them."""
    require(request.user, "posting.manage")
    townships = queries.townships_for(request.user)
    township = _township(request, townships, request.POST.get("township") or request.GET.get("township", ""))
    rows = list(pq.open_postings(request.user, township_code=township.code)) if township else []
    error = ""
    if request.method == "POST":
        wanted = {int(v) for v in request.POST.getlist("posting") if v.isdigit() and len(v) < 19}
        try:
            publication = services.publication_create(
                township=township, postings=[p for p in rows if p.pk in wanted], actor=request.user) \
                if township else None
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            if publication is not None:
                return redirect("work:publication", publication.pk)
            error = _("Choose a township of your area.")
    return render(request, "work/publish.html", {
        "rows": rows, "township": township, "townships": townships, "error": error, "wage": publishing.wage_text})


def _title(publication) -> str:
    return f"【{publication.region.name}岗位信息】"


@login_required
@GET
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "posting.view")
    publication = pq.publication_get(request.user, pk)
    postings = list(publication.postings.order_by("valid_until", "id"))
    parts = publishing.message_parts(_title(publication), postings)
    return render(request, "work/publication.html", {
        "publication": publication, "postings": postings,
        "parts": [(text, len(text.encode("utf-8"))) for text in parts], "limit": publishing.MESSAGE_BYTES,
        "pages": range(1, publishing.poster_pages(len(postings)) + 1), "font": publishing.font_path()})


@login_required
@GET
def publication_poster(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "posting.view")
    publication = pq.publication_get(request.user, pk)
    postings = list(publication.postings.order_by("valid_until", "id"))
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 4 else 1
    if not 1 <= page <= publishing.poster_pages(len(postings)):
        raise Http404("no such page")
    png = publishing.poster_png(_title(publication), f"{publication.published_at:%Y-%m-%d}", postings, page=page)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="postings-{publication.pk}-{page}.png"'
    return response
