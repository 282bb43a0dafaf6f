"""The client's address behind reverse proxies: ``X-Forwarded-For`` is believed only when
the request comes from a proxy the operator named (``SOVANG_TRUSTED_PROXIES``), and only
as far back as the chain of trusted proxies goes, as werkzeug's ProxyFix does for a
known number of proxies. Anyone else's header is ignored, so a client cannot choose the
address its failed authentications and its public requests are counted against."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(setting: str) -> list[Network]:
    """``127.0.0.1, 10.0.0.0/8, ::1`` as networks; a bad entry is an error at start."""
    found: list[Network] = []
    for item in setting.split(","):
        if item.strip():
            try:
                found.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"SOVANG_TRUSTED_PROXIES: “{item.strip()}” không phải địa chỉ IP hay mạng "
                    "(ví dụ 127.0.0.1 hoặc 10.0.0.0/8)."
                ) from None
    return found


def trusted(address: str, among: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in among)


def client_address(peer: str, forwarded_for: str, among: list[Network]) -> str:
    """The first address, from the right, that is not a trusted proxy; ``peer`` itself
    when it is not trusted."""
    if not trusted(peer, among):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    address = peer
    while hops and trusted(address, among):
        address = hops.pop()
    return address


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR becomes the client's address when a trusted proxy
    forwarded the request (the proxy's own address is kept as ``sovang.proxy``)."""

    def __init__(self, app: WSGIApplication, setting: str) -> None:
        self.app = app
        self.networks = networks(setting)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if self.networks and forwarded:
            environ["sovang.proxy"] = peer
            environ["REMOTE_ADDR"] = client_address(peer, forwarded, self.networks)
        return self.app(environ, start_response)
