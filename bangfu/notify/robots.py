"""The work groups' robots: each vendor's payload, signature, size and rate limits and answer codes
(as documented: WeCom group robot, DingTalk custom robot, Feishu custom robot; see REPORTS.md §4),
and the outbox channel `robot` that sends one part of a digest to its group.

Signatures differ, and libraries have swapped them:
- DingTalk signs `f"{ms}\\n{secret}"` with the secret as the HMAC-SHA256 key; `timestamp` (ms) and
  the URL-encoded base64 `sign` are query parameters of the webhook.
- Feishu uses `f"{s}\\n{secret}"` as the key over an empty message; `timestamp` (s) and `sign` go
  in the JSON body.
Both refuse a timestamp more than an hour away from theirs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.db import transaction

from bangfu.core import crypto
from bangfu.notify.channels import (
    DeliveryError,
    Reschedule,
    Throttled,
    Undeliverable,
    channel_register,
    delivery_time,
)
from bangfu.notify.models import Channel, ChannelStatus, DingtalkMode, Message, Vendor

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Limits:
    """What one robot takes: the bytes of one message's text, and requests per window."""

    text_bytes: int
    body_bytes: int
    rates: tuple[tuple[int, int], ...]  # (requests, seconds)
    throttle_wait: dt.timedelta  # how long the vendor holds a robot back once it said "too many"
    ok: frozenset[int]
    throttled: frozenset[int]
    stop: frozenset[int]  # the key, token, signature or keyword is wrong: the channel stops


LIMITS = {
    # markdown content ≤ 4096 bytes (40058 above it); 20 a minute (45009 above it); 93000 a bad
    # webhook (key), 40014 an invalid key.
    Vendor.WECOM: Limits(text_bytes=4096, body_bytes=8192, rates=((20, 60),),
                         throttle_wait=dt.timedelta(minutes=1), ok=frozenset({0}),
                         throttled=frozenset({45009}), stop=frozenset({93000, 40014})),
    # text of about 20,000 bytes; 20 a minute, then held back 10 minutes (130101, 410100); 310000
    # sign, timestamp or keyword refused; 300001 / 300005 no such token.
    Vendor.DINGTALK: Limits(text_bytes=18000, body_bytes=20000, rates=((20, 60),),
                            throttle_wait=dt.timedelta(minutes=10), ok=frozenset({0}),
                            throttled=frozenset({130101, 410100}), stop=frozenset({310000, 300001, 300005})),
    # the body ≤ 20 KB (9499 above it); 100 a minute and 5 a second (11232); 19021 signature or
    # timestamp, 19022 IP, 19024 keyword, 19001 no such hook.
    Vendor.FEISHU: Limits(text_bytes=18000, body_bytes=20 * 1024, rates=((100, 60), (5, 1)),
                          throttle_wait=dt.timedelta(minutes=1), ok=frozenset({0}),
                          throttled=frozenset({11232}), stop=frozenset({19021, 19022, 19024, 19001})),
}


# --- signatures ------------------------------------------------------------------------------

def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(key=secret, msg=f"{ms}\\n{secret}")), not yet URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """base64(HMAC-SHA256(key=f"{s}\\n{secret}", msg=b""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


# --- splitting -------------------------------------------------------------------------------

def _utf8_len(text: str) -> int:
    return len(text.encode())


def _cut_line(line: str, limit: int) -> list[str]:
    """A line longer than `limit` bytes, cut between characters."""
    pieces, current, size = [], [], 0
    for char in line:
        width = _utf8_len(char)
        if size + width > limit and current:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append("".join(current))
    return pieces


def text_split(text: str, limit_bytes: int, *, prefix: str = "") -> list[str]:
    """The text in parts of at most `limit_bytes` (UTF-8) each, cut at line ends (a single longer
    line between characters), numbered "（1/3）" on their first line when there is more than one;
    `prefix` (a DingTalk keyword) starts every part."""
    reserve = _utf8_len(prefix) + _utf8_len("（999/999）\n")
    room = max(limit_bytes - reserve, 16)
    chunks: list[list[str]] = [[]]
    size = 0
    for line in text.split("\n"):
        for piece in _cut_line(line, room):
            width = _utf8_len(piece) + (1 if chunks[-1] else 0)
            if chunks[-1] and size + width > room:
                chunks.append([])
                size, width = 0, _utf8_len(piece)
            chunks[-1].append(piece)
            size += width
    parts = ["\n".join(chunk) for chunk in chunks]
    if len(parts) > 1:
        parts = [f"（{i}/{len(parts)}）\n{part}" for i, part in enumerate(parts, 1)]
    return [prefix + part for part in parts]


def channel_prefix(channel: Channel) -> str:
    """What every message must hold: a DingTalk robot in keyword mode (310000) or a Feishu robot
    with keywords (19024) refuses a message without one of its keywords."""
    keyworded = channel.vendor == Vendor.FEISHU or (
        channel.vendor == Vendor.DINGTALK and channel.dingtalk_mode == DingtalkMode.KEYWORD)
    if keyworded and channel.keyword:
        return f"【{channel.keyword}】"
    return ""


def parts_for(channel: Channel, text: str) -> list[str]:
    if channel.vendor not in LIMITS:
        return [text]
    return text_split(text, LIMITS[channel.vendor].text_bytes, prefix=channel_prefix(channel))


# --- requests --------------------------------------------------------------------------------

def request_for(channel: Channel, text: str, *, now: dt.datetime) -> tuple[str, bytes]:
    """The URL and JSON body of one message, signed as its vendor documents."""
    url = crypto.decrypt(channel.webhook_encrypted)
    secret = crypto.decrypt(channel.secret_encrypted)
    if channel.vendor == Vendor.WECOM:
        payload = {"msgtype": "markdown", "markdown": {"content": text}}
    elif channel.vendor == Vendor.DINGTALK:
        payload = {"msgtype": "text", "text": {"content": text}}
        if channel.dingtalk_mode == DingtalkMode.SIGNED:
            ms = int(now.timestamp() * 1000)
            query = urllib.parse.urlencode({"timestamp": ms, "sign": dingtalk_sign(secret, ms)})
            url = f"{url}{'&' if '?' in url else '?'}{query}"
    elif channel.vendor == Vendor.FEISHU:
        payload = {"msg_type": "text", "content": {"text": text}}
        if secret:
            seconds = int(now.timestamp())
            payload = {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds)} | payload
    else:
        raise Undeliverable("this group has no robot")
    return url, json.dumps(payload, ensure_ascii=False).encode()


def _answer_code(answer: dict) -> int | None:
    for key in ("errcode", "code", "StatusCode"):
        if isinstance(answer.get(key), int):
            return answer[key]
    return None


def _answer_text(answer: dict) -> str:
    return str(answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or "")[:200]


def post(channel: Channel, text: str, *, now: dt.datetime) -> None:
    """Send one text to the robot now; raise Throttled, Undeliverable (stopping the channel on a
    refused key or signature) or DeliveryError. Errors never carry the webhook URL or secret."""
    limits = LIMITS.get(channel.vendor)
    if limits is None:
        raise Undeliverable("this group has no robot")
    url, body = request_for(channel, text, now=now)
    if len(body) > limits.body_bytes:
        raise Undeliverable(f"message of {len(body)} bytes is above the robot's {limits.body_bytes}")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"robot not reached: {type(reason).__name__}") from None
    try:
        answer = json.loads(raw.decode() or "{}")
    except (UnicodeDecodeError, ValueError):
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    code = _answer_code(answer)
    said = f"HTTP {status}, code {code}: {_answer_text(answer)}"
    if status == 429 or code in limits.throttled:
        raise Throttled(said, wait=limits.throttle_wait)
    if code in limits.stop:
        channel_id = channel.pk

        def stop() -> None:
            from bangfu.notify.services import channel_stop_refused

            channel_stop_refused(channel_id=channel_id, code=code, said=_answer_text(answer))

        raise Undeliverable(said, then=stop)
    if status >= 500 or code is None:
        raise DeliveryError(said)
    if status >= 400 or code not in limits.ok:
        # The message itself was refused (too long, malformed): sending it again will not help.
        raise Undeliverable(said)


def rate_check(channel: Channel, *, now: dt.datetime) -> None:
    """Raise Reschedule when one more request now would pass one of the robot's rate limits;
    otherwise count this request (in the caller's transaction, with the channel's row locked)."""
    limits = LIMITS[channel.vendor]
    stamp = now.timestamp()
    longest = max(seconds for _count, seconds in limits.rates)
    recent = sorted(t for t in channel.recent_sends if t > stamp - longest)
    for count, seconds in limits.rates:
        inside = [t for t in recent if t > stamp - seconds]
        if len(inside) >= count:
            at = dt.datetime.fromtimestamp(inside[-count] + seconds, tz=dt.UTC)
            raise Reschedule(f"rate limit {count} per {seconds} s: waits", at=at)
    channel.recent_sends = [*recent, stamp]
    Channel.objects.filter(pk=channel.pk).update(recent_sends=channel.recent_sends)


class RobotChannel:
    """The outbox channel of the work groups: a message is one part of a digest for one robot."""

    name = "robot"

    def send(self, message: Message) -> None:
        now = delivery_time()
        channel = Channel.objects.select_for_update().filter(pk=message.robot_id).first()
        if channel is None:
            raise Undeliverable("the work group was deleted")
        if channel.status != ChannelStatus.ACTIVE:
            raise Undeliverable("the work group's robot is stopped")
        rate_check(channel, now=now)
        post(channel, message.body, now=now)


def channel_snapshot(channel: Channel) -> dict:
    """The history of a channel: never its webhook or secret, only their last characters."""
    return {
        "region_code": channel.region_code, "vendor": channel.vendor, "name": channel.name,
        "webhook": f"…{channel.webhook_tail}" if channel.webhook_tail else "",
        "secret": "set" if channel.secret_encrypted else "",
        "dingtalk_mode": channel.dingtalk_mode, "keyword": channel.keyword, "events": list(channel.events),
        "window_minutes": channel.window_minutes, "status": channel.status,
        "stopped_reason": channel.stopped_reason,
    }


def send_now(channel: Channel, text: str, *, now: dt.datetime) -> None:
    """A test message from the channel's page, sent at once within the rate limit."""
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        rate_check(locked, now=now)
    post(channel, text, now=now)


channel_register(RobotChannel())
