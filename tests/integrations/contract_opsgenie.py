"""Opsgenie's Schedule Override API, as its public documentation describes it.

https://docs.opsgenie.com/docs/schedule-override-api — `Authorization: GenieKey KEY`;
POST /v2/schedules/{identifier}/overrides (201, {"result": "Created", "data": {"alias"}}),
PUT and DELETE /v2/schedules/{identifier}/overrides/{alias}; `scheduleIdentifierType=id`;
errors as {"message", "took", "requestId"}; 429 with Retry-After. Users: any username (email)
at example.com exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.integrations.contract_base import Call, ContractServer, Reply

API_KEY = "genie-contract-key"
SCHEDULES = {"ops-sched-1"}


class OpsgenieServer(ContractServer):
    def __init__(self) -> None:
        super().__init__()
        self.overrides: dict[str, dict[str, Any]] = {}

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message, "took": 0.001, "requestId": str(uuid.uuid4())}

    def _ok(self, status: int, result: str, data: Any = None) -> Reply:
        body = {"result": result, "took": 0.01, "requestId": str(uuid.uuid4())}
        if data is not None:
            body["data"] = data
        return Reply(status, body)

    def handle(self, call: Call) -> Reply:
        if call.headers.get("authorization") != f"GenieKey {API_KEY}":
            return Reply(401, self.error_body(401, "Could not authenticate"))
        parts = call.path.strip("/").split("/")
        if parts[:2] != ["v2", "schedules"] or len(parts) < 4 or parts[3] != "overrides":
            return Reply(404, self.error_body(404, "Not found"))
        if call.query.get("scheduleIdentifierType", ["id"])[0] != "id" or parts[2] not in SCHEDULES:
            return Reply(404, self.error_body(404, "Schedule not found"))
        if call.method == "POST" and len(parts) == 4:
            body = call.json or {}
            problem = self._invalid(body)
            if problem:
                return Reply(422, self.error_body(422, problem))
            alias = body.get("alias") or str(uuid.uuid4())
            if alias in self.overrides:
                return Reply(
                    409, self.error_body(409, f"Override with alias [{alias}] already exists")
                )
            self.overrides[alias] = body
            return self._ok(201, "Created", {"alias": alias})
        if len(parts) == 5:
            alias = parts[4]
            if alias not in self.overrides:
                return Reply(404, self.error_body(404, f"Override with alias [{alias}] not found"))
            if call.method == "PUT":
                body = call.json or {}
                problem = self._invalid(body)
                if problem:
                    return Reply(422, self.error_body(422, problem))
                self.overrides[alias] = {"alias": alias, **body}
                return self._ok(200, "Updated", {"alias": alias})
            if call.method == "DELETE":
                del self.overrides[alias]
                return self._ok(200, "Deleted")
        return Reply(404, self.error_body(404, "Not found"))

    def _invalid(self, body: dict) -> str:
        user = body.get("user") or {}
        if not body.get("startDate") or not body.get("endDate"):
            return "startDate and endDate are required"
        if user.get("type") != "user" or not str(user.get("username", "")).endswith("@example.com"):
            return f"User [{user.get('username')}] not found"
        return ""
