"""The Roark API client: `RoarkService`, its error classes and the payload models.

Names are resolved on first use, so `import roark_tui.api.models` (used by pure-logic code) does
not also pull in httpx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roark_tui.api.account import Me
    from roark_tui.api.errors import (
        ApiError,
        AuthError,
        Conflict,
        InsecureTransport,
        NetworkError,
        NotFound,
        PermissionDenied,
        RateLimited,
        RequestRejected,
        ResponseError,
        ServerError,
        Timeout,
    )
    from roark_tui.api.metric_values import MetricValue, Segment
    from roark_tui.api.models import (
        Call,
        Chat,
        Health,
        MetricDefinition,
        MetricGroup,
        MetricsResponse,
        Page,
        Pagination,
        Transcript,
        TranscriptEntry,
    )
    from roark_tui.api.service import RoarkService

_HOME = {
    "RoarkService": "service",
    "Me": "account",
    **dict.fromkeys(
        (
            "ApiError",
            "AuthError",
            "Conflict",
            "InsecureTransport",
            "NetworkError",
            "NotFound",
            "PermissionDenied",
            "RateLimited",
            "RequestRejected",
            "ResponseError",
            "ServerError",
            "Timeout",
        ),
        "errors",
    ),
    **dict.fromkeys(
        (
            "Call",
            "Chat",
            "Health",
            "MetricDefinition",
            "MetricGroup",
            "MetricsResponse",
            "Page",
            "Pagination",
            "Transcript",
            "TranscriptEntry",
        ),
        "models",
    ),
    **dict.fromkeys(("MetricValue", "Segment"), "metric_values"),
}

__all__ = [
    "ApiError",
    "AuthError",
    "Call",
    "Chat",
    "Conflict",
    "Health",
    "InsecureTransport",
    "Me",
    "MetricDefinition",
    "MetricGroup",
    "MetricValue",
    "MetricsResponse",
    "NetworkError",
    "NotFound",
    "Page",
    "Pagination",
    "PermissionDenied",
    "RateLimited",
    "RequestRejected",
    "ResponseError",
    "RoarkService",
    "Segment",
    "ServerError",
    "Timeout",
    "Transcript",
    "TranscriptEntry",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
