"""A small loopback HTTP server for provider tests, reusable by any test that needs a vendor.

`FakeServer` runs `http.server` in a thread on 127.0.0.1 with a free port. Subclasses add
routes (`FakeOpenAI`, `FakeGemini`). Every test gets:

- `start()` / `stop()` (or `with FakeOpenAI() as api:`), and `url`;
- `requests`: every request seen (method, path, headers, body, JSON, multipart parts), and
  `paid()` for the ones that reached a model endpoint;
- scripted faults for the next N requests: `fail_next(429, headers={"Retry-After": "2"})`,
  `hang_next(seconds)` (answer late, so the client times out), `drop_next()` (close the
  connection without an answer);
- `latency`: seconds added before every answer (e.g. to make a crash land mid-request).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from re import Match, Pattern, compile
from typing import Any
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, dict[str, str], bytes]
Handler = Callable[["Seen", Match[str]], Reply]


@dataclass
class Part:
    """One part of a multipart/form-data body."""

    name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float
    json: Any = None
    parts: list[Part] = field(default_factory=list)
    paid: bool = False

    def fields(self) -> dict[str, str]:
        """Text fields of a multipart body."""
        return {p.name: p.data.decode() for p in self.parts if p.filename is None}

    def files(self) -> list[Part]:
        """File parts of a multipart body."""
        return [p for p in self.parts if p.filename is not None]


@dataclass
class Fault:
    """What to do instead of a normal answer."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    hang_s: float = 0.0
    drop: bool = False
    path: str | None = None


def peak_overlap(arrivals: list[float], hold: float) -> int:
    """The most requests a server held at once, each held for `hold` seconds after it arrived."""
    events = sorted([(t, 1) for t in arrivals] + [(t + hold, -1) for t in arrivals])
    level = top = 0
    for _, step in events:
        level += step
        top = max(top, level)
    return top


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Split a multipart/form-data body into its parts."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    parts = []
    for part in message.iter_parts():
        parts.append(
            Part(
                name=str(part.get_param("name", header="content-disposition") or ""),
                filename=part.get_filename(),
                content_type=part.get_content_type(),
                data=part.get_payload(decode=True) or b"",
            )
        )
    return parts


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """A JSON answer."""
    return (
        status,
        {"content-type": "application/json", **(headers or {})},
        json.dumps(data).encode(),
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    errors: list[BaseException]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Keep handler errors for the test to inspect (clients that hang up land here too)."""
        import sys

        error = sys.exc_info()[1]
        if error is not None and not isinstance(
            error, (BrokenPipeError, ConnectionResetError, OSError)
        ):
            self.errors.append(error)


class FakeServer:
    """A loopback HTTP server with routes, a request log and scripted faults."""

    paid_routes: tuple[str, ...] = ()

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: list[Seen] = []
        self.routes: list[tuple[str, Pattern[str], Handler, bool]] = []
        self.faults: deque[Fault] = deque()
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> FakeServer:
        """Listen on 127.0.0.1 on a free port."""
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out apart: no 40 ms delayed-ACK stall

            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_GET
            do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output clean."""

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.errors = self.errors
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, kwargs={"poll_interval": 0.05}
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:54321`."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- scripting ----------------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: Handler, paid: bool = True) -> None:
        """Answer `method` requests whose path matches `pattern` (a regex) with `handler`."""
        self.routes.append((method, compile(pattern), handler, paid))

    def fail_next(
        self,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: Any = None,
        path: str | None = None,
    ) -> None:
        """Answer the next `times` requests (optionally only those whose path contains `path`)
        with an HTTP error."""
        error = (
            body
            if body is not None
            else {"error": {"message": f"scripted {status}", "code": status}}
        )
        for _ in range(times):
            self.faults.append(Fault(status=status, headers=headers or {}, body=error, path=path))

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """Answer the next requests only after `seconds` (longer than the client's timeout)."""
        for _ in range(times):
            self.faults.append(Fault(hang_s=seconds))

    def drop_next(self, times: int = 1) -> None:
        """Close the connection of the next requests without answering."""
        for _ in range(times):
            self.faults.append(Fault(drop=True))

    # --- inspection ---------------------------------------------------------------------

    def paid(self) -> list[Seen]:
        """Requests that reached a model endpoint (what a vendor would bill)."""
        with self._lock:
            return [r for r in self.requests if r.paid]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Seen]:
        """Wait until at least `count` requests have arrived (for tests of background work)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.005)
        raise AssertionError(f"expected {count} requests, saw {len(self.requests)}")

    # --- serving ------------------------------------------------------------------------

    def _read(self, handler: BaseHTTPRequestHandler) -> Seen:
        """Read one request into a `Seen` record."""
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length else b""
        split = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        seen = Seen(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query),
            headers=headers,
            body=body,
            at=time.monotonic(),
        )
        ctype = headers.get("content-type", "")
        if ctype.startswith("application/json") and body:
            seen.json = json.loads(body)
        elif ctype.startswith("multipart/form-data"):
            seen.parts = parse_multipart(body, ctype)
        return seen

    def _next_fault(self, seen: Seen) -> Fault | None:
        """Take the first scripted fault that applies to this request."""
        with self._lock:
            for fault in list(self.faults):
                if fault.path is None or fault.path in seen.path:
                    self.faults.remove(fault)
                    return fault
        return None

    def _route_for(self, seen: Seen) -> tuple[Handler, Match[str]] | None:
        """Find the route for a request, marking it paid when the route is."""
        for method, pattern, handler, paid in self.routes:
            match = pattern.fullmatch(seen.path)
            if method == seen.method and match:
                seen.paid = paid
                return handler, match
        return None

    def _dispatch(self, seen: Seen) -> Reply:
        """Run the route for a request."""
        found = self._route_for(seen)
        if found is None:
            return json_reply(
                {"error": {"message": f"no route for {seen.method} {seen.path}", "code": 404}}, 404
            )
        handler, match = found
        return handler(seen, match)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        """Serve one request: log it, apply a fault or the route, add latency."""
        seen = self._read(handler)
        self._route_for(seen)  # mark paid before any fault or delay
        with self._lock:
            self.requests.append(seen)
        fault = self._next_fault(seen)
        if self.latency:
            time.sleep(self.latency)
        if fault is not None and fault.drop:
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        if fault is not None and fault.hang_s:
            time.sleep(fault.hang_s)
        if fault is not None and fault.status is not None:
            status, headers, body = json_reply(fault.body, fault.status, fault.headers)
        else:
            status, headers, body = self._safe_dispatch(seen)
        self._send(handler, status, headers, body)

    def _safe_dispatch(self, seen: Seen) -> Reply:
        """Run the route; a bug in a fake answers 400 (never retried) and is kept in `errors`."""
        try:
            return self._dispatch(seen)
        except Exception as exc:
            with self._lock:
                self.errors.append(exc)
            return json_reply({"error": {"message": f"fake server bug: {exc!r}", "code": 400}}, 400)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        """Write an answer, ignoring clients that already hung up."""
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.send_header("content-length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True
