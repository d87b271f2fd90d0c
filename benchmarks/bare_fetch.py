"""`python -m benchmarks.bare_fetch URL`: the floor of the lookup figure.

Fetches the same bytes the app fetches (same URL, same headers, a fresh client and connection,
as the app's first request has) and decodes them with json.loads, then prints the seconds that
took. Imports happen before the clock starts, as the app's do.
"""

from __future__ import annotations

import json
import os
import sys
import time

import httpx


def main(url: str) -> None:
    headers = {"Authorization": f"Bearer {os.environ['ROARK_API_BEARER_TOKEN']}"}
    started = time.monotonic()
    with httpx.Client(headers=headers) as client:
        response = client.get(url, params={"status": "all"})
        response.raise_for_status()
        data = json.loads(response.content)
    elapsed = time.monotonic() - started
    report = {"seconds": elapsed, "bytes": len(response.content), "groups": len(data["data"])}
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
