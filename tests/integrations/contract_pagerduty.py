"""PagerDuty REST API v2, as its public reference documents it (the parts Rota uses).

https://developer.pagerduty.com/api-reference/ — `Authorization: Token token=KEY`, Accept
`application/vnd.pagerduty+json;version=2`; classic pagination (limit, offset, more); errors as
{"error": {"message", "code", "errors"}}; 429 "Rate Limit Exceeded" (with Retry-After here).
Users: any address at example.com exists (id derived from it); others do not.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.integrations.contract_base import Call, ContractServer, Reply

API_KEY = "u+pdcontract"
SCHEDULES = {"PSCHED1", "PSCHED2"}


def user_id(email: str) -> str:
    return "PU" + hashlib.sha256(email.lower().encode()).hexdigest()[:6].upper()


class PagerDutyServer(ContractServer):
    def __init__(self, tls: Path, page_cap: int = 100) -> None:
        # The official client refuses any base URL but https://: the server speaks TLS.
        super().__init__(tls=tls)
        self.page_cap = page_cap
        self.overrides: dict[str, dict[str, Any]] = {}
        self.oncalls: list[dict[str, Any]] = []
        self.ids = itertools.count(1)

    def error_body(self, status: int, message: str) -> Any:
        codes = {401: 2006, 404: 2100, 429: 2020, 400: 2001}
        return {"error": {"message": message, "code": codes.get(status, 2000)}}

    def _page(self, call: Call, key: str, items: list[dict]) -> Reply:
        limit = min(int(call.query.get("limit", ["25"])[0]), self.page_cap)
        offset = int(call.query.get("offset", ["0"])[0])
        page = items[offset : offset + limit]
        return Reply(
            200,
            {
                key: page,
                "limit": limit,
                "offset": offset,
                "more": offset + limit < len(items),
                "total": None,
            },
        )

    def handle(self, call: Call) -> Reply:
        if call.headers.get("authorization") != f"Token token={API_KEY}":
            return Reply(401, self.error_body(401, "Unauthorized"))
        if "application/vnd.pagerduty+json;version=2" not in call.headers.get("accept", ""):
            return Reply(400, self.error_body(400, "Invalid Accept header"))
        parts = call.path.strip("/").split("/")
        if call.method == "GET" and parts == ["users"]:
            query = call.query.get("query", [""])[0].lower()
            users = []
            if query.endswith("@example.com"):
                users = [{"id": user_id(query), "type": "user", "email": query, "name": query}]
            return self._page(call, "users", users)
        if call.method == "GET" and parts == ["oncalls"]:
            schedules = set(call.query.get("schedule_ids[]", []))
            since = datetime.fromisoformat(call.query["since"][0])
            until = datetime.fromisoformat(call.query["until"][0])
            found = [
                o
                for o in self.oncalls
                if o["schedule"]["id"] in schedules
                and datetime.fromisoformat(o["start"]) < until
                and datetime.fromisoformat(o["end"]) > since
            ]
            return self._page(call, "oncalls", found)
        if len(parts) >= 3 and parts[0] == "schedules" and parts[2] == "overrides":
            if parts[1] not in SCHEDULES:
                return Reply(404, self.error_body(404, "Not Found"))
            if call.method == "POST" and len(parts) == 3:
                return self._create(call, parts[1])
            if call.method == "DELETE" and len(parts) == 4:
                if self.overrides.pop(parts[3], None) is None:
                    return Reply(404, self.error_body(404, "Not Found"))
                return Reply(204)
        return Reply(404, self.error_body(404, "Not Found"))

    def _create(self, call: Call, schedule: str) -> Reply:
        body = call.json or {}
        items = body.get("overrides")
        if not isinstance(items, list) or not items:
            return Reply(
                400,
                {
                    "error": {
                        "message": "Invalid Input Provided",
                        "code": 2001,
                        "errors": ["Overrides must be a list"],
                    }
                },
            )
        results = []
        for item in items:
            override_id = f"PO{next(self.ids):05d}"
            saved = {"id": override_id, "schedule": schedule, **item}
            self.overrides[override_id] = saved
            results.append({"status": 201, "errors": [], "override": saved})
        return Reply(201, results)
