"""The metrics screen's keys: the bindings (with the ids a user keymap and the README name), and
the key names that count as moving the cursor."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MOVE_KEYS = frozenset(
    {"up", "down", "left", "right", "pageup", "pagedown", "home", "end", "enter", "space"}
    | {"shift+up", "shift+down", "shift+left", "shift+right"}
)

AUTO_FOCUS = "#metric-tree"
METRICS_BINDINGS: list[BindingType] = [
    Binding(
        "escape",
        "back",
        "Back",
        id="metrics.back",
        tooltip="Back to the lookup (first cancels loading, un-zooms or clears the filter)",
    ),
    # The app's help key again, here so that it comes second in the footer: at 80 columns
    # the footer cannot show every key, and this one shows the rest.
    Binding(
        "question_mark,f1",
        "app.help",
        "Help",
        key_display="?",
        id="metrics.help",
        tooltip="The keys of this screen (f1 where ? would be typed)",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        key_display="/",
        id="metrics.filter",
        tooltip="Filter by metric name, slug or value text; esc clears",
        priority=True,  # run before the next key is routed: typed-ahead text goes in
    ),
    Binding(
        "T",
        "transcript",
        "Transcript",
        key_display="T",
        id="metrics.transcript",
        tooltip="The transcript, with the selected value's segment marked and in view",
    ),
    Binding(
        "y",
        "copy_json",
        "Copy JSON",
        id="metrics.copy_json",
        tooltip="Copy the selected metric or value as JSON (OSC 52, works over SSH)",
    ),
    Binding(
        "c",
        "copy_id",
        "Copy id",
        id="metrics.copy_id",
        tooltip="Copy the selected metric's id (for a value with a segment, its segment id)",
    ),
    Binding(
        "w",
        "watch",
        "Watch",
        id="metrics.watch",
        tooltip="Watch metrics arrive while they are computed (the same key again stops)",
    ),
    Binding(
        "t",
        "threshold",
        "Threshold",
        id="metrics.threshold",
        tooltip="Tune the selected check (a new threshold from it), or create a threshold "
        "(a check) on the selected metric",
    ),
    Binding(
        "e",
        "edit_definition",
        "Edit",
        show=False,
        id="metrics.edit",
        tooltip="Edit the selected metric's definition (its prompt, name, formula)",
    ),
    Binding(
        "R",
        "rescore",
        "Re-score",
        key_display="R",
        id="metrics.rescore",
        tooltip="Score this conversation again with the metrics as defined now (billed; "
        "asks first); esc cancels",
    ),
    Binding(
        "s",
        "cycle_order",
        "Order",
        id="metrics.order",
        tooltip="Order metrics: failures first, by name, by type",
    ),
    Binding(
        "a",
        "toggle_all",
        "All",
        id="metrics.all",
        tooltip="All capture statuses (errors, not applicable) or successful values only",
    ),
    Binding(
        "f",
        "toggle_flat",
        "Flat",
        id="metrics.flat",
        tooltip="A flat list of every value, or values grouped under their metric",
    ),
    Binding(
        "o",
        "pager",
        "Pager",
        show=False,
        id="metrics.pager",
        tooltip="Open the selected metric or value's full text in $PAGER",
    ),
    Binding(
        "r",
        "refresh",
        "Refresh",
        show=False,
        id="metrics.refresh",
        tooltip="Load the metrics again, keeping your place (also retries after an error)",
    ),
    Binding(
        "d",
        "definitions",
        "Definitions",
        show=False,
        id="metrics.definitions",
        tooltip="Browse the project's metric definitions",
    ),
    Binding(
        "k",
        "other_kind",
        "Other kind",
        id="metrics.other_kind",
        tooltip="Not found: try the id as a call instead of a chat (or the reverse)",
    ),
    Binding(
        "z",
        "zoom",
        "Zoom",
        id="metrics.zoom",
        show=False,
        tooltip="The focused pane (tree, detail, segment) on the whole screen, or back",
    ),
]
