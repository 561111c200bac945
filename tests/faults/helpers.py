"""A CalDAV proxy in front of Radicale whose PUTs a test can hold, drop, slow or sabotage."""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HookedProxy:
    """Forward HTTP to Radicale; ``before_put(path)`` runs first and may return False to drop."""

    def __init__(self, upstream_port: int) -> None:
        self.writes: Counter[tuple[str, str]] = Counter()
        self.before_put: Callable[[str], bool] = lambda path: True
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "PUT" and not proxy.before_put(self.path):
                    self.close_connection = True
                    return  # dropped: the client sees a broken connection, nothing stored
                if self.command in ("PUT", "DELETE"):
                    proxy.writes[(self.command, self.path)] += 1
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                self.send_response(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = _forward  # noqa: N815
            do_MKCALENDAR = do_OPTIONS = do_PROPPATCH = do_HEAD = _forward  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def pushing_team(proxy: HookedProxy, radicale) -> tuple:
    """Return (team, manager, people): alice and bob push to Radicale through the proxy."""
    from calendars import services as calendars
    from calendars.models import CalendarPreferences
    from tests.factories import MembershipFactory, TeamFactory

    team = TeamFactory(timezone="Europe/London")
    manager = MembershipFactory(team=team, role="manager").user
    people = {"alice": MembershipFactory(team=team).user, "bob": MembershipFactory(team=team).user}
    for account, user in people.items():
        CalendarPreferences.objects.create(user=user, email_invites=True)
        calendars.connect_push(
            user=user,
            server_url=proxy.url,
            username=account,
            password=radicale.users[account],
            calendar_name="On call",
        )
    return team, manager, people
