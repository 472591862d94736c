"""A lone surrogate ("\\ud800") in a transition's note is refused on the note, and the need stays
where it was."""

from __future__ import annotations

from bangfu.accounts.testing import ApiClient


def test_a_note_with_a_lone_surrogate_is_refused_and_the_need_stays(make_need, personas):
    need = make_need()
    response = ApiClient(personas["caseworker_a"]).post(f"/api/needs/{need.pk}/transitions",
                                                         {"action": "report", "note": "已\ud800上报"})
    assert response.status_code == 422 and "note" in response.json()["errors"]
    status = need.status
    need.refresh_from_db()
    assert need.status == status
