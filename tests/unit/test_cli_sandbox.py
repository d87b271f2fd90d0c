"""`roark-tui sandbox`: what it prints and what it asks the server to do (serve is faked)."""

from __future__ import annotations

from typing import Any

import pytest

from roark_tui.api.plain_http import is_loopback
from roark_tui.cli import main


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, Any]]:
    calls: list[tuple[str, int, Any]] = []
    monkeypatch.setattr(
        "roark_tui.sandbox.server.serve",
        lambda host, port, config: calls.append((host, port, config)),
    )
    return calls


def test_defaults_to_loopback_and_prints_how_to_connect(
    served: list[tuple[str, int, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    from roark_tui.sandbox.demo_ids import DEMO_TOKEN, FAILING_CHAT_ID

    assert main(["sandbox"]) == 0
    ((host, port, config),) = served
    assert (host, port, config.token) == ("127.0.0.1", 8765, DEMO_TOKEN)
    captured = capsys.readouterr()
    assert "http://127.0.0.1:8765" in captured.out
    assert f"Token: {DEMO_TOKEN}" in captured.out
    assert (
        f"roark-tui --base-url http://127.0.0.1:8765 --token {DEMO_TOKEN} chat {FAILING_CHAT_ID}"
        in captured.out
    )
    assert captured.err == ""


def test_custom_port_and_token(
    served: list[tuple[str, int, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sandbox", "--port", "9001", "--token", "my-token"]) == 0
    assert served[0][1] == 9001 and served[0][2].token == "my-token"
    assert "--token my-token" in capsys.readouterr().out


def test_non_loopback_host_warns(
    served: list[tuple[str, int, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sandbox", "--host", "0.0.0.0"]) == 0
    assert "warning" in capsys.readouterr().err


def test_bad_port_is_usage_error(served: list[tuple[str, int, Any]]) -> None:
    assert main(["sandbox", "--port", "70000"]) == 2
    assert main(["sandbox", "--port", "http"]) == 2
    assert served == []


def test_port_in_use_exits_5(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def busy(host: str, port: int, config: Any) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr("roark_tui.sandbox.server.serve", busy)
    assert main(["sandbox"]) == 5
    assert "Address already in use" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("example.com", False),
        ("localhost.localdomain", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    """The sandbox's warning uses the client's rule for loopback."""
    assert is_loopback(host) is loopback
