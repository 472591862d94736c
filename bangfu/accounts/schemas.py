"""The users API's typed shapes; the bounds are the users page's form's (accounts.forms)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from bangfu.accounts.forms import USERNAME
from bangfu.core import bounds

RoleName = Literal["admin", "county", "township_office", "village", "caseworker", "volunteer"]


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    region: str | None
    phone: str
    organisation: str
    is_active: bool
    must_change_password: bool


class UserPage(Schema):
    items: list[UserOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    count: int = Field(description="How many users match, in all pages.")


class UserCreated(UserOut):
    password: str = Field(..., description="The one-time password, shown this once; changed at first login.")


class UserIn(Schema):
    username: str = Field(..., min_length=1, max_length=USERNAME)
    role: RoleName
    region: str | None = Field(None, max_length=bounds.CODE, description="A region code; none for an administrator.")
    display_name: str = Field("", max_length=bounds.NAME)
    phone: str = Field("", max_length=bounds.PHONE)
    organisation: str = Field("", max_length=bounds.TITLE)


class UserPatch(Schema):
    role: RoleName | None = None
    region: str | None = Field(None, max_length=bounds.CODE)
    display_name: str | None = Field(None, max_length=bounds.NAME)
    phone: str | None = Field(None, max_length=bounds.PHONE)
    organisation: str | None = Field(None, max_length=bounds.TITLE)
    is_active: bool | None = None
