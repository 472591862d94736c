"""API routes for assets: the register (list, create, detail), inspections (list; create as
multipart with photos, idempotent by client id) and income (list, create). The same services and
queries as the pages; 404 outside the caller's area, 403 by role."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Path, Query, Router, Status
from pydantic import ValidationError as PydanticError

from bangfu.accounts.models import User
from bangfu.assets import defaults, queries, services
from bangfu.assets.models import Asset, Inspection, OwnerLevel
from bangfu.assets.schemas import AssetIn, AssetOut, IncomeIn, IncomeOut, InspectionIn, InspectionOut
from bangfu.core.dates import local_today
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households.models import Household
from bangfu.households.schemas import MAX_ID
from bangfu.regions.models import Region

router = Router(tags=["assets"])


def asset_out(a: Asset) -> dict[str, Any]:
    return {"id": a.pk, "name": a.name, "asset_class": a.asset_class, "kind": a.kind, "village": a.region_code,
            "location": a.location, "value_fen": a.value_fen, "owner_level": a.owner_level, "owner_code": a.owner_code,
            "owner_name": a.owner_name, "household": a.household_id, "keeper": a.keeper,
            "inspector": a.inspector_id, "project": a.project_id, "next_inspection": queries.asset_due(a)}


def inspection_out(i: Inspection) -> dict[str, Any]:
    today = local_today()
    return {"id": i.pk, "asset": i.asset_id, "day": i.day, "checklist": i.checklist, "note": i.note,
            "inspector": i.inspector_id,
            "findings": [{"id": f.pk, "text": f.text, "fix_by": f.fix_by, "fixed_on": f.fixed_on,
                          "overdue": f.is_overdue(today)} for f in i.findings.all()],
            "photos": [{"id": p.pk, "url": reverse("assets:photo", args=[p.pk]), "width": p.width, "height": p.height}
                       for p in i.photos.all()]}


def income_out(e) -> dict[str, Any]:
    return {"id": e.pk, "asset": e.asset_id, "month": e.month, "category": e.category, "cost": e.is_cost,
            "amount_fen": e.amount_fen, "note": e.note}


def _id():
    return Path(..., ge=1, le=MAX_ID, description="The asset's id.")


def _field_errors(error: ValidationError, rename: dict[str, str] | None = None) -> FieldErrors:
    rename = rename or {}
    if hasattr(error, "error_dict"):
        return FieldErrors({rename.get(k, k): v for k, v in error.message_dict.items()})
    return FieldErrors({"__all__": error.messages})


@router.get("", response={200: list[AssetOut], **COMMON_RESPONSES}, summary="Assets of the caller's area")
def asset_list(request, kind: str = Query("", pattern=r"^[a-z_]{0,12}$"),
               village: str = Query("", pattern=r"^\d{0,12}$")):
    user = request.auth
    require(user, "asset.view")
    return [asset_out(a) for a in queries.assets_list(user, kind=kind, village=village)[:500]]


@router.post("", response={201: AssetOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Register an asset")
def asset_create(request, payload: AssetIn):
    user = request.auth
    require(user, "asset.manage")
    village = Region.objects.filter(code=payload.village).first()
    if village is None:
        raise FieldErrors({"village": ["No such village."]})
    household = None
    if payload.household is not None:
        household = Household.objects.visible_to(user).filter(pk=payload.household).first()
        if household is None:
            raise FieldErrors({"household": ["No such household in your area."]})
    inspector = User.objects.filter(pk=payload.inspector).first() if payload.inspector else None
    if payload.inspector and inspector is None:
        raise FieldErrors({"inspector": ["No such user."]})
    try:
        asset = services.asset_create(
            name=payload.name, asset_class=payload.asset_class.value, kind=payload.kind.value, village=village,
            value_fen=payload.value_fen, owner_level=payload.owner_level.value, owner_name=payload.owner_name,
            household=household if payload.owner_level.value == OwnerLevel.HOUSEHOLD else None,
            keeper=payload.keeper, inspector=inspector, location=payload.location, actor=user)
    except ValidationError as error:
        raise _field_errors(error) from None
    return Status(201, asset_out(asset))


@router.get("/{id}", response={200: AssetOut, **COMMON_RESPONSES}, summary="An asset")
def asset_detail(request, id: int = _id()):
    user = request.auth
    require(user, "asset.view")
    return asset_out(queries.asset_get(user, id))


@router.get("/{id}/inspections", response={200: list[InspectionOut], **COMMON_RESPONSES},
            summary="An asset's inspections, newest first")
def inspection_list(request, id: int = _id()):
    user = request.auth
    require(user, "asset.view")
    return [inspection_out(i) for i in queries.inspections_of(queries.asset_get(user, id), limit=100)]


def _inspection_body() -> dict[str, Any]:
    schema = InspectionIn.model_json_schema()
    schema["properties"]["photos"] = {"type": "array", "items": {"type": "string", "format": "binary"},
                                      "maxItems": defaults.PHOTOS_MAX}
    return {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": schema},
        "application/json": {"schema": InspectionIn.model_json_schema()}}}}


def _inspection_in(request) -> InspectionIn:
    """The fields, from a multipart form (with photos) or a JSON body (without)."""
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise FieldErrors({"__all__": ["The body is not JSON."]}) from None
        if isinstance(data, dict) and isinstance(data.get("checklist"), dict):
            data["checklist"] = json.dumps(data["checklist"])
    else:
        data = {key: request.POST.get(key) for key in request.POST if key != "photos"}
        data = {key: value for key, value in data.items() if value not in ("",) or key in ("note", "finding")}
    try:
        return InspectionIn.model_validate(data if isinstance(data, dict) else {})
    except PydanticError as error:
        errors: dict[str, list[str]] = {}
        for item in error.errors():
            errors.setdefault(".".join(str(part) for part in item["loc"]) or "__all__", []).append(item["msg"])
        raise FieldErrors(errors) from None


@router.post("/{id}/inspections", response={200: InspectionOut, 201: InspectionOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record an inspection with photos (multipart; idempotent by client id)",
             openapi_extra=_inspection_body())
def inspection_create(request, id: int = _id()):
    """multipart/form-data with the fields of InspectionIn and up to 4 files under `photos` (each at
    most 10 MB, kept resized: the longest side 1600 px, JPEG, without EXIF); a JSON body without
    photos is taken too. The same client id with the same fields and photos answers 200 with the
    first row; with anything else (a photo's bytes included) 409 `replay_mismatch`."""
    user = request.auth
    require(user, "asset.view")
    asset = queries.asset_get(user, id)
    require(user, "asset.inspect")
    payload = _inspection_in(request)
    uploads = request.FILES.getlist("photos")
    if len(uploads) > defaults.PHOTOS_MAX:
        raise FieldErrors({"photos": [f"At most {defaults.PHOTOS_MAX} photos an inspection."]})
    try:
        checklist = json.loads(payload.checklist or "{}")
        if not isinstance(checklist, dict):
            raise ValueError
    except ValueError:
        raise FieldErrors({"checklist": ["A JSON object of the checklist's items."]}) from None
    try:
        inspection, created = services.inspection_create(
            asset=asset, client_id=payload.client_id, actor=user, uploads=uploads,
            data=services.InspectionData(day=payload.day, checklist=checklist, note=payload.note,
                                         finding=payload.finding, fix_by=payload.fix_by))
    except ValidationError as error:
        raise _field_errors(error) from None
    except (TypeError, ValueError):
        raise FieldErrors({"checklist": ["A reading is a number."]}) from None
    inspection = Inspection.objects.prefetch_related("findings", "photos").get(pk=inspection.pk)
    return Status(201 if created else 200, inspection_out(inspection))


@router.get("/{id}/income", response={200: list[IncomeOut], **COMMON_RESPONSES}, summary="An asset's income and costs")
def income_list(request, id: int = _id()):
    user = request.auth
    require(user, "asset.view")
    return [income_out(e) for e in queries.income_entries(queries.asset_get(user, id))]


@router.post("/{id}/income", response={200: IncomeOut, 201: IncomeOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record a month's income or a cost (idempotent by client id)")
def income_create(request, payload: IncomeIn, id: int = _id()):
    user = request.auth
    require(user, "asset.view")
    asset = queries.asset_get(user, id)
    require(user, "asset.income")
    try:
        entry, created = services.income_record(
            asset=asset, month=payload.month, category=payload.category.value, amount_fen=payload.amount_fen,
            note=payload.note, client_id=payload.client_id, actor=user)
    except ValidationError as error:
        raise _field_errors(error, {"amount": "amount_fen"}) from None
    return Status(201 if created else 200, income_out(entry))
