"""The work group form: the robot's vendor, webhook and secret (written, never shown back), the
DingTalk security mode, the events the group is sent and its digest window."""

from __future__ import annotations

import urllib.parse

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.text import clean_text
from bangfu.notify.models import DingtalkMode, Event, Vendor

WEBHOOK = 500
SECRET = 200
KEYWORD = 20

# What a webhook of each vendor looks like (REPORTS.md §4): a path, and the query key holding the token.
WEBHOOK_SHAPES = {
    Vendor.WECOM: ("/cgi-bin/webhook/send", "key"),
    Vendor.DINGTALK: ("/robot/send", "access_token"),
    Vendor.FEISHU: ("/open-apis/bot/v2/hook/", ""),
}


class ChannelForm(forms.Form):
    township = forms.CharField(label=_("township code"), max_length=bounds.CODE,
                               help_text=_("The 9-digit code of the township whose group this is."))
    vendor = forms.ChoiceField(label=_("robot"), choices=Vendor.choices)
    name = forms.CharField(label=_("group name"), max_length=bounds.TITLE, help_text=_("e.g. 蓝村街道工作信息群"))
    webhook = forms.CharField(label=_("webhook address"), max_length=WEBHOOK, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "url"}),
                              help_text=_("Copied from the robot's settings in the group."))
    dingtalk_mode = forms.ChoiceField(label=_("DingTalk security"), required=False,
                                      choices=[("", "—"), *DingtalkMode.choices])
    keyword = forms.CharField(label=_("keyword"), max_length=KEYWORD, required=False,
                              help_text=_("DingTalk keyword mode, or a Feishu robot with keywords: one of the "
                                          "keywords set on the robot."))
    secret = forms.CharField(label=_("signing secret"), max_length=SECRET, required=False,
                             widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                             help_text=_("DingTalk signed mode (SEC…) or a Feishu robot's signature secret."))
    events = forms.MultipleChoiceField(label=_("what the group is sent"), choices=Event.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    window_minutes = forms.IntegerField(label=_("digest window (minutes)"), initial=10, **bounds.DIGEST_MINUTES.form(),
                                        help_text=_("Events within this many minutes go out as one message."))

    def __init__(self, *args, channel=None, admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if not admin or channel is not None:
            del self.fields["township"]
        if channel is not None:
            self.fields["webhook"].help_text = _("Leave empty to keep the stored one (…%(tail)s).") % {
                "tail": channel.webhook_tail} if channel.webhook_tail else self.fields["webhook"].help_text
            if channel.secret_encrypted:
                self.fields["secret"].help_text = _("A secret is stored; leave empty to keep it.")

    def clean_township(self):
        from bangfu.core.codes import Level
        from bangfu.regions.models import Region

        code = self.cleaned_data["township"].strip()
        if not Region.objects.filter(code=code, level=Level.TOWNSHIP).exists():
            raise ValidationError(_("Enter the code of a township."))
        return code

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_webhook(self):
        return self.cleaned_data["webhook"].strip()

    def clean_secret(self):
        return self.cleaned_data["secret"].strip()

    def clean_keyword(self):
        return clean_text(self.cleaned_data["keyword"])

    def clean(self):
        data = super().clean()
        vendor = data.get("vendor")
        if not vendor:
            return data
        webhook = data.get("webhook", "")
        stored = self.channel is not None and self.channel.webhook_encrypted and self.channel.vendor == vendor
        if vendor == Vendor.WECHAT:
            data["webhook"] = data["secret"] = ""
        elif not webhook and not stored:
            self.add_error("webhook", _("Enter the robot's webhook address."))
        elif webhook:
            parts = urllib.parse.urlsplit(webhook)
            path, key = WEBHOOK_SHAPES[vendor]
            query = dict(urllib.parse.parse_qsl(parts.query))
            if (parts.scheme not in ("https", "http") or not parts.netloc or not parts.path.startswith(path)
                    or (key and not query.get(key)) or (not key and parts.path == path)):
                self.add_error("webhook", _("This is not a %(vendor)s webhook address.") % {
                    "vendor": Vendor(vendor).label})
        if vendor == Vendor.DINGTALK:
            mode = data.get("dingtalk_mode")
            if not mode:
                self.add_error("dingtalk_mode", _("Choose how the robot is secured: keyword or signed."))
            elif mode == DingtalkMode.KEYWORD and not data.get("keyword"):
                self.add_error("keyword", _("Enter the robot's keyword."))
            elif mode == DingtalkMode.SIGNED and not data.get("secret") and not (
                    self.channel is not None and self.channel.secret_encrypted):
                self.add_error("secret", _("Enter the robot's signing secret."))
        return data


class StopForm(forms.Form):
    reason = forms.CharField(label=_("why stop"), max_length=bounds.ADDRESS, required=False)

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])

