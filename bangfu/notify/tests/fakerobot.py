"""A fake of the three vendors' group robots: a real HTTP server on 127.0.0.1 in a thread, answering
as each vendor documents (REPORTS.md §4): it checks the key or token, the signature and its one-hour
timestamp window, the keyword, the payload's shape and size, and counts requests per robot in a
sliding window, answering the vendor's throttling code above its rate limit. Its clock is the
test's, so that a test runs minutes of sending without sleeping."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Clock:
    """The test's clock: the outbox is run at `clock.now`, the fake judges timestamps by it."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@dataclass
class Robot:
    vendor: str
    secret: str = ""
    keyword: str = ""
    accepted: list[dict] = field(default_factory=list)  # the payloads it took
    times: list[float] = field(default_factory=list)  # when it took them (the rate window)
    held_until: float = 0.0  # DingTalk holds a robot back 10 minutes once it went over


RATES = {"wecom": ((20, 60),), "dingtalk": ((20, 60),), "feishu": ((100, 60), (5, 1))}


class FakeRobots:
    def __init__(self, clock: Callable[[], dt.datetime]):
        self.clock = clock
        self.robots: dict[tuple[str, str], Robot] = {}
        self.answers: list[tuple[str, int]] = []  # (vendor, code) of every request
        self.force: dict[str, list[int]] = defaultdict(list)  # codes to answer next, per vendor
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- robots as a group's owner makes them ---
    def wecom(self, key: str) -> str:
        self.robots[("wecom", key)] = Robot("wecom")
        return f"{self.base}/cgi-bin/webhook/send?key={key}"

    def dingtalk(self, token: str, *, secret: str = "", keyword: str = "") -> str:
        self.robots[("dingtalk", token)] = Robot("dingtalk", secret=secret, keyword=keyword)
        return f"{self.base}/robot/send?access_token={token}"

    def feishu(self, hook: str, *, secret: str = "", keyword: str = "") -> str:
        self.robots[("feishu", hook)] = Robot("feishu", secret=secret, keyword=keyword)
        return f"{self.base}/open-apis/bot/v2/hook/{hook}"

    def robot(self, vendor: str, name: str) -> Robot:
        return self.robots[(vendor, name)]

    def codes(self, vendor: str | None = None) -> list[int]:
        return [code for v, code in self.answers if vendor in (None, v)]

    # --- the vendors' answers ---
    def answer(self, path: str, query: dict, body: bytes) -> tuple[int, dict]:
        now = self.clock()
        with self.lock:
            if path == "/cgi-bin/webhook/send":
                vendor, code = "wecom", self._wecom(query.get("key", ""), body, now)
            elif path == "/robot/send":
                vendor, code = "dingtalk", self._dingtalk(query, body, now)
            elif path.startswith("/open-apis/bot/v2/hook/"):
                vendor, code = "feishu", self._feishu(path.rsplit("/", 1)[1], body, now)
            else:
                return 404, {}
            self.answers.append((vendor, code))
        if vendor == "feishu":
            return 200, {"code": code, "msg": "success" if code == 0 else "error", "data": {}}
        return 200, {"errcode": code, "errmsg": "ok" if code == 0 else "error"}

    def _rate(self, robot: Robot, stamp: float, vendor: str, code: int) -> int:
        if self.force[vendor]:
            return self.force[vendor].pop(0)
        if stamp < robot.held_until:
            return code
        for count, seconds in RATES[vendor]:
            if len([t for t in robot.times if t > stamp - seconds]) >= count:
                if vendor == "dingtalk":
                    robot.held_until = stamp + 600
                return code
        return 0

    def _take(self, robot: Robot, payload: dict, stamp: float) -> int:
        robot.accepted.append(payload)
        robot.times.append(stamp)
        return 0

    def _wecom(self, key: str, body: bytes, now: dt.datetime) -> int:
        robot = self.robots.get(("wecom", key))
        if robot is None:
            return 93000
        payload = json.loads(body)
        kind = payload.get("msgtype")
        if kind not in ("text", "markdown") or not isinstance(payload.get(kind), dict):
            return 40008
        content = payload[kind].get("content", "")
        if len(content.encode()) > (2048 if kind == "text" else 4096):
            return 40058
        code = self._rate(robot, now.timestamp(), "wecom", 45009)
        return code or self._take(robot, payload, now.timestamp())

    def _dingtalk(self, query: dict, body: bytes, now: dt.datetime) -> int:
        robot = self.robots.get(("dingtalk", query.get("access_token", "")))
        if robot is None:
            return 300001
        if robot.secret:
            try:
                ms = int(query["timestamp"])
            except (KeyError, ValueError):
                return 310000
            if abs(now.timestamp() * 1000 - ms) > 3600 * 1000:
                return 310000
            expected = base64.b64encode(hmac.new(robot.secret.encode(), f"{ms}\n{robot.secret}".encode(),
                                                 hashlib.sha256).digest()).decode()
            if query.get("sign") != expected:
                return 310000
        if len(body) > 20000:
            return 460101
        payload = json.loads(body)
        if payload.get("msgtype") != "text" or not isinstance(payload.get("text"), dict):
            return 40035
        content = payload["text"].get("content", "")
        if robot.keyword and robot.keyword not in content:
            return 310000
        code = self._rate(robot, now.timestamp(), "dingtalk", 130101)
        return code or self._take(robot, payload, now.timestamp())

    def _feishu(self, hook: str, body: bytes, now: dt.datetime) -> int:
        robot = self.robots.get(("feishu", hook))
        if robot is None:
            return 19001
        if len(body) > 20 * 1024:
            return 9499
        payload = json.loads(body)
        if robot.secret:
            try:
                seconds = int(payload["timestamp"])
            except (KeyError, ValueError):
                return 19021
            if abs(now.timestamp() - seconds) > 3600:
                return 19021
            key = f"{seconds}\n{robot.secret}".encode()
            if payload.get("sign") != base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode():
                return 19021
        if payload.get("msg_type") != "text" or not payload.get("content", {}).get("text"):
            return 9499
        if robot.keyword and robot.keyword not in payload["content"]["text"]:
            return 19024
        code = self._rate(robot, now.timestamp(), "feishu", 11232)
        return code or self._take(robot, payload, now.timestamp())


class _Handler(BaseHTTPRequestHandler):
    fake: FakeRobots

    def do_POST(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, answer = self.fake.answer(parsed.path, query, body)
        raw = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args) -> None:
        pass
