"""Writes for accounts: users (by the command, and by an administrator or a township office within
their scope), passwords, API tokens, login failures."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import ApiToken, LoginFailure, SetupToken, User
from bangfu.accounts.queries import user_get
from bangfu.core.codes import Level
from bangfu.core.permissions import PermissionDenied, Role, require
from bangfu.history.models import Action
from bangfu.history.services import areas_touch, record
from bangfu.regions.models import Region

# The region level each role is bound to (an administrator needs none).
ROLE_LEVELS = {
    Role.PROVINCE: {Level.PROVINCE},
    Role.COUNTY: {Level.COUNTY},
    Role.TOWNSHIP_OFFICE: {Level.TOWNSHIP},
    Role.VILLAGE: {Level.VILLAGE},
    Role.CASEWORKER: {Level.TOWNSHIP, Level.VILLAGE},
    Role.VOLUNTEER: {Level.VILLAGE},
}


def _region_for_role(role: str, region_code: str | None) -> tuple[Region | None, str | None]:
    """The region a user of `role` works in, or why `region_code` cannot be it (no such region, or
    one of a level the role does not work at)."""
    region = Region.objects.filter(code=region_code or "").first()
    if region is None:
        return None, _("No region with code %(code)s.") % {"code": region_code}
    if role in ROLE_LEVELS and region.level not in ROLE_LEVELS[role]:
        return region, _("A %(role)s user belongs to a %(levels)s, not a %(level)s.") % {
            "role": Role(role).label,
            "levels": "/".join(str(Level(level).label) for level in ROLE_LEVELS[role]),
            "level": Level(region.level).label,
        }
    return region, None


@transaction.atomic
def user_add(
    *,
    username: str,
    role: str,
    region_code: str | None,
    password: str | None = None,
    display_name: str = "",
    phone: str = "",
    organisation: str = "",
    check_password: bool = True,
) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none is given)."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Unknown role %(role)s; one of: %(roles)s.") % {
            "role": role, "roles": ", ".join(Role.values)
        }
    region = None
    if role != Role.ADMIN:
        region, problem = _region_for_role(role, region_code)
        if problem:
            errors["region"] = problem
    if User.objects.filter(username=username).exists():
        errors["username"] = _("User %(username)s already exists.") % {"username": username}
    generated = password is None
    if generated:
        password = secrets.token_urlsafe(12)
    elif check_password:
        try:
            validate_password(password)
        except ValidationError as error:
            errors["password"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username, role=role, region=region, display_name=display_name,
        phone=phone, organisation=organisation, is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    # Lists of an area's caseworkers are pages kept until their area changes (history.pagecache).
    areas_touch([region.code if region else ""])
    return user, password


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str = "") -> str:
    """Make an API token and return its secret: shown once, only its hash is kept."""
    secret = "bf_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=secret[3:11], key_hash=_token_hash(secret))
    return secret


def token_user(secret: str) -> User | None:
    """The active user a token secret belongs to, or None."""
    if not secret or not secret.startswith("bf_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=_token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute, so a busy client does not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _login_name(username: str) -> str:
    # No username is longer than the field; a longer one is kept cut, never refused with an error.
    return username.lower()[: LoginFailure._meta.get_field("username").max_length]


def _free_at(failures: QuerySet[LoginFailure], limit: int, window: timedelta) -> datetime | None:
    """When fewer than `limit` of these failures will be left in the window, or None if that is already so."""
    times = list(failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit])
    return times[0] + window if times else None


def login_locked(*, username: str, address: str | None) -> datetime | None:
    """When a login for `username` from `address` may be tried again, or None if it may be now.

    Failures count by account and address together, so guessing from one address never refuses the
    right password from another; an address failing across many accounts is refused too, for itself only.
    """
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=timezone.now() - window, address=address)
    limit = settings.LOGIN_MAX_FAILURES
    free_at = [
        _free_at(recent.filter(username=_login_name(username)), limit, window),
        # An address gets more room than a pair: a township office may share one public address.
        _free_at(recent, limit * 4, window) if address else None,
    ]
    return max((at for at in free_at if at is not None), default=None)


def login_failed(*, username: str, address: str | None) -> None:
    now = timezone.now()
    # Rows past the window count for nothing; dropping them here keeps the table as small as an attack.
    LoginFailure.objects.filter(at__lt=now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)).delete()
    LoginFailure.objects.create(username=_login_name(username), address=address, at=now)


def login_succeeded(*, username: str, address: str | None) -> None:
    """Forget this address's failures for the account; another address's failures still count."""
    LoginFailure.objects.filter(username=_login_name(username), address=address).delete()


# --- users managed in the app ----------------------------------------------------------------------

# From the widest role to the narrowest: a manager gives a role at or below their own.
ROLE_RANK = {Role.ADMIN: 0, Role.PROVINCE: 1, Role.COUNTY: 2, Role.TOWNSHIP_OFFICE: 3, Role.VILLAGE: 4,
             Role.CASEWORKER: 5, Role.VOLUNTEER: 6}


def user_snapshot(user: User) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "region": user.region_id or "", "phone": user.phone, "organisation": user.organisation,
            "is_active": user.is_active}


def roles_given_by(actor: User) -> list[str]:
    """The roles `actor` may give: their own and those below it."""
    if not actor.role or actor.role not in ROLE_RANK:
        return []
    return [role for role in Role.values if ROLE_RANK[Role(role)] >= ROLE_RANK[Role(actor.role)]]


def _check_grant(actor: User, *, role: str, region_code: str | None) -> None:
    """A role above the actor's, or an area outside theirs, is refused (403): the division codes are
    public, so naming one tells nothing."""
    if role in Role.values and role not in roles_given_by(actor):
        raise PermissionDenied("user.manage")
    if role != Role.ADMIN and region_code and not region_code.startswith(actor.scope):
        raise PermissionDenied("user.manage")


def _managed(actor: User, user_id: int) -> User:
    """The user `actor` may change: in their area (404 otherwise), of a role they may give (403)."""
    require(actor, "user.manage")
    user = user_get(actor, user_id, for_update=True)
    if user.role not in roles_given_by(actor):
        raise PermissionDenied("user.manage")
    return user


@transaction.atomic
def user_create(*, actor: User, username: str, role: str, region_code: str | None, display_name: str = "",
                phone: str = "", organisation: str = "") -> tuple[User, str]:
    """Add a user with a one-time password (returned, to be shown once); they change it at first login."""
    require(actor, "user.manage")
    _check_grant(actor, role=role, region_code=region_code)
    user, password = user_add(username=username, role=role, region_code=region_code, display_name=display_name,
                              phone=phone, organisation=organisation)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    record(actor, Action.CREATE, user)
    return user, password


@transaction.atomic
def user_change(*, actor: User, user_id: int, role: str | None = None, region_code: str | None = None,
                display_name: str | None = None, phone: str | None = None,
                organisation: str | None = None) -> User:
    """Change a user's role, area or contact details, within the actor's scope; None keeps a value."""
    user = _managed(actor, user_id)
    before = user_snapshot(user)
    new_role = user.role if role is None else role
    new_region = (user.region_id or "") if region_code is None else region_code
    errors: dict[str, str] = {}
    if new_role not in Role.values:
        errors["role"] = _("Unknown role %(role)s; one of: %(roles)s.") % {"role": new_role,
                                                                         "roles": ", ".join(Role.values)}
    else:
        _check_grant(actor, role=new_role, region_code=new_region)
    if user.pk == actor.pk and (new_role != user.role or new_region != (user.region_id or "")):
        errors["role" if new_role != user.role else "region"] = _("You cannot change your own role or area.")
    region = None
    if not errors and new_role != Role.ADMIN:
        region, problem = _region_for_role(new_role, new_region)
        if problem:
            errors["region"] = problem
    if errors:
        raise ValidationError(errors)
    old_region = user.region_id or ""
    user.role, user.region = new_role, region
    user.is_staff = user.is_superuser = new_role == Role.ADMIN
    for name, value in (("display_name", display_name), ("phone", phone), ("organisation", organisation)):
        if value is not None:
            setattr(user, name, value)
    user.save()
    areas_touch([old_region])
    record(actor, Action.UPDATE, user, before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def user_set_active(*, actor: User, user_id: int, active: bool) -> User:
    """Deactivate a user (they can no longer log in, nor use their tokens) or reactivate them."""
    user = _managed(actor, user_id)
    if user.pk == actor.pk and not active:
        raise ValidationError({"is_active": _("You cannot deactivate yourself.")})
    before = user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, Action.UPDATE, user, before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user_id: int) -> tuple[User, str]:
    """Give a user a new one-time password (returned, to be shown once); they change it at next login."""
    user = _managed(actor, user_id)
    if user.pk == actor.pk:
        raise ValidationError({"password": _("Change your own password on your account page.")})
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # No password, nor its hash, goes into history: only that it was reset.
    record(actor, Action.UPDATE, user, before={"password": ""}, after={"password": "reset"})
    return user, password


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The user's own new password, checked by the configured validators."""
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, str] = {}
    if not user.check_password(old_password):
        errors["old_password"] = _("The current password is wrong.")
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        errors["new_password"] = " ".join(error.messages)
    if not errors and new_password == old_password:
        errors["new_password"] = _("The new password must differ from the current one.")
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(user, Action.UPDATE, user, before={"password": ""}, after={"password": "changed"})
    return user


# --- the first administrator, from the link `bangfu serve` prints ---------------------------------

def admin_exists() -> bool:
    return User.objects.filter(role=Role.ADMIN, is_active=True).exists()


@transaction.atomic
def setup_token_issue() -> str | None:
    """While no active administrator exists, a new one-time setup secret (any earlier one is
    forgotten); None once one exists. Only its hash is kept."""
    SetupToken.objects.all().delete()
    if admin_exists():
        return None
    secret = secrets.token_urlsafe(32)
    SetupToken.objects.create(key_hash=_token_hash(secret))
    return secret


def setup_link(*, base_url: str) -> list[str]:
    """The lines `bangfu serve` prints while no active administrator exists: a new one-time link to
    the page that creates one (a link printed before stops working). Nothing once one exists."""
    secret = setup_token_issue()
    if secret is None:
        return []
    return [_("No administrator yet. Open this link once to create one (it works until the administrator "
              "exists; restarting the server prints a new one):"),
            f"    {base_url}{reverse('accounts:setup', args=[secret])}"]


def setup_token_valid(secret: str) -> bool:
    """Whether `secret` opens the setup page now: an issued secret, and still no active administrator.
    The hashes are compared in constant time."""
    if not secret or admin_exists():
        return False
    given = _token_hash(secret)
    found = False
    for stored in SetupToken.objects.values_list("key_hash", flat=True):
        found |= hmac.compare_digest(given, stored)
    return found


@transaction.atomic
def admin_setup(*, token: str, username: str, password: str) -> User:
    """Create the first administrator with the setup secret, which is used up; the administrator's
    own password, checked by the configured validators, is kept (nothing to change at first login)."""
    # Two people sending the form at once: the second waits here, then finds the secret gone.
    list(SetupToken.objects.select_for_update().values_list("pk", flat=True))
    if not setup_token_valid(token):
        raise PermissionDenied("setup")
    errors: dict[str, list[str]] = {}
    try:
        user, _password = user_add(username=username, role=Role.ADMIN, region_code=None, password=password,
                                   check_password=False)
    except ValidationError as error:
        errors = dict(error.message_dict)
    try:
        # Checked against the username too (a password like the username is refused).
        validate_password(password, User(username=username, role=Role.ADMIN))
    except ValidationError as error:
        errors["password"] = [" ".join(error.messages)]
    if errors:
        raise ValidationError(errors)
    SetupToken.objects.all().delete()
    record(user, Action.CREATE, user)
    return user


# --- a sheet of cadres (姓名, 手机号, 村, 角色), added all or none -------------------------------------

# What a sheet calls each role a township office may give; the role's own Chinese name works too.
ROLE_WORDS = {
    "帮扶干部": Role.CASEWORKER, "帮扶责任人": Role.CASEWORKER, "帮包干部": Role.CASEWORKER, "驻村干部": Role.CASEWORKER,
    "村干部": Role.VILLAGE, "村两委": Role.VILLAGE, "志愿者": Role.VOLUNTEER, "扶贫办": Role.TOWNSHIP_OFFICE,
    "乡村振兴办": Role.TOWNSHIP_OFFICE,
}
CADRE_COLUMNS = {"name": "姓名", "phone": "手机号", "village": "村", "role": "角色"}


@dataclass(frozen=True)
class CadreError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d %(column)s: %(message)s") % {"row": self.row, "column": self.column,
                                                           "message": self.message}


def _role_of(text: str) -> str | None:
    text = text.strip()
    if text in ROLE_WORDS:
        return ROLE_WORDS[text]
    for role in Role:
        if text in (role.value, str(role.label)):
            return role.value
    return None


@transaction.atomic
def users_bulk_add(*, actor: User, township_code: str,
                   rows: list[tuple[int, dict[str, str]]]) -> tuple[list[tuple[User, str]], list[CadreError]]:
    """Add one user per row (row number, {name, phone, village, role}); their username is their
    phone number, their password a one-time one. Every row is checked; with any error nothing is
    added and the errors are returned, each naming its row and column."""
    require(actor, "user.manage")
    _check_grant(actor, role=Role.CASEWORKER, region_code=township_code)
    villages = {region.name: region for region in Region.objects.villages().within(township_code)}
    by_code = {region.code: region for region in villages.values()}
    errors: list[CadreError] = []
    seen: dict[str, int] = {}
    parsed = []
    for number, values in rows:
        def refuse(key: str, message: str, number: int = number) -> None:
            errors.append(CadreError(number, CADRE_COLUMNS[key], message))

        name, phone = values.get("name", "").strip(), values.get("phone", "").strip()
        village_text, role_text = values.get("village", "").strip(), values.get("role", "").strip()
        if not name:
            refuse("name", _("This field is required."))
        elif len(name) > User._meta.get_field("display_name").max_length:
            refuse("name", _("At most %(n)d characters.") % {"n": User._meta.get_field("display_name").max_length})
        if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            refuse("phone", _("%(phone)s is not a mobile number of 11 digits.") % {"phone": phone or "—"})
        elif phone in seen:
            refuse("phone", _("The same number as row %(row)d.") % {"row": seen[phone]})
        elif User.objects.filter(username=phone).exists():
            refuse("phone", _("A user with username %(phone)s already exists.") % {"phone": phone})
        else:
            seen[phone] = number
        role = _role_of(role_text) if role_text else Role.CASEWORKER
        if role is None:
            refuse("role", _("Unknown role %(role)s; one of: %(roles)s.") % {
                "role": role_text, "roles": ", ".join(str(Role(r).label) for r in roles_given_by(actor))})
        elif role not in roles_given_by(actor) or role in (Role.ADMIN, Role.PROVINCE, Role.COUNTY):
            refuse("role", _("You cannot add a user with the role %(role)s.") % {"role": Role(role).label})
        region = villages.get(village_text) or by_code.get(village_text)
        if not village_text:
            region = Region.objects.get(code=township_code) if role in (Role.CASEWORKER, Role.TOWNSHIP_OFFICE) else None
            if region is None:
                refuse("village", _("This field is required."))
        elif region is None:
            refuse("village", _("%(township)s has no village named %(name)s.") % {
                "township": Region.objects.get(code=township_code).name, "name": village_text})
        elif role == Role.TOWNSHIP_OFFICE:
            region = Region.objects.get(code=township_code)
        parsed.append((name, phone, role, region))
    if errors:
        return [], errors
    added = [user_create(actor=actor, username=phone, role=role, region_code=region.code, display_name=name,
                         phone=phone) for name, phone, role, region in parsed]
    return added, []
