"""Users with a role and a region (their scope), API tokens, and failed logins for throttling."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.permissions import Role
from bangfu.history.tracked import Tracked


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="users", verbose_name=_("region"),
        null=True, blank=True,
    )
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.CharField(_("work unit"), max_length=100, blank=True)
    # A password someone else set (a new user, a reset) is known to two people until its owner changes it.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = UserManager()
    history = Tracked(type="user", region="region_id", repr="username",
                      snapshot="bangfu.accounts.services.user_snapshot")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(region__isnull=False),
                name="user_has_region_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def scope(self) -> str:
        """The region code prefix this user sees; empty (everything) for an administrator."""
        if self.role == Role.ADMIN:
            return ""
        return self.region_id or ""


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")


class LoginFailure(models.Model):
    """One failed login; recent rows for a username from an address, or for an address, slow further attempts."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "address", "at"]), models.Index(fields=["address", "at"])]


class SetupToken(models.Model):
    """The secret of the one-time link that creates the first administrator (printed by `bangfu serve`
    while no active administrator exists). Only its hash is kept; using it deletes it."""

    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
