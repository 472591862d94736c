"""The users page's forms (add, change) and one's own password change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.models import User
from bangfu.core import bounds
from bangfu.core.permissions import Role

USERNAME = User._meta.get_field("username").max_length
PASSWORD = User._meta.get_field("password").max_length


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=bounds.NAME)
    phone = forms.CharField(label=_("Phone"), max_length=bounds.PHONE, required=False)
    organisation = forms.CharField(label=_("Work unit"), max_length=bounds.TITLE, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=())
    region = forms.CharField(label=_("Area (region code)"), max_length=bounds.CODE, required=False,
                             help_text=_("The 9-digit code of a township or the 12-digit code of a village."))

    def __init__(self, *args, roles: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in (Role.values if roles is None else roles)]
        if not self.initial.get("role"):
            # A new user's role is chosen, never taken from the top of the list (an office's own).
            self.fields["role"].choices = [("", "—"), *self.fields["role"].choices]

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("A region code is made of digits."))
        return code


class UserAddForm(UserEditForm):
    username = forms.CharField(label=_("Username"), max_length=USERNAME,
                               help_text=_("Used to log in: letters, digits and @.+-_ only."))
    field_order = ["username", "display_name", "phone", "organisation", "role", "region"]

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        User.username_validator(name)
        return name


class PasswordForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), max_length=PASSWORD,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("New password"), max_length=PASSWORD,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("New password again"), max_length=PASSWORD,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password2") and data["new_password"] != data["new_password2"]:
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class SetupForm(forms.Form):
    """The first administrator's account, on the page the setup link opens."""

    username = forms.CharField(label=_("Username"), max_length=USERNAME,
                               help_text=_("Used to log in: letters, digits and @.+-_ only."),
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), max_length=PASSWORD,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), max_length=PASSWORD,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        User.username_validator(name)
        return name

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data
