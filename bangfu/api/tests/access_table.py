"""Who may reach which route: one entry per page (URL name) and per API operation ("METHOD /api/path"),
from which test_access.py derives the expected answer for every role and object.

An entry names the object its path (or a query parameter) refers to, and per method a Rule: the
permission action (declared on the apps' AppConfig.permissions) and where it is checked. The
expected answer follows from core.permissions.can(role, action) and the object's scope:

- anonymous: a page redirects to the login page, the API answers 401;
- a role without the action checked before the lookup (`gate`): 403, whatever the object;
- an object out of the caller's scope (of the neighbouring village, or of another province), or
  missing: 404 (never 403: no oracle of existence);
- a role without the action checked after the lookup (`action`): 403 (the object is known to be
  in scope, so nothing is told);
- otherwise the route answers: `ok` (a GET 200; a page's write sent with an empty form is refused
  on its fields: the form again (200), a message and a redirect (302), or 400/409/422; an API
  write, sent with a body valid by its schema, is done (200/201) and rolled back).

Two orders exist and each route states its own: the role checked first (the default: a 403 before
anything is read) or the object looked up first (`scope_first`: a 404 for an object the caller
cannot see, a 403 only for one they can). A route missing from these tables fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# An action anyone may take, logged in or not (the login page).
PUBLIC = "public"
# Any logged-in user.
LOGGED_IN = "logged-in"

READ_OK = frozenset({200})
# A write with an empty body: refused on its fields (the form again, or a message and a redirect).
PAGE_WRITE_OK = frozenset({200, 302, 400, 409, 422})


@dataclass(frozen=True)
class Rule:
    action: str
    # The action checked before the object is looked up; by default the same action (role first).
    gate: str | None = ""
    ok: frozenset[int] = READ_OK
    # A role allowed the action that the route still answers otherwise, on purpose (and why, beside it).
    role_ok: tuple[tuple[str, frozenset[int]], ...] = ()

    @property
    def before(self) -> str | None:
        return self.action if self.gate == "" else self.gate


def read(action: str, *, ok: frozenset[int] = READ_OK, gate: str | None = "") -> Rule:
    return Rule(action, gate, ok)


def write(action: str, *, ok: frozenset[int] = PAGE_WRITE_OK, gate: str | None = "") -> Rule:
    return Rule(action, gate, ok)


def scope_first(action: str, *, ok: frozenset[int] = PAGE_WRITE_OK) -> Rule:
    """The object is looked up (404 out of scope) before the role is checked (403)."""
    return Rule(action, None, ok)


@dataclass(frozen=True)
class Route:
    rules: dict[str, Rule]
    # The kind of object the path's parameter (or `query_object`) names; see test_access.world.
    obj: str | None = None
    # The object given as a query parameter rather than in the path (named as its kind, or
    # `query_param`; a page's POST carries it in its form too); the route is also asked without it
    # (the caller's own area by default) unless `query_required`.
    query_object: str | None = None
    query_param: str | None = None
    query_required: bool = False
    # Other path arguments, and query parameters sent with every request.
    args: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    # An API write's JSON body, valid by its schema (ninja checks the schema before the handler runs,
    # so an empty body would never reach the permission check). Placeholders: "<obj>" the object
    # (when the body, not the path, names it: `body_object`), "<uuid>", "<today>", "<id_number>",
    # "<shared_item>", "<household>" and "<caseworker>" (of the same side as the object: in scope or out).
    body: dict | None = None
    body_object: str | None = None
    # The answer for an object out of scope or missing. A 404 (the default) tells nothing of what
    # exists; an area named in a body is a field of the form and refused as one (422): the division
    # codes are public; a filter outside the caller's area finds nothing (200), or falls back to the
    # caller's own area. Whatever it is, no answer shows what is out of scope (test_access checks).
    hidden: int | frozenset[int] = 404


def get(rule: Rule, **kwargs) -> Route:
    return Route({"GET": rule}, **kwargs)


def post(rule: Rule, **kwargs) -> Route:
    return Route({"POST": rule}, **kwargs)


def form(action: str, *, gate: str | None = "", **kwargs) -> Route:
    """A page with a form: GET shows it, POST (empty) shows it again with the fields' errors."""
    return Route({"GET": Rule(action, gate), "POST": Rule(action, gate, PAGE_WRITE_OK)}, **kwargs)


ANY_REDIRECT = frozenset({200, 302})

PAGES: dict[str, Route] = {
    "home": get(read(LOGGED_IN, ok=frozenset({302}))),
    "accounts:login": Route({"GET": read(PUBLIC, ok=ANY_REDIRECT), "POST": write(PUBLIC, ok=frozenset({200, 400}))}),
    "accounts:logout": post(write(PUBLIC, ok=frozenset({302}))),
    # the first administrator's one-time link: a wrong token, or any once an administrator exists, is 404
    "accounts:setup": Route({"GET": read(PUBLIC, ok=frozenset({404})), "POST": write(PUBLIC, ok=frozenset({404}))},
                            args={"token": "not-the-token"}),
    "set_language": post(write(PUBLIC, ok=frozenset({302}))),
    # the service worker (no data: the same script for anyone) and the phone's outbox page (its rows
    # are on the phone)
    "core:service_worker": get(read(PUBLIC)),
    "core:outbox": get(read(LOGGED_IN)),
    # one's own password; the users page (a colleague is a "caseworker": in the caller's village, the
    # neighbouring one, another province's)
    "accounts:password": form(LOGGED_IN),
    "accounts:users": get(read("user.view")),
    "accounts:user_add": form("user.manage"),
    "accounts:user_detail": get(read("user.view"), obj="caseworker"),
    "accounts:user_edit": form("user.manage", obj="caseworker"),
    "accounts:user_active": post(write("user.manage"), obj="caseworker"),
    "accounts:user_reset_password": post(write("user.manage"), obj="caseworker"),
    "cadres:upload": form("user.manage"),
    # regions
    "regions:villages": Route({"GET": read("household.view"), "POST": write("region.add")}),
    "regions:load": post(write("region.load")),
    # households
    "households:list": get(read("household.view")),
    "households:create": form("household.create"),
    # The households chosen are named in the query (GET) or the form (POST).
    "households:assign_bulk": form("household.assign", query_object="household"),
    "households:detail": get(read("household.view"), obj="household"),
    "households:edit": Route({"GET": scope_first("household.change", ok=READ_OK),
                              "POST": scope_first("household.change")}, obj="household"),
    "households:delete": Route({"GET": scope_first("household.delete", ok=READ_OK),
                                "POST": scope_first("household.delete")}, obj="household"),
    "households:assign": Route({"GET": scope_first("household.assign", ok=READ_OK),
                                "POST": scope_first("household.assign")}, obj="household"),
    "households:reveal_phone": post(scope_first("member.reveal_phone", ok=frozenset({200})), obj="household"),
    "households:member_add": Route({"GET": scope_first("household.change", ok=READ_OK),
                                    "POST": scope_first("household.change")}, obj="household"),
    "households:member_edit": Route({"GET": scope_first("household.change", ok=READ_OK),
                                     "POST": scope_first("household.change")}, obj="member"),
    "households:member_remove": Route({"GET": scope_first("household.change", ok=READ_OK),
                                       "POST": scope_first("household.change")}, obj="member"),
    # The member is the head already: the page says so and goes back to the household.
    "households:member_make_head": Route({"GET": scope_first("household.change", ok=ANY_REDIRECT),
                                          "POST": scope_first("household.change")}, obj="member"),
    "households:member_reveal": post(scope_first("member.reveal_id", ok=frozenset({200})), obj="member",
                                     args={"field": "id_number"}),
    # edits held for review: the township office's and the household's caseworker's
    "households:conflicts": get(read("household.conflict_review")),
    "households:conflict_apply": post(scope_first("household.conflict_review"), obj="conflict"),
    "households:conflict_keep": post(scope_first("household.conflict_review"), obj="conflict"),
    # imports
    "imports:upload": form("household.import"),
    "imports:template": get(read("household.view")),
    "imports:export": post(write("household.view")),
    "imports:jobs": get(read("household.view")),
    "imports:job": get(read("household.view"), obj="job"),
    "imports:confirm": post(write("household.import"), obj="job"),
    "imports:recheck": post(write("household.import"), obj="job"),
    "imports:download": get(read("household.view"), obj="job"),
    # casework
    # A caseworker's own day; anyone who may see others' is sent to the list of them.
    "casework:worklist": get(read("worklist.view|worklist.view_others", ok=ANY_REDIRECT)),
    "casework:worklist_print": get(read("worklist.view")),
    "casework:worklists": get(read("worklist.view_others")),
    "casework:village_print_pick": get(read("worklist.view_others", ok=ANY_REDIRECT), query_object="village",
                                       query_param="area"),
    "casework:village_print": get(read("worklist.view_others"), obj="village"),
    "casework:worklist_of": get(read("worklist.view_others"), obj="caseworker"),
    "casework:worklist_print_of": get(read("worklist.view_others"), obj="caseworker"),
    "casework:call": post(scope_first("member.reveal_phone", ok=frozenset({200})), obj="household"),
    "casework:contact_add": form("contact.create", obj="household"),
    "casework:campaigns": get(read("campaign.view")),
    "casework:campaign_create": form("campaign.manage"),
    "casework:campaign_detail": get(read("campaign.view"), obj="campaign"),
    "casework:campaign_close": post(scope_first("campaign.manage"), obj="campaign"),
    "casework:campaign_extend": post(scope_first("campaign.manage"), obj="campaign"),
    # An area outside the caller's is not refused: the overview falls back to the caller's own area.
    "casework:assessments": get(read("assessment.view"), query_object="village", query_param="area", hidden=200),
    "casework:schedules": form("schedule.manage"),
    # supplies
    "supplies:stock": get(read("supplies.view"), query_object="township"),
    "supplies:item_create": form("supplies.manage"),
    "supplies:ledger": get(read("supplies.view"), obj="item"),
    "supplies:move": form("stock.move", args={"kind": "receive"}, query_object="township"),
    # deliveries
    "deliveries:deliveries": get(read("delivery.view")),
    "deliveries:create": form("delivery.create", query_object="household", query_required=True),
    "deliveries:detail": get(read("delivery.view"), obj="delivery"),
    "deliveries:complete": post(write("delivery.complete", gate="delivery.view"), obj="delivery"),
    "deliveries:fail": post(write("delivery.complete", gate="delivery.view"), obj="delivery"),
    "deliveries:assign": post(write("delivery.assign"), obj="delivery"),
    "deliveries:reopen": post(write("delivery.reopen"), obj="delivery"),
    "deliveries:link_need": post(write("delivery.create"), obj="need"),
    "deliveries:distributions": get(read("supplies.view"), query_object="township"),
    "deliveries:distribution_plan": form("distribution.plan", query_object="township"),
    "deliveries:distribution": get(read("supplies.view"), obj="distribution"),
    # the filial-piety fund: a council is seen by its area, an agreement by whoever sees the elder's household
    "fund:councils": get(read("fund.view")),
    "fund:council_create": form("fund.manage"),
    "fund:council": get(read("fund.view"), obj="council"),
    "fund:council_print": get(read("fund.view"), obj="council"),
    "fund:agreement_create": form("fund.manage", obj="council"),
    "fund:arrears": get(read("fund.view")),
    "fund:match": form("fund.configure"),
    "fund:agreement": get(read("fund.view"), obj="agreement"),
    "fund:agreement_edit": form("fund.manage", obj="agreement"),
    "fund:contribution_create": form("fund.record", obj="agreement"),
    "fund:payout_create": form("fund.record", obj="agreement"),
    # emergencies
    "emergencies:list": get(read("emergency.view")),
    "emergencies:open": form("emergency.manage"),
    "emergencies:overview": get(read("emergency.view"), obj="emergency"),
    "emergencies:extend": post(scope_first("emergency.manage"), obj="emergency"),
    "emergencies:close": post(scope_first("emergency.manage"), obj="emergency"),
    "emergencies:checks": get(read("check.view"), query_object="emergency"),
    "emergencies:check": Route({"GET": read("check.view"), "POST": write("check.submit", gate="check.view")},
                               obj="check"),
    "emergencies:returnees": get(read("emergency.view"), obj="emergency"),
    "emergencies:returnee_register": form("returnee.register", obj="emergency"),
    # work: the labour force, drives, employment subsidies
    "work:labour": get(read("labour.view")),
    "work:labourer": Route({"GET": read("labour.view"), "POST": write("labour.record", gate="labour.view")},
                           obj="member"),
    "work:grid": form("labour.bulk", query_object="village"),
    "work:import": form("labour.import"),
    "work:drives": get(read("drive.view")),
    "work:drive_add": form("drive.manage"),
    "work:drive": get(read("drive.view"), obj="drive"),
    "work:drive_outcome": form("drive.record", obj="placement"),
    "work:subsidies": get(read("subsidy.view")),
    "work:subsidy_add": form("subsidy.prepare"),
    "work:rates": form("subsidy.rates"),
    "work:subsidy": get(read("subsidy.view"), obj="subsidy_list"),
    "work:subsidy_approve": post(write("subsidy.approve"), obj="subsidy_list"),
    # A list being prepared goes to the bank only once approved: back to its page (302).
    "work:subsidy_export": get(read("subsidy.view", ok=frozenset({302})), obj="subsidy_list"),
    "work:subsidy_account": post(write("subsidy.prepare"), obj="payment"),
    "work:subsidy_remove": post(write("subsidy.prepare"), obj="payment"),
    # work: job postings, their matches and referrals, publications
    "work:postings": get(read("posting.view")),
    "work:posting_add": form("posting.manage"),
    "work:posting_import": form("posting.manage"),
    "work:publish": form("posting.manage"),
    "work:posting": get(read("posting.view"), obj="posting"),
    "work:posting_edit": form("posting.manage", obj="posting"),
    "work:posting_close": post(write("posting.manage"), obj="posting"),
    "work:posting_refer": post(write("posting.refer"), obj="posting"),
    "work:labourer_postings": get(read("posting.view"), obj="member"),
    "work:publication": get(read("posting.view"), obj="publication"),
    "work:publication_poster": get(read("posting.view"), obj="publication"),
    # work: public-welfare posts (the published list needs a township: the caller's own by default;
    # an administrator and the county have none of their own, 404 without ?township=)
    "work:welfare_posts": get(read("welfare.view")),
    "work:welfare_post_add": form("welfare.manage"),
    "work:welfare_published": Route({"GET": Rule("welfare.view", "", READ_OK, (("admin", frozenset({404})), ("county", frozenset({404})),
                                                                                  ("province", frozenset({404}))))}),
    "work:welfare_attendance": form("welfare.attend", query_object="village"),
    "work:welfare_assessment": form("welfare.assess"),
    "work:welfare_payrolls": Route({"GET": read("welfare.view"), "POST": write("welfare.pay", gate="welfare.view")}),
    "work:welfare_payroll": get(read("welfare.view"), obj="payroll"),
    "work:welfare_payroll_approve": post(write("welfare.approve"), obj="payroll"),
    # A payroll being prepared goes to the bank only once approved: back to its page (302).
    "work:welfare_payroll_export": get(read("welfare.view", ok=frozenset({302})), obj="payroll"),
    # work: appointing to a post, an appointment's start, exit and bank card, the county's rules (an
    # administrator has no county of their own: its POST without ?county= finds none, 404)
    "work:welfare_appoint": form("welfare.manage", obj="welfare_post"),
    "work:welfare_appointment": get(read("welfare.view"), obj="appointment"),
    "work:welfare_start": post(write("welfare.manage"), obj="appointment"),
    "work:welfare_exit": post(write("welfare.manage"), obj="appointment"),
    "work:welfare_account": post(write("welfare.manage"), obj="appointment"),
    "work:welfare_rules": Route({"GET": read("welfare.view"),
                                 "POST": Rule("welfare.rules", "welfare.view", PAGE_WRITE_OK,
                                              (("admin", frozenset({404})),))}),
    # notifications
    "notify:inbox": get(read("notification.view")),
    "notify:open": post(write("notification.view"), obj="notification"),
    "notify:read_all": post(write("notification.view")),
    # monitoring: leads, steps, drops, the village's public notice, the public form (no login)
    "monitoring:board": get(read("lead.view")),
    "monitoring:create": form("lead.create"),
    # The county's own settings: an administrator has no county.
    "monitoring:settings": Route({"GET": Rule("monitoring.settings", "", READ_OK, (("admin", frozenset({404})),)),
                                  "POST": Rule("monitoring.settings", "", PAGE_WRITE_OK,
                                               (("admin", frozenset({404})),))}),
    "monitoring:drop_upload": form("lead.import"),
    # A drop names people of the whole township or county: for those who import them.
    "monitoring:drop": get(read("lead.import"), obj="drop"),
    "monitoring:drop_export": get(read("lead.import"), obj="drop"),
    "monitoring:notice": get(read("lead.view"), obj="village"),
    "monitoring:notice_xlsx": get(read("lead.view"), obj="village"),
    "monitoring:qr": get(read("lead.view"), obj="township"),
    # Anyone, for any township (a missing one is a 404); a POST past the hourly limit is a 429.
    "monitoring:apply": Route({"GET": read(PUBLIC, ok=frozenset({200, 404})),
                               "POST": write(PUBLIC, ok=frozenset({200, 404, 429}))}, obj="township"),
    "monitoring:thanks": get(read(PUBLIC, ok=frozenset({200, 404})), obj="township"),
    "monitoring:detail": get(read("lead.view"), obj="lead"),
    "monitoring:step": Route({"GET": read("lead.accept"), "POST": write("lead.accept")}, obj="lead",
                             args={"action": "accept"}),
    # the plan per household (一户一策), risk clearance (an empty form is refused on its fields), rule flags
    "monitoring:plan": get(read("plan.view"), obj="household"),
    "monitoring:measure_add": post(write("plan.edit"), obj="household"),
    "monitoring:measure_status": post(write("plan.edit"), obj="measure"),
    "monitoring:clearance_start": post(write("clearance.verify"), obj="household"),
    "monitoring:clearance_step": Route({"GET": read("clearance.verify"), "POST": write("clearance.verify")},
                                      obj="clearance", args={"action": "verify"}),
    "monitoring:flags": get(read("flag.view")),
    # needs
    "needs:board": get(read("need.view")),
    "needs:numbers": get(read("need.view")),
    # The deadlines of the user's township: an administrator has none (404).
    "needs:settings": Route({"GET": Rule("need.settings", "", READ_OK, (("admin", frozenset({404})),)),
                             "POST": Rule("need.settings", "", PAGE_WRITE_OK, (("admin", frozenset({404})),))}),
    "needs:assign_bulk": form("need.assign", query_object="need"),
    "needs:create": Route({"GET": scope_first("need.create", ok=READ_OK), "POST": scope_first("need.create")},
                          obj="household"),
    "needs:detail": get(read("need.view"), obj="need"),
    "needs:act": Route({"GET": scope_first("need.report", ok=READ_OK), "POST": scope_first("need.report")},
                       obj="need", args={"action": "report"}),
    # projects: a step's page names its step (the project of the world is applied for, so "publish" is
    # its next); the role is checked after the project is looked up (the step's own permission)
    "projects:list": get(read("project.view")),
    "projects:create": form("project.create"),
    "projects:deadlines": form("project.settings"),
    "projects:detail": get(read("project.view"), obj="project"),
    "projects:step": form("project.publish", gate="project.view", obj="project", args={"action": "publish"}),
    "projects:payment": form("project.pay", gate="project.view", obj="project"),
    "projects:card": get(read("project.view"), obj="project"),
    "projects:notice": get(read("project.view"), obj="project", args={"stage": "village_notice"}),
    # policies: the county's (the administrator's defaults), a receipt for a household, a payment sheet
    "policies:list": get(read("policy.view")),
    "policies:create": form("policy.manage"),
    "policies:edit": form("policy.manage", args={"key": "dibao"}),
    "policies:gaps": get(read("policy.view")),
    "policies:import": form("policy.import"),
    "policies:receipt_add": form("policy.receipt", obj="household"),
    # work groups' robots: a township office's own groups (a test message goes to a closed local port)
    "notify:channels": get(read("channel.manage")),
    "notify:channel_add": form("channel.manage"),
    "notify:channel_edit": form("channel.manage", obj="channel"),
    "notify:channel_test": post(write("channel.manage"), obj="channel"),
    "notify:channel_stop": post(write("channel.manage"), obj="channel"),
    "notify:channel_resume": post(write("channel.manage"), obj="channel"),
    "notify:digests": get(read("channel.manage")),
    # assets: the register, an asset's page and forms (the role checked first), a finding, a plan, a photo
    "assets:list": get(read("asset.view")),
    "assets:create": form("asset.manage"),
    "assets:fixes": get(read("asset.view")),
    "assets:settings": form("asset.settings"),
    "assets:detail": get(read("asset.view"), obj="asset"),
    "assets:edit": form("asset.manage", obj="asset"),
    "assets:inspect": form("asset.inspect", obj="asset"),
    "assets:income": form("asset.income", obj="asset"),
    "assets:plan_create": form("asset.plan", obj="asset"),
    "assets:fix": form("asset.fix", obj="asset_finding"),
    "assets:plan": get(read("asset.view"), obj="asset_plan"),
    "assets:plan_approve": post(write("asset.approve"), obj="asset_plan"),
    "assets:plan_publish": post(write("asset.plan"), obj="asset_plan"),
    "assets:payout": form("asset.income", obj="asset_plan"),
    "assets:photo": get(read("asset.view"), obj="asset_photo"),
    # the API's own pages (its operations are in API below)
    "api:openapi-json": get(read(PUBLIC)),
    "api:openapi-view": get(read(PUBLIC)),
    # briefings: the A4 prints (a print job is its owner's alone) and the generated briefing
    "briefings:prints": get(read("print.village"), query_object="village"),
    "briefings:household_pdf": get(read("print.household"), obj="household"),
    "briefings:village_files": post(write("print.village"), obj="village"),
    "briefings:job": get(read("print.village"), obj="print_job"),
    "briefings:job_pdf": get(read("print.village"), obj="print_job"),
    "briefings:notice_pdf": get(read("print.notice"), obj="village"),
    "briefings:briefings": form("briefing.generate"),
    "briefings:briefing": get(read("briefing.generate"), obj="briefing"),
    "briefings:briefing_docx": get(read("briefing.generate"), obj="briefing"),
    "briefings:briefing_pdf": get(read("briefing.generate"), obj="briefing"),
    "briefings:template": form("briefing.template_edit", query_object="township", query_param="region"),
    "briefings:payroll_pdf": get(read("welfare.view"), obj="payroll", args={"kind": "attendance"}),
    "briefings:project_notice_pdf": get(read("project.view"), obj="project", args={"stage": "village_notice"}),
    # produce and sales: lists of the caller's area, the forms of the cadres and the office
    "sales:list": get(read("sale.view")),
    "sales:create": form("sale.record"),
    "sales:products": get(read("sale.view")),
    "sales:product_create": form("product.manage"),
    "sales:cooperative_create": form("product.manage"),
    "sales:buyers": get(read("sale.view")),
    "sales:buyer_create": form("sale.record"),
    "sales:numbers": get(read("sale.view")),
    "sales:numbers_export": get(read("sale.view"), args={"table": "channel"}),
    # reports: the dashboards of an area (the caller's own by default) and a chart's rows as Excel
    "reports:dashboard": get(read("dashboard.view"), query_object="township", query_param="region"),
    "reports:dashboard_xlsx": get(read("dashboard.view"), query_object="township", query_param="region",
                                  query={"chart": "children"}),
}

CREATED = frozenset({200, 201})
DONE = frozenset({200})


def api_write(action: str, body: dict, *, ok: frozenset[int] = CREATED, gate: str | None = "",
              obj: str | None = None, body_object: str | None = None, method: str = "POST",
              hidden: int | frozenset[int] = 404) -> Route:
    return Route({method: Rule(action, gate, ok)}, obj=obj, body=body, body_object=body_object, hidden=hidden)


def api_scope_first(action: str, body: dict, *, ok: frozenset[int] = DONE, obj: str, method: str = "POST") -> Route:
    """An API write on an object that is looked up first (404 out of scope), then the role (403)."""
    return api_write(action, body, ok=ok, gate=None, obj=obj, method=method)


API: dict[str, Route] = {
    # users: an area outside the caller's is refused (403), one that does not exist is a field's error
    "GET /api/users": get(read("user.view")),
    "POST /api/users": api_write("user.manage", {"username": "new_caseworker", "role": "caseworker", "region": "<obj>",
                                                 "display_name": "新干部"}, body_object="village",
                                 hidden=frozenset({403, 422})),
    "PATCH /api/users/{id}": api_write("user.manage", {"display_name": "改名"}, obj="caseworker", method="PATCH",
                                       ok=DONE),
    # households
    "GET /api/households": get(read("household.view")),
    "POST /api/households": api_write("household.create", {"region": "<obj>", "members": [
        {"name": "张三", "relation": "户主", "id_number": "<id_number>", "education": "初中"}]}, body_object="village",
        hidden=422),
    "GET /api/households/{id}": get(read("household.view"), obj="household"),
    "PATCH /api/households/{id}": api_scope_first("household.change", {"version": 1, "address": "新地址"},
                                                  obj="household", method="PATCH", ok=frozenset({200, 202})),
    "GET /api/households/{id}/history": get(read("household.history"), obj="household"),
    "POST /api/households/{id}/reveal": api_scope_first("member.reveal_phone", {"field": "phone"}, obj="household"),
    "POST /api/members/{id}/reveal": api_scope_first("member.reveal_id", {"field": "id_number"}, obj="member"),
    # casework
    "POST /api/contacts": api_write("contact.create", {
        "client_id": "<uuid>", "household": "<obj>", "channel": "phone", "reached": False,
        "not_reached_reason": "no_answer"}, body_object="household"),
    "GET /api/worklist": get(read("worklist.view")),
    "GET /api/campaigns": get(read("campaign.view")),
    "POST /api/campaigns": api_write("campaign.manage", {"name": "电话随访", "region_codes": ["<obj>"], "start": "<today>",
                                                         "end": "<today>"}, body_object="village", hidden=422),
    "GET /api/campaigns/{id}/coverage": get(read("campaign.view"), obj="campaign"),
    "GET /api/households/{id}/contacts": get(read("contact.view"), obj="household"),
    # supplies
    # A filter within the caller's townships: another township gives an empty list.
    "GET /api/stock/balances": get(read("supplies.view"), query_object="township", hidden=200),
    "GET /api/stock/moves": get(read("supplies.view"), query_object="township", hidden=200),
    # A township the caller cannot see is a 404 here, as a household is.
    "POST /api/stock/moves": api_write("stock.move", {"client_id": "<uuid>", "township": "<obj>", "kind": "receive",
                                                      "item": "<shared_item>", "quantity": 1, "source": "爱心捐赠"},
                                       body_object="township"),
    # deliveries
    "GET /api/deliveries": get(read("delivery.view")),
    "POST /api/deliveries": api_write("delivery.create", {"household": "<obj>", "kind": "errand",
                                                          "description": "代缴电费"}, body_object="household"),
    "GET /api/deliveries/counts": get(read("delivery.view")),
    "GET /api/deliveries/{id}": get(read("delivery.view"), obj="delivery"),
    "POST /api/deliveries/{id}/assign": api_scope_first("delivery.assign", {"caseworker": "<caseworker>"},
                                                        obj="delivery"),
    "POST /api/deliveries/{id}/complete": api_scope_first("delivery.complete", {"received_by": "户主本人"},
                                                          obj="delivery"),
    "POST /api/deliveries/{id}/fail": api_scope_first("delivery.complete", {"reason": "家中无人"}, obj="delivery"),
    # The delivery is open: nothing to reopen.
    "POST /api/deliveries/{id}/reopen": api_scope_first("delivery.reopen", {}, obj="delivery",
                                                        ok=frozenset({409, 422})),
    "GET /api/distributions": get(read("supplies.view"), query_object="township", query_required=True),
    "POST /api/distributions": api_write("distribution.plan", {"township": "<obj>", "title": "慰问", "quantity": 1,
                                                               "item": "<shared_item>"}, body_object="township"),
    "GET /api/distributions/{id}": get(read("supplies.view"), obj="distribution"),
    # emergencies
    "GET /api/emergencies": get(read("emergency.view")),
    "POST /api/emergencies": api_write("emergency.manage", {"title": "汛期", "kind": "flood", "region": "<obj>",
                                                            "start": "<today>"}, body_object="township",
                                       hidden=422),
    "GET /api/emergencies/{id}": get(read("emergency.view"), obj="emergency"),
    "GET /api/emergencies/{id}/numbers": get(read("emergency.view"), obj="emergency"),
    "POST /api/emergencies/{id}/end": api_scope_first("emergency.manage", {}, obj="emergency"),
    "POST /api/emergencies/{id}/close": api_scope_first("emergency.manage", {}, obj="emergency"),
    "GET /api/checks": get(read("check.view"), query_object="emergency"),
    "POST /api/checks/{id}": api_write("check.submit", {"client_id": "<uuid>", "temperatures": {"<member_key>": 36.5}},
                                       obj="check"),
    "GET /api/returnees": get(read("emergency.view"), query_object="emergency", query_required=True),
    "POST /api/returnees": api_write("returnee.register", {
        "client_id": "<uuid>", "emergency": "<obj>", "name": "王五", "id_number": "<id_number>", "origin": "武汉",
        "arrival": "<today>", "transport": "train", "household": "<household>",
        "quarantine": True, "home_supplies_ensured": True, "help_needed": False}, body_object="emergency"),
    # work
    "GET /api/labour": get(read("labour.view")),
    "POST /api/labour/statuses": api_write("labour.record", {
        "client_id": "<uuid>", "member": "<obj>", "month": "2024-01", "activity": "unemployed", "reason": "照顾老人"},
        body_object="member"),
    "GET /api/drives": get(read("drive.view")),
    "GET /api/drives/{id}": get(read("drive.view"), obj="drive"),
    "POST /api/drives/targets/{id}": api_write("drive.record", {"outcome": "not_yet", "reason": "等待复工通知"},
                                               obj="placement", ok=DONE),
    "GET /api/subsidies": get(read("subsidy.view")),
    "GET /api/postings": get(read("posting.view")),
    # A township the caller cannot see is a field's error (422), as a campaign's villages are.
    "POST /api/postings": api_write("posting.manage", {
        "township": "<obj>", "employer": "即墨服装厂", "title": "缝纫工", "openings": 5, "place_code": "370215",
        "contact": "李 0532-1234567", "valid_until": "<today>"}, body_object="township", hidden=422),
    "GET /api/postings/{id}/matches": get(read("posting.view"), obj="posting"),
    "GET /api/subsidies/{id}": get(read("subsidy.view"), obj="subsidy_list"),
    # the filial-piety fund
    "GET /api/fund/councils": get(read("fund.view")),
    # The caller's village has its council already (one a village): refused on its field.
    "POST /api/fund/councils": api_write("fund.manage", {"village": "<obj>", "name": "孝心养老理事会",
                                                         "founded_on": "<today>"}, body_object="village",
                                         ok=frozenset({422}), hidden=422),
    "GET /api/fund/agreements": get(read("fund.view"), query_object="council"),
    "POST /api/fund/agreements": api_write("fund.manage", {
        "council": "<obj>", "elder": "<elder>", "monthly_amount": 10000, "starts_on": "<today>",
        "signed_on": "<today>", "witnesses": "村委会", "supporters": [{"name": "王强", "relation": "长子"}]},
        body_object="council"),
    "GET /api/fund/contributions": get(read("fund.view"), query_object="agreement"),
    "POST /api/fund/contributions": api_write("fund.record", {"agreement": "<obj>", "amount": 10000,
                                                              "frequency": "monthly", "on": "<today>",
                                                              "client_id": "<uuid>"}, body_object="agreement"),
    "GET /api/fund/payouts": get(read("fund.view"), query_object="agreement"),
    "POST /api/fund/payouts": api_write("fund.record", {"agreement": "<obj>", "amount": 100, "month": "<today>",
                                                        "on": "<today>"}, body_object="agreement"),
    "GET /api/welfare-posts": get(read("welfare.view")),
    "GET /api/appointments": get(read("welfare.view")),
    "POST /api/attendance": api_write("welfare.attend", {
        "client_id": "<uuid>", "appointment": "<obj>", "day": "<today>", "mark": "present"},
        body_object="appointment"),
    "GET /api/payrolls": get(read("welfare.view")),
    # notifications
    "GET /api/notifications": get(read("notification.view")),
    "POST /api/notifications/{id}/read": api_write("notification.view", {}, obj="notification", ok=DONE),
    # monitoring
    "GET /api/leads": get(read("lead.view")),
    "POST /api/leads": api_write("lead.create", {"client_id": "<uuid>", "source": "cadre", "channel": "contact",
                                                 "household": "<obj>", "indicator": "务工收入骤减"},
                                 body_object="household"),
    "POST /api/leads/imports": api_write("lead.import", {"department": "civil", "rows": [
        {"row": 2, "name": "张三", "id_number": "<id_number>"}]}),
    "GET /api/monitored": get(read("lead.view")),
    # The lead waits at home verification: accepting it is refused by its stage (409).
    "POST /api/monitored/{id}/steps": api_write("lead.accept", {"action": "accept"}, obj="lead",
                                                ok=frozenset({409})),
    "GET /api/plans": get(read("plan.view")),
    "POST /api/plans": api_write("plan.edit", {"client_id": "<uuid>", "household": "<obj>", "type": "employment",
                                               "content": "推荐务工", "owner": "<caseworker>", "due_on": "<today>"},
                                 body_object="household"),
    "GET /api/flags": get(read("flag.view")),
    # needs
    "POST /api/needs": api_write("need.create", {"client_id": "<uuid>", "household": "<obj>",
                                                 "category": "living_supplies", "description": "米面油不够了"},
                                 body_object="household"),
    "GET /api/needs": get(read("need.view")),
    "GET /api/needs/{id}": get(read("need.view"), obj="need"),
    "GET /api/projects": get(read("project.view")),
    "POST /api/projects": api_write("project.create", {
        "client_id": "<uuid>", "name": "路灯安装工程", "type": "infrastructure", "region": "<obj>",
        "villages": ["<obj>"], "budget_central": 100, "meeting_date": "<today>", "meeting_attendance": 20,
        "meeting_decision": "同意申报"}, body_object="village", hidden=422),
    "GET /api/projects/{id}": get(read("project.view"), obj="project"),
    "POST /api/projects/{id}/steps": api_write("project.publish", {"action": "publish", "place": "村务公开栏"},
                                               ok=DONE, gate="project.view", obj="project"),
    "GET /api/projects/{id}/payments": get(read("project.view"), obj="project"),
    # The project of the world has no funds issued yet: a payment is refused by its stage (409).
    "POST /api/projects/{id}/payments": api_write("project.pay", {
        "client_id": "<uuid>", "source": "central", "amount_fen": 100, "day": "<today>", "payee": "施工方"},
        ok=frozenset({409}), gate="project.view", obj="project"),
    # policies: a key the county has is changed (200), a new one created (201)
    "GET /api/policies": get(read("policy.view")),
    "POST /api/policies": api_write("policy.manage", {"key": "dibao", "name": "低保", "amount": 60000,
                                                      "period": "monthly", "per": "member",
                                                      "categories": ["minimum_living"]}),
    "GET /api/policy-receipts": get(read("policy.view")),
    "POST /api/policy-receipts": api_write("policy.receipt", {
        "client_id": "<uuid>", "household": "<obj>", "policy": "housing", "period": "once", "amount": 2000000,
        "paid_on": "<today>"}, body_object="household"),
    # A person of no household in the caller's area is reported back, not stored.
    "POST /api/policy-receipts/import": api_write("policy.import", {
        "policy": "housing", "period": "once", "rows": [{"id_number": "<id_number>", "amount": 100}]}, ok=DONE),
    "POST /api/needs/{id}/transitions": api_scope_first("need.report", {"action": "report"}, obj="need"),
    # reports: the summary figures of a region within the caller's area (a village is the caseworker's own)
    "GET /api/figures": get(read("figure.view"), query_object="village", query_param="region", query_required=True),
    # produce and sales: a sale of the product's village, to a buyer of the caller's township
    "GET /api/sales": get(read("sale.view")),
    "POST /api/sales": api_write("sale.record", {"client_id": "<uuid>", "product": "<obj>", "buyer": "<buyer>",
                                                 "channel": "canteen", "quantity": "10", "amount": 12000,
                                                 "sold_on": "<today>"}, body_object="product"),
    "GET /api/sales/products": get(read("sale.view")),
    "GET /api/sales/buyers": get(read("sale.view")),
    # A buyer is recorded for the caller's area: an administrator, of no area, is refused on the field (422).
    "POST /api/sales/buyers": Route({"POST": Rule("sale.record", "", CREATED, role_ok=(("admin", frozenset({422})),))},
                                    body={"name": "<uuid>", "kind": "canteen"}),
    # assets: an asset of a village outside the caller's area is refused on its field (422)
    "GET /api/assets": get(read("asset.view")),
    "POST /api/assets": api_write("asset.manage", {
        "name": "村道", "asset_class": "public", "kind": "road", "village": "<obj>", "value_fen": 100,
        "owner_level": "village", "owner_name": "村集体", "keeper": "村委会"}, body_object="village", hidden=422,
        ok=frozenset({201})),
    "GET /api/assets/{id}": get(read("asset.view"), obj="asset"),
    "GET /api/assets/{id}/inspections": get(read("asset.view"), obj="asset"),
    "POST /api/assets/{id}/inspections": api_write("asset.inspect", {
        "client_id": "<uuid>", "day": "<today>", "checklist": "{\"panels_clean\": true}"}, gate="asset.view",
        obj="asset"),
    "GET /api/assets/{id}/income": get(read("asset.view"), obj="asset"),
    "POST /api/assets/{id}/income": api_write("asset.income", {
        "client_id": "<uuid>", "month": "<today>", "category": "power", "amount_fen": 100}, gate="asset.view",
        obj="asset"),
}
