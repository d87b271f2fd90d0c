"""A metric or value of the metrics screen taken out of it: as the API's JSON (to copy), as
plain text, and in $PAGER with the app suspended."""

from __future__ import annotations

import io
import os
import shlex
import subprocess
from typing import TYPE_CHECKING

from rich.console import Console

from roark_tui.core.metric_tree import evidence_value
from roark_tui.core.safe_text import dumps
from roark_tui.tui.widgets.detail_pane import metric_detail, value_detail
from roark_tui.tui.widgets.metric_tree import NodeRef
from roark_tui.tui.widgets.segment_pane import value_segments

if TYPE_CHECKING:
    from roark_tui.tui.app import RoarkApp


def node_json(ref: NodeRef) -> str:
    """The node as the API sent it: a metric with all its values, or one value."""
    data = ref.value.value.to_api() if ref.value is not None else ref.row.group.to_api()
    return dumps(data, pretty=True)


def node_text(ref: NodeRef, width: int) -> str:
    """Everything the panes show about a node, as plain text for a pager `width` columns wide."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    if ref.value is None:
        console.print(metric_detail(ref.row))
        evidence = evidence_value(ref.row)
        if evidence is not None:
            console.print()
            console.print(value_segments(evidence))
    else:
        console.print(value_detail(ref.row, ref.value))
        console.print()
        console.print(value_segments(ref.value.value))
    return out.getvalue()


def open_in_pager(app: RoarkApp, text: str) -> str | None:
    """Show `text` in $PAGER (default `less`) with the app suspended; the problem, if any."""
    from textual.app import SuspendNotSupported

    command = shlex.split(os.environ.get("PAGER") or "less")
    try:
        with app.suspend():
            subprocess.run(command, input=text, text=True, check=False)
    except SuspendNotSupported:
        return "This terminal cannot hand over to a pager; y copies the JSON instead"
    except OSError as exc:
        return f"Could not run the pager {command[0]!r}: {exc.strerror or exc}"
    return None
