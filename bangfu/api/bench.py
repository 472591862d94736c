"""A trivial authenticated write for the benchmarks to measure against (bench/submissions.py):
mounted only when settings.BENCH_ROUTES is on, behind the same middleware and API auth as every
operation, so that a ratio to it leaves out what every request pays anyway."""

from __future__ import annotations

from ninja import Field, Router, Schema

from bangfu.core import bounds
from bangfu.core.errors import BODY_RESPONSES

router = Router(tags=["bench"])


class BenchIn(Schema):
    client_id: str = Field("", max_length=bounds.CLIENT_ID)


class BenchOut(Schema):
    ok: bool


@router.post("/trivial", response={200: BenchOut, **BODY_RESPONSES}, summary="Trivial write (benchmarks only)")
def trivial(request, payload: BenchIn):
    return {"ok": request.auth is not None}
