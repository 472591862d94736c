"""Writes for accounts: users, API tokens, login failures."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import ApiToken, LoginFailure, User
from bangfu.core.codes import Level
from bangfu.core.permissions import Role
from bangfu.history.services import areas_touch
from bangfu.regions.models import Region

# The region level each role is bound to (an administrator needs none).
ROLE_LEVELS = {
    Role.COUNTY: {Level.COUNTY},
    Role.TOWNSHIP_OFFICE: {Level.TOWNSHIP},
    Role.VILLAGE: {Level.VILLAGE},
    Role.CASEWORKER: {Level.TOWNSHIP, Level.VILLAGE},
    Role.VOLUNTEER: {Level.VILLAGE},
}


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
        region = Region.objects.filter(code=region_code or "").first()
        if region is None:
            errors["region"] = _("No region with code %(code)s.") % {"code": region_code}
        elif role in ROLE_LEVELS and region.level not in ROLE_LEVELS[role]:
            errors["region"] = _("A %(role)s user belongs to a %(levels)s, not a %(level)s.") % {
                "role": Role(role).label,
                "levels": "/".join(str(Level(level).label) for level in ROLE_LEVELS[role]),
                "level": Level(region.level).label,
            }
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
