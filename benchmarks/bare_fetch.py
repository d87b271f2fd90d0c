"""`python -m benchmarks.bare_fetch URL`: the floor of the lookup figure.

Fetches the same bytes the app fetches (same URL and query, a new connection, as the app's first
request has) and decodes them with json.loads, then prints the seconds that took. The client is
built before the clock starts (building one loads the TLS trust store, tens of ms), so the floor
is the fetch alone: if the app builds its client inside its own window, that shows.
"""

from __future__ import annotations

import json
import os
import sys
import time

import httpx


def main(url: str) -> None:
    headers = {"Authorization": f"Bearer {os.environ['ROARK_API_BEARER_TOKEN']}"}
    with httpx.Client(headers=headers) as client:
        started = time.monotonic()
        response = client.get(url, params={"status": "all"})
        response.raise_for_status()
        data = json.loads(response.content)
        elapsed = time.monotonic() - started
    report = {"seconds": elapsed, "bytes": len(response.content), "groups": len(data["data"])}
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
