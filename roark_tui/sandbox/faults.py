"""Fault injection: the ways a real API (or the network in front of it) misbehaves.

A `Fault` is a rule: for requests whose method and path match, answer wrongly. Rules apply to
the next `times` matching requests (None: until cleared), first matching rule wins, one rule
per request. Besides rules there are two standing knobs (added latency, a seeded share of
5xx answers) and the token revocation switch.

Kinds:
    status        answer `status` (default 500) with the matching JSON error body
    rate_limit    429 {type: rate_limit} with `Retry-After: <retry_after>` seconds
    html          an HTML error page (a proxy's), status `status` (default 502)
    truncate      the real 200 answer cut in half (complete HTTP message, broken JSON)
    wrong_shape   200 with valid JSON of the wrong shape ({"data": 42, ...})
    extra_fields  the real answer plus unknown fields in every object and unknown values
                  in enum fields (a newer API; a tolerant client must still read it)
    drop          the real status and headers, part of the body, then the connection dies
    latency       `delay` seconds more before answering (on top of the standing latency)
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields, replace
from fnmatch import fnmatchcase
from typing import Any

FAULT_KINDS = (
    "status",
    "rate_limit",
    "html",
    "truncate",
    "wrong_shape",
    "extra_fields",
    "drop",
    "latency",
)
_DEFAULT_STATUS = {"status": 500, "html": 502, "rate_limit": 429}


@dataclass
class Fault:
    """One injected misbehaviour; `path` is a glob on the request path (`/v1/chat/*`)."""

    kind: str
    status: int | None = None
    path: str = "*"
    method: str = "*"
    times: int | None = None
    retry_after: float = 1.0
    delay: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.status is None:
            self.status = _DEFAULT_STATUS.get(self.kind)
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError(f"status {self.status} is not an HTTP status")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None: until cleared)")
        if self.retry_after < 0 or self.delay < 0:
            raise ValueError("retry_after and delay are seconds >= 0")

    def matches(self, method: str, path: str) -> bool:
        return (self.method == "*" or self.method.upper() == method) and fnmatchcase(
            path, self.path
        )

    @classmethod
    def from_json(cls, raw: Any) -> Fault:
        """A fault from the admin endpoint's camelCase JSON (`retryAfter`) or snake_case."""
        if not isinstance(raw, dict):
            raise ValueError("a fault is a JSON object with at least a `kind`")
        names = {f.name for f in fields(cls)}
        kwargs = {}
        for key, value in raw.items():
            name = "retry_after" if key == "retryAfter" else key
            if name not in names:
                raise ValueError(f"unknown fault field {key!r}")
            kwargs[name] = value
        return cls(**kwargs)


class Faults:
    """The fault knobs of one running sandbox, changeable at any time."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        error_rate: float = 0.0,
        error_seed: int = 0,
        error_status: int = 500,
        rules: tuple[Fault, ...] = (),
    ) -> None:
        self.latency = latency
        self.error_rate = error_rate
        self.error_status = error_status
        self.rules: list[Fault] = [replace(rule) for rule in rules]
        self.token_revoked = False
        self._error_seed = error_seed
        self._random = random.Random(error_seed)

    # --- changing -------------------------------------------------------------------------

    def add(self, fault: Fault | str, **params: Any) -> Fault:
        """Add a rule: `add(Fault("status", status=503, times=2))` or `add("drop", path=...)`."""
        rule = fault if isinstance(fault, Fault) else Fault(fault, **params)
        self.rules.append(rule)
        return rule

    def set_error_rate(
        self, rate: float, *, seed: int | None = None, status: int | None = None
    ) -> None:
        """Answer `rate` of the requests with a 5xx; the same seed fails the same requests."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError("error_rate is a share between 0 and 1")
        self.error_rate = rate
        if seed is not None:
            self._error_seed = seed
        if status is not None:
            self.error_status = status
        self._random = random.Random(self._error_seed)

    def clear(self) -> None:
        """Remove every rule and the standing latency and error share (not a revocation)."""
        self.rules.clear()
        self.latency = 0.0
        self.error_rate = 0.0
        self._random = random.Random(self._error_seed)

    def revoke_token(self) -> None:
        """From now on the token is refused with 401, as if revoked in the dashboard."""
        self.token_revoked = True

    def restore_token(self) -> None:
        self.token_revoked = False

    # --- applying -------------------------------------------------------------------------

    def take(self, method: str, path: str) -> Fault | None:
        """The rule for this request, if any, counting it against the rule's `times`."""
        for rule in self.rules:
            if rule.matches(method, path):
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                return rule
        return None

    def random_error(self) -> int | None:
        """A 5xx status for this request when the standing error share says so."""
        if self.error_rate > 0 and self._random.random() < self.error_rate:
            return self.error_status
        return None

    def snapshot(self) -> dict[str, Any]:
        """The knobs as JSON, for the admin endpoint."""
        return {
            "latency": self.latency,
            "errorRate": self.error_rate,
            "errorSeed": self._error_seed,
            "errorStatus": self.error_status,
            "tokenRevoked": self.token_revoked,
            "rules": [
                {("retryAfter" if k == "retry_after" else k): v for k, v in asdict(r).items()}
                for r in self.rules
            ],
        }
