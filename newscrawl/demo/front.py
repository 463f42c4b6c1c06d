"""The emulator's HTTP side: the listening server, the proxy front and the TLS tunnels.

It knows nothing about Blogger. Each request, however it arrived (origin form, absolute form
through the proxy, or inside a ``CONNECT`` tunnel), becomes a ``Request`` naming the host it
was meant for; a responder (``server.Mirror``) turns it into a ``Response`` or into nothing,
which drops the connection. Keeping this apart lets the Blogger modules build responses
without sockets, and lets this one be read without knowing what a feed is.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CONTENT_TYPES = {
    "json": "application/json; charset=UTF-8",
    "json-in-script": "text/javascript; charset=UTF-8",
    "atom": "application/atom+xml; charset=UTF-8",
    "rss": "application/rss+xml; charset=UTF-8",
    "html": "text/html; charset=UTF-8",
    "text": "text/plain; charset=UTF-8",
    "xml": "application/xml; charset=UTF-8",
}


# --- requests and responses ---------------------------------------------------------

@dataclass(frozen=True)
class Request:
    method: str
    scheme: str  # "https" inside a CONNECT tunnel
    host: str  # lowercase, no port
    authority: str  # the host as the client named it, port included
    target: str  # path and query as requested

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.authority}{self.target}"


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def text_response(status: int, text: str, kind: str = "text", headers: dict | None = None) -> Response:
    return Response(status, text.encode("utf-8"), CONTENT_TYPES[kind], dict(headers or {}))


class Responder(Protocol):
    """What answers the requests: the response, or None to drop the connection, and the
    name of the fault that shaped it, for the request log."""

    def respond(self, request: Request, wildcard_allowed: bool) -> tuple[Response | None, str | None]: ...


# --- the HTTP side: proxy, TLS tunnel, request log -------------------------------------------

class TunnelTls:
    """Server-side TLS for CONNECT tunnels. Each host name the client asks for (SNI) gets its
    own self-signed certificate, made on first use: clients do not check the issuer, but
    Scrapy warns about every certificate whose name does not match."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self.context = self.context_for("localhost")
        self.context.sni_callback = self._choose

    def _choose(self, connection: ssl.SSLObject, server_name: str | None, _: ssl.SSLContext) -> None:
        if server_name:
            connection.context = self.context_for(server_name)

    def context_for(self, host: str) -> ssl.SSLContext:
        with self._lock:
            if host not in self._contexts:
                self._contexts[host] = self._make_context(host)
            return self._contexts[host]

    def _make_context(self, host: str) -> ssl.SSLContext:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        now = datetime.now(timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        # load_cert_chain only reads files; they are gone once loaded.
        with tempfile.TemporaryDirectory() as directory:
            cert_path, key_path = Path(directory, "cert.pem"), Path(directory, "key.pem")
            cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
            key_path.write_bytes(self._key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            context.load_cert_chain(cert_path, key_path)
        return context


class RequestLog:
    """One JSON line per answered request, flushed at once so tests can read it live."""

    def __init__(self, path: str | Path | None) -> None:
        self._file = open(path, "a", encoding="utf-8") if path else None
        self._lock = threading.Lock()

    def write(self, request: Request, status: int | None, fault: str | None) -> None:
        if self._file is None:
            return
        record = {"host": request.host, "method": request.method, "path": request.target,
                  "status": status, "scheme": request.scheme, "fault": fault}
        with self._lock:
            self._file.write(json.dumps(record) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class MirrorServer(ThreadingHTTPServer):
    """The listening socket; one thread per client connection."""

    def __init__(self, address: tuple[str, int], mirror: Responder, log: RequestLog) -> None:
        self.mirror, self.log, self.tls = mirror, log, TunnelTls()
        super().__init__(address, MirrorHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-response or mid-handshake is ordinary proxy traffic.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.log.close()


class MirrorHandler(BaseHTTPRequestHandler):
    """Plain HTTP, proxy requests in absolute form, and CONNECT tunnels; keep-alive throughout."""

    server: MirrorServer
    protocol_version = "HTTP/1.1"
    tunnel_host: str | None = None

    def version_string(self) -> str:
        return "GSE"  # what Blogger's front ends call themselves

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_CONNECT(self) -> None:
        """Open a tunnel and speak TLS in it as if this were the blog itself. CONNECTs are not
        logged: they are plumbing, and the requests inside the tunnel are."""
        host = self.path.rpartition(":")[0].strip("[]").lower()
        self.send_response_only(200, "Connection established")
        self.end_headers()
        try:
            tunnel = self.server.tls.context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection, self.tunnel_host = tunnel, host
        self.rfile = tunnel.makefile("rb")
        self.wfile = tunnel.makefile("wb")
        # The tunnel lives on whatever the CONNECT line's own HTTP version said.
        self.close_connection = False

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.tunnel_host is not None:
                self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the --log file is the record of requests."""

    def _request(self) -> tuple[Request, bool]:
        """The request as the mirror sees it, and whether the wildcard blog may answer it."""
        if self.tunnel_host is not None:
            return Request(self.command, "https", self.tunnel_host, self.tunnel_host, self.path), False
        if "://" in self.path:
            parts = urlsplit(self.path)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return Request(self.command, parts.scheme, (parts.hostname or "").lower(), parts.netloc, target), False
        authority = self.headers.get("Host", "")
        host = authority.rsplit(":", 1)[0] if not authority.endswith("]") else authority
        return Request(self.command, "http", host.strip("[]").lower(), authority, self.path), True

    def _answer(self, send_body: bool) -> None:
        request, wildcard_allowed = self._request()
        response, fault = self.server.mirror.respond(request, wildcard_allowed)
        self.server.log.write(request, response.status if response else None, fault)
        if response is None:
            self._drop()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may have gone already
            self.connection.shutdown(socket.SHUT_RDWR)
