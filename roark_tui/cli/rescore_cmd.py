"""`chat|call <ID...> --rescore METRIC...`: score conversations again with the metrics as they
are defined now (a metric collection job, billed by Roark).

Without --wait it starts the job and prints its id. With --wait it follows the job to its end
(--timeout bounds it, running out exits 8; ctrl+c cancels the job), reads the metrics again
and prints, per conversation, each re-scored value old -> new; with --check the exit status is
then the verdict of the checks, as the gate's. The job is created once: after an unclear
answer the job list is read back, never the request sent again. 402 (out of credits) exits 1
and 403 exits 3, each with a sentence saying what to do.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING

from roark_tui.cli import common, gate
from roark_tui.config import Settings

if TYPE_CHECKING:
    from roark_tui.api.models import CollectionJob, MetricDefinition, MetricGroup
    from roark_tui.api.service import RoarkService


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rescore",
        nargs="+",
        metavar="METRIC",
        help="score the conversation again with these metrics (slugs or ids, billed by Roark); "
        "with --wait prints each value old -> new",
    )


def resolve(names: list[str], definitions: list[MetricDefinition]) -> list[MetricDefinition]:
    """The definitions named (slug, metric id or id; commas allowed), in order, once each."""
    known: dict[str, MetricDefinition] = {}
    for definition in definitions:
        for key in (definition.id, definition.slug, definition.metric_id):
            if key:
                known.setdefault(key, definition)
    found: dict[str, MetricDefinition] = {}
    missing: list[str] = []
    for name in (part.strip() for given in names for part in given.split(",")):
        if not name:
            continue
        named = known.get(name)
        if named is None:
            missing.append(name)
        else:
            found.setdefault(named.id, named)
    if missing:
        raise common.UsageError(
            f"--rescore {', '.join(missing)}: no metric definition has that slug or id"
        )
    if not found:
        raise common.UsageError("--rescore needs at least one metric slug or id")
    return list(found.values())


def run(args: argparse.Namespace, settings: Settings, kind: gate.Kind, ids: list[str]) -> int:
    if args.json or args.print:
        raise common.UsageError("--rescore prints what changed; it does not take --json or --print")

    async def go() -> int:
        async with common.make_service(settings) as service:
            return await rescore(service, args, kind, ids)

    return common.run_async(go())


async def rescore(
    service: RoarkService,
    args: argparse.Namespace,
    kind: gate.Kind,
    ids: list[str],
    timing: gate.Timing = gate.TIMING,
) -> int:
    import asyncio

    from roark_tui.api import errors, write_once
    from roark_tui.core import rescore as rules

    definitions = await service.all_definitions()
    chosen = resolve(args.rescore, definitions)
    metric_ids = [d.id for d in chosen]
    before = await asyncio.gather(
        *(service.conversation_metrics(kind, conv_id, status="all") for conv_id in ids)
    )
    try:
        written = await write_once.start_collection_job(service, kind, ids, metric_ids)
    except errors.ApiError as exc:
        common.print_error(rules.explain(exc))
        return common.exit_code_for(exc)
    job = written.value
    names = ", ".join(d.key for d in chosen)
    note = f" ({written.note})" if written.note else ""
    print(f"started collection job {job.id}: {names} on {len(ids)} {kind}(s){note}")
    if not args.wait:
        return common.EXIT_OK

    def moved(now: CollectionJob) -> None:
        _status(rules.progress(now))

    timeout = args.timeout if args.timeout is not None else gate.DEFAULT_TIMEOUT
    try:
        job = await rules.follow_job(
            service.get_collection_job,
            job,
            on_progress=moved,
            sleep=timing.sleep,
            clock=timing.clock,
            timeout=timeout,
        )
    except (KeyboardInterrupt, asyncio.CancelledError):
        # ctrl+c stops the billed job too, as esc does in the app (items done stay done)
        _status("")
        with contextlib.suppress(errors.ApiError):
            await write_once.cancel_collection_job(service, job.id)
            common.print_note(f"cancelled collection job {job.id}")
        raise
    _status("")
    print(rules.progress(job))
    if not job.finished:
        print(f"TIMEOUT  collection job {job.id} is still {job.status}; --wait timed out")
        return common.EXIT_WAIT_TIMEOUT
    codes = [common.EXIT_API if job.status.upper() == "FAILED" else common.EXIT_OK]
    for conv_id, old in zip(ids, before, strict=True):
        after = await service.conversation_metrics(kind, conv_id, status="all")
        codes.append(_report(kind, conv_id, old, after, metric_ids, definitions, args.check))
    return gate.worst(codes)


def _report(
    kind: gate.Kind,
    conv_id: str,
    before: list[MetricGroup],
    after: list[MetricGroup],
    metric_ids: list[str],
    definitions: list[MetricDefinition],
    check: bool,
) -> int:
    from roark_tui.core import rescore as rules
    from roark_tui.core.verdict import gate as verdict

    print(f"{kind} {conv_id}")
    found = rules.changes(before, after, metric_ids, definitions)
    for change in found:
        print(f"  {change.line()}")
    if not found:
        print("  no value of these metrics on this conversation")
    if not check:
        return common.EXIT_OK
    result = verdict(after, definitions=definitions)
    print(f"  {result.summary()}")
    return gate.exit_code_of(result, check=True, timed_out=False)


def _status(line: str) -> None:
    """The job's progress on a terminal's stderr, one self-overwriting line."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[K{line}")
        sys.stderr.flush()
