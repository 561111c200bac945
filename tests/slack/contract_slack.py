"""A Slack Web API contract server on loopback, following Slack's public API documentation.

- `POST /api/<method>`, bodies as `application/x-www-form-urlencoded` or (for write methods)
  `application/json`; `Authorization: Bearer xoxb-…` (oauth.v2.access takes the client's id and
  secret in the body instead).
- Answers are HTTP 200 with `{"ok": true, …}` or `{"ok": false, "error": "…"}`; rate limits are
  HTTP 429 with a `Retry-After` header; users.lookupByEmail answers `users_not_found`.
- Read methods (users.lookupByEmail, users.info, usergroups.list) do not accept JSON bodies.
- `POST /hooks/<id>` is a response_url: JSON body, answers `ok`.
- `usergroups.list` and `users.list` page with `cursor` / `response_metadata.next_cursor`.

Controls for tests: `down()` / `up()` (answers 503), `rate_limit(times, retry_after)`, and
`calls` (method, args) in arrival order.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

FORM_ONLY = {"users.lookupByEmail", "users.info", "usergroups.list", "users.list"}
PAGE = 2


@dataclass
class Recorded:
    method: str
    args: dict[str, Any]


@dataclass
class SlackState:
    workspace_id: str = "T0ROTA"
    workspace_name: str = "Rota Test"
    bot_token: str = "xoxb-test-0001"
    client_id: str = "111.222"
    client_secret: str = "client-secret"
    codes: set[str] = field(default_factory=lambda: {"good-code"})
    users: dict[str, str] = field(default_factory=dict)  # email → Slack user id
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    calls: list[Recorded] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    # Everyone looked up has a Slack account (a workspace where the whole company is).
    everyone: bool = False
    is_down: bool = False
    limited: int = 0
    retry_after: int = 1


class ContractSlack:
    """Run the server in a thread: `url`, `state`, `calls`, `add_user(email)`."""

    def __init__(self) -> None:
        self.state = SlackState()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- test controls -------------------------------------------------------------
    def add_user(self, email: str) -> str:
        if email.lower() in self.state.users:
            return self.state.users[email.lower()]
        slack_id = f"U{next(self._ids):06d}"
        self.state.users[email.lower()] = slack_id
        return slack_id

    def down(self) -> None:
        self.state.is_down = True

    def up(self) -> None:
        self.state.is_down = False

    def rate_limit(self, times: int, retry_after: int = 1) -> None:
        self.state.limited, self.state.retry_after = times, retry_after

    @property
    def calls(self) -> list[Recorded]:
        return list(self.state.calls)

    def methods(self) -> list[str]:
        return [c.method for c in self.state.calls]

    def hook_url(self, name: str = "1") -> str:
        return f"{self.url}/hooks/T0ROTA/{name}"

    def clear(self) -> None:
        self.state.calls.clear()
        self.state.hooks.clear()

    # --- the API -------------------------------------------------------------------
    def answer(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return self._answer(method, token, args)

    def _answer(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        s = self.state
        if method == "oauth.v2.access":
            if args.get("client_id") != s.client_id or args.get("client_secret") != s.client_secret:
                return _error("invalid_client_id")
            if args.get("code") not in s.codes:
                return _error("invalid_code")
            s.codes.discard(args["code"])
            return {
                "ok": True,
                "access_token": s.bot_token,
                "token_type": "bot",
                "scope": "commands,chat:write,im:write,users:read,users:read.email,"
                "usergroups:read,usergroups:write",
                "bot_user_id": "U0BOT",
                "app_id": "A0ROTA",
                "team": {"id": s.workspace_id, "name": s.workspace_name},
                "enterprise": None,
                "authed_user": {"id": "U0ADMIN"},
            }
        if token is None:
            return _error("not_authed")
        if token != s.bot_token:
            return _error("invalid_auth")
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return _error("unknown_method")
        return handler(args)

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel = str(args.get("channel", ""))
        if not channel:
            return _error("channel_not_found")
        if not (args.get("text") or args.get("blocks")):
            return _error("no_text")
        if channel.startswith("U"):
            if channel not in self.state.users.values():
                return _error("channel_not_found")
            channel = "D" + channel[1:]  # the app's DM with that person
        ts = f"{1700000000 + next(self._ids)}.000100"
        self.state.messages[(channel, ts)] = dict(args)
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": args.get("text")}}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel", "")), str(args.get("ts", "")))
        if key not in self.state.messages:
            return _error("message_not_found")
        self.state.messages[key] = dict(args)
        return {"ok": True, "channel": key[0], "ts": key[1], "text": args.get("text")}

    def _users_lookupByEmail(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        email = str(args.get("email", "")).lower()
        if self.state.everyone and email and email not in self.state.users:
            self.add_user(email)
        slack_id = self.state.users.get(email)
        if slack_id is None:
            return _error("users_not_found")
        return {"ok": True, "user": {"id": slack_id, "profile": {"email": args["email"]}}}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        for email, slack_id in self.state.users.items():
            if slack_id == args.get("user"):
                return {"ok": True, "user": {"id": slack_id, "profile": {"email": email}}}
        return _error("user_not_found")

    def _usergroups_create(self, args: dict[str, Any]) -> dict[str, Any]:
        for group in self.state.groups.values():
            if group["handle"] == args.get("handle"):
                return _error("handle_already_exists")
            if group["name"] == args.get("name"):
                return _error("name_already_exists")
        group_id = f"S{next(self._ids):06d}"
        self.state.groups[group_id] = {
            "id": group_id,
            "name": args.get("name"),
            "handle": args.get("handle"),
            "users": [],
            "date_delete": 0,
        }
        return {"ok": True, "usergroup": self.state.groups[group_id]}

    def _usergroups_list(self, args: dict[str, Any]) -> dict[str, Any]:
        groups = list(self.state.groups.values())
        if str(args.get("include_disabled", "")).lower() not in ("true", "1"):
            groups = [g for g in groups if not g["date_delete"]]
        return {"ok": True, "usergroups": groups}

    def _usergroups_users_update(self, args: dict[str, Any]) -> dict[str, Any]:
        group = self.state.groups.get(str(args.get("usergroup", "")))
        if group is None:
            return _error("no_such_subteam")
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users or any(u not in self.state.users.values() for u in users):
            return _error("invalid_users")
        group["users"] = users
        return {"ok": True, "usergroup": group}

    def _usergroups_disable(self, args: dict[str, Any]) -> dict[str, Any]:
        group = self.state.groups.get(str(args.get("usergroup", "")))
        if group is None:
            return _error("no_such_subteam")
        group["date_delete"] = 1
        return {"ok": True, "usergroup": group}

    def _usergroups_enable(self, args: dict[str, Any]) -> dict[str, Any]:
        group = self.state.groups.get(str(args.get("usergroup", "")))
        if group is None:
            return _error("no_such_subteam")
        group["date_delete"] = 0
        return {"ok": True, "usergroup": group}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        members = [{"id": i, "profile": {"email": e}} for e, i in sorted(self.state.users.items())]
        start = int(args.get("cursor") or 0)
        page = members[start : start + PAGE]
        following = str(start + PAGE) if start + PAGE < len(members) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": following}}


def _error(code: str) -> dict[str, Any]:
    return {"ok": False, "error": code}


def _handler(slack: ContractSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            state = slack.state
            if state.is_down:
                self._send(503, "<html>Service Unavailable</html>")
                return
            if state.limited > 0:
                state.limited -= 1
                self._send(
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(state.retry_after)},
                )
                return
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if self.path.startswith("/hooks/"):
                body = json.loads(raw or "{}")
                state.calls.append(Recorded("response_url", body))
                state.hooks.append({"path": self.path, **body})
                self._send(200, "ok")
                return
            if not self.path.startswith("/api/"):
                self._send(404, "not found")
                return
            method = self.path[len("/api/") :].split("?")[0]
            if kind == "application/json":
                if method in FORM_ONLY:
                    self._send(200, _error("invalid_arguments"))
                    return
                args = json.loads(raw or "{}")
            else:
                args = {k: v[-1] for k, v in parse_qs(raw).items()}
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None
            state.calls.append(Recorded(method, args))
            self._send(200, slack.answer(method, token, args))

    return Handler
