"""Writing history rows in bulk, as imports do."""

from __future__ import annotations

from bangfu.core import requestid
from bangfu.history.models import Action, Change
from bangfu.history.services import changes_bulk_insert


def test_bulk_rows_carry_the_request_id_actor_message_and_json(personas):
    office = personas["office"]
    with requestid.bound() as request_id:
        changes_bulk_insert(actor=office, message="import x.xlsx", rows=[
            (Action.CREATE, "household", 7, "H7 王五", 7, "370215010001", None, {"number": "H7", "risks": []}),
            (Action.UPDATE, "member", 9, "王五" * 200, 7, "370215010001", {"education": "小学"},
             {"education": "初中"}),
        ])
    created, updated = Change.objects.order_by("pk")
    assert {c.request_id for c in (created, updated)} == {request_id}
    assert (created.action, created.actor_id, created.message, created.before, created.after) == (
        "create", office.pk, "import x.xlsx", None, {"number": "H7", "risks": []})
    assert (updated.action, updated.object_type, updated.object_id, updated.household_id) == ("update", "member", 9, 7)
    assert (updated.before, updated.after, len(updated.object_repr)) == ({"education": "小学"}, {"education": "初中"}, 200)
    assert created.at is not None and created.at == updated.at


def test_no_rows_write_nothing(personas):
    changes_bulk_insert(actor=personas["office"], message="import", rows=[])
    assert not Change.objects.exists()
