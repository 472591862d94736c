"""The one table of who may do what, which the apps declare on their AppConfigs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bangfu.core.permissions import Role, can, permission_table

# Every action and who may do it, as the apps declare them between them: a change here is a change of
# who may do what, to be made on purpose in the app that owns the action.
TABLE = {
    "household.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "household.create": {"admin", "township_office", "village"},
    "household.change": {"admin", "township_office", "village", "caseworker"},
    "household.delete": {"admin", "township_office"},
    "household.assign": {"admin", "township_office", "village"},
    "household.import": {"admin", "township_office", "village"},
    "household.history": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "member.reveal_phone": {"admin", "township_office", "village", "caseworker"},
    "member.reveal_id": {"admin", "township_office"},
    "region.add": {"admin", "township_office", "village"},
    "region.load": {"admin", "township_office"},
    "user.view": {"admin", "county", "township_office"},
    "user.manage": {"admin", "township_office"},
    "need.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "need.create": {"admin", "township_office", "village", "caseworker"},
    "need.report": {"admin", "village", "caseworker"},
    "need.assign": {"admin", "township_office"},
    "need.resolve": {"admin", "township_office", "village", "caseworker"},
    "need.confirm": {"admin", "village", "caseworker"},
    "need.reopen": {"admin", "village", "caseworker"},
    "need.settings": {"admin", "township_office"},
    "notification.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "contact.create": {"admin", "township_office", "village", "caseworker"},
    "contact.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "campaign.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "campaign.manage": {"admin", "township_office"},
    "schedule.manage": {"admin", "township_office"},
    "worklist.view": {"admin", "township_office", "village", "caseworker"},
    "worklist.view_others": {"admin", "county", "township_office", "village"},
    "assessment.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "supplies.view": {"admin", "county", "township_office", "village"},
    "supplies.manage": {"admin", "township_office"},
    "stock.move": {"admin", "township_office"},
    "distribution.plan": {"admin", "township_office"},
    "delivery.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "delivery.create": {"admin", "township_office", "village", "caseworker"},
    "delivery.assign": {"admin", "township_office", "village"},
    "delivery.complete": {"admin", "township_office", "village", "caseworker"},
    "delivery.reopen": {"admin", "township_office", "village", "caseworker"},
    "emergency.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "emergency.manage": {"admin", "county", "township_office"},
    "check.view": {"admin", "province", "county", "township_office", "village", "caseworker", "volunteer"},
    "check.menu": {"volunteer"},
    "check.submit": {"admin", "township_office", "village", "caseworker", "volunteer"},
    "returnee.register": {"admin", "township_office", "village", "caseworker"},
    "returnee.reveal_id": {"admin", "township_office"},
    "household.conflict_review": {"admin", "township_office", "caseworker"},
    "fund.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "fund.manage": {"admin", "township_office", "village"},
    "fund.record": {"admin", "township_office", "village"},
    "fund.configure": {"admin", "county"},
    "project.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "project.create": {"admin", "county", "township_office", "village"},
    "project.publish": {"admin", "township_office", "village"},
    "project.review": {"admin", "township_office"},
    "project.approve": {"admin", "county"},
    "project.issue": {"admin", "county"},
    "project.build": {"admin", "township_office", "village"},
    "project.self_check": {"admin", "township_office", "village"},
    "project.accept": {"admin", "township_office"},
    "project.spot_check": {"admin", "county"},
    "project.hand_over": {"admin", "county", "township_office"},
    "project.pay": {"admin", "county", "township_office"},
    "project.settings": {"admin", "county"},
    "asset.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "asset.manage": {"admin", "county", "township_office", "village"},
    "asset.inspect": {"admin", "township_office", "village", "caseworker"},
    "asset.fix": {"admin", "township_office", "village", "caseworker"},
    "asset.income": {"admin", "township_office", "village"},
    "asset.plan": {"admin", "township_office", "village"},
    "asset.approve": {"admin", "township_office"},
    "asset.settings": {"admin", "county"},
    "policy.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "policy.manage": {"admin", "county"},
    "policy.receipt": {"admin", "township_office", "village"},
    "policy.import": {"admin", "county", "township_office"},
    "policy.check": {"admin", "township_office", "village", "caseworker"},
    "labour.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "labour.record": {"admin", "township_office", "village", "caseworker"},
    "labour.bulk": {"admin", "township_office", "village"},
    "labour.import": {"admin", "township_office"},
    "drive.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "drive.manage": {"admin", "township_office"},
    "drive.record": {"admin", "township_office", "village", "caseworker"},
    "subsidy.view": {"admin", "county", "township_office"},
    "subsidy.prepare": {"admin", "township_office"},
    "subsidy.approve": {"admin", "county"},
    "subsidy.rates": {"admin", "county"},
    "lead.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "lead.create": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "lead.import": {"admin", "county", "township_office"},
    "lead.accept": {"admin", "township_office", "village"},
    "lead.verify": {"admin", "village"},
    "lead.compare": {"admin", "township_office"},
    "lead.deliberate": {"admin", "village"},
    "lead.publicize": {"admin", "village"},
    "lead.review": {"admin", "township_office"},
    "lead.decide": {"admin", "county"},
    "lead.exclude": {"admin", "county", "township_office"},
    "monitoring.settings": {"admin", "county"},
    "posting.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "posting.manage": {"admin", "township_office"},
    "posting.refer": {"admin", "township_office", "village", "caseworker"},
    "welfare.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "welfare.manage": {"admin", "township_office"},
    "welfare.attend": {"admin", "township_office", "village"},
    "welfare.assess": {"admin", "township_office"},
    "welfare.pay": {"admin", "township_office"},
    "welfare.approve": {"admin", "township_office"},
    "welfare.rules": {"admin", "county"},
    "plan.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "plan.edit": {"admin", "township_office", "village"},
    "clearance.verify": {"admin", "village"},
    "clearance.publicize": {"admin", "village"},
    "clearance.review": {"admin", "township_office"},
    "clearance.decide": {"admin", "county"},
    "flag.view": {"admin", "county", "township_office"},
    "print.household": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "print.village": {"admin", "county", "township_office", "village"},
    "print.notice": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "briefing.generate": {"admin", "county", "township_office"},
    "briefing.template_edit": {"admin", "township_office"},
    # reports: the summary figures
    "figure.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "sale.view": {"admin", "province", "county", "township_office", "village", "caseworker"},
    "sale.record": {"admin", "township_office", "village"},
    "product.manage": {"admin", "township_office", "village"},
    "channel.manage": {"admin", "township_office"},
    "dashboard.view": {"admin", "province", "county", "township_office"},
}


def test_the_apps_declarations_make_the_table():
    assert {action: set(roles) for action, roles in permission_table().items()} == TABLE


@pytest.mark.parametrize("persona,action,allowed", [
    ("caseworker_a", "household.view", True),
    ("caseworker_a", "household.create", False),
    ("caseworker_a", "household.change", True),
    ("caseworker_a", "household.delete", False),
    ("caseworker_a", "member.reveal_phone", True),
    ("caseworker_a", "member.reveal_id", False),
    ("village_a", "household.assign", True),
    ("village_a", "member.reveal_id", False),
    ("office", "member.reveal_id", True),
    ("office", "household.delete", True),
    ("county", "household.view", True),
    ("province", "household.view", True),
    ("province", "household.change", False),
    ("province", "figure.view", True),
    ("county", "household.change", False),
    ("admin", "user.manage", True),
    ("caseworker_a", "household.import", False),
    ("county", "household.import", False),
    ("village_a", "household.import", True),
    ("office", "household.import", True),
    ("admin", "household.import", True),
    ("office", "user.manage", True),
])
def test_role_table(personas, persona, action, allowed):
    assert can(personas[persona], action) is allowed


@pytest.mark.parametrize("action", sorted(permission_table()))
def test_a_volunteer_may_only_do_the_daily_checks(volunteer_a, action):
    assert can(volunteer_a, action) is (action in {"check.view", "check.submit", "check.menu"})


def test_a_volunteer_belongs_to_a_village(regions):
    from django.core.exceptions import ValidationError

    from bangfu.accounts.services import user_add

    with pytest.raises(ValidationError) as error:
        user_add(username="v", role=Role.VOLUNTEER, region_code="370215010", password="x", check_password=False)
    assert "region" in error.value.message_dict


def test_anonymous_and_inactive_may_do_nothing(personas):
    user = personas["office"]
    user.is_active = False
    for action in permission_table():
        assert not can(AnonymousUser(), action)
        assert not can(user, action)


def test_unknown_action_is_a_programming_error(personas):
    with pytest.raises(KeyError):
        can(personas["office"], "household.teleport")


def test_every_role_appears_somewhere():
    assert set().union(*permission_table().values()) == set(Role.values)
