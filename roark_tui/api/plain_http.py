"""Where the token may travel in clear, and which way a request really goes.

The token may go over plain http only to this machine: a base URL whose host is a loopback
address, or the one name that means it by convention (`localhost`). Other names that usually
point at loopback (`localhost.localdomain`, `ip6-localhost`) are looked up in /etc/hosts or DNS
and may point anywhere, so they count as any other host.

A proxy from the environment (HTTP_PROXY, http_proxy, ALL_PROXY, ...) would carry a loopback
request, token and all, in clear to wherever the proxy is, and could not reach this machine's
loopback anyway: requests to a loopback host go straight to it, past any proxy, as Go's
net/http and the browsers do. Everything else follows the environment (NO_PROXY included); an
https base URL is tunnelled through a proxy (CONNECT), so the proxy never sees the token.
"""

from __future__ import annotations

import ipaddress

import httpx

LOOPBACK_NAME = "localhost"


def is_loopback(host: str) -> bool:
    """True for a loopback address written out (127.0.0.0/8, ::1) or the name `localhost`."""
    if host.lower() == LOOPBACK_NAME:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url_problem(url: httpx.URL) -> str | None:
    """Why `url` cannot be a base URL, in one sentence that repeats none of its secrets
    (a password or a query may hold one); None when it can."""
    if url.scheme not in ("http", "https") or not url.host:
        return "The base URL must start with https:// and name a host"
    where = f"{url.scheme}://{url.netloc.decode('ascii', 'replace').rpartition('@')[2]}"
    if url.userinfo:
        return (
            f"The base URL for {where} has a user name or password in it (user@host); remove "
            "it: the token is sent as a header, never in the URL"
        )
    if url.query or url.fragment or "?" in str(url) or "#" in str(url):
        return (
            f"The base URL for {where} has a query string or fragment (? or #); give it as "
            "scheme, host, port and path only"
        )
    return None


def clear_text_problem(url: httpx.URL, *, allow_insecure: bool) -> str | None:
    """Why the token must not be sent to `url`, or None when it may."""
    if url.scheme != "http" or allow_insecure or is_loopback(url.host):
        return None
    return (
        f"Refusing to send the token over plain http to {url.host} "
        "(use https, or --insecure if you really mean it)"
    )


def direct_routes(url: httpx.URL) -> dict[str, None]:
    """httpx mounts that send requests for a loopback `url` straight to it, whatever proxy the
    environment names (a host pattern outranks the proxies' scheme patterns); {} otherwise."""
    if not is_loopback(url.host):
        return {}
    host = f"[{url.host}]" if ":" in url.host else url.host
    return {f"all://{host}": None}
