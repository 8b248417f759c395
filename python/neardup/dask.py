"""python3 -m neardup.dask cluster|dedup --scheduler ADDRESS|local[:N] [OPTIONS] INPUT... -o OUT

neardup on a Dask cluster: the signing pass, which is most of the work,
is split over the workers; the rest runs in this process.

1. The input is cut into P parts (P = --parts, default: the workers).
   With --split ranges (the default when it balances), the inputs laid end
   to end are cut into P spans of equal bytes: a plain JSONL file at line
   starts, a plain WARC/WET file or one with a gzip member per record
   (Common Crawl's .warc.gz, .warc.wet.gz) at record starts, any other
   input (gzip/zstd JSONL, single-stream .warc.gz, text files) whole, in
   the part that holds its first byte; a part reads only its own lines,
   records and files. (A WARC part that does not end on a whole record,
   which a well-formed file does not give, fails as an input error: see
   below.) With --split blocks (the default when a file read whole would
   hold more than a part's share, e.g. one large .jsonl.gz, or an input is
   a directory) the documents are dealt in blocks of 4096 in turn and every
   part reads the whole input, skipping the others' documents unparsed.
   Each part is one Dask task: ``neardup sign-part --part I --parts P`` in
   the worker's process (C++, through neardup._native), which signs its
   documents and writes a part file (LSH band keys, b-bit sketches, exact
   fingerprints, document records) beside the output, atomically and with
   a checksum.
2. ``neardup cluster|dedup --signed-parts PART...`` in this process loads
   the parts back in input order and runs the rest of the pipeline as the
   CLI does (index, verify, with the exact check reading the inputs here;
   union-find; output). The output is byte for byte that of ``neardup
   cluster|dedup`` on the same inputs and options, for any number of
   workers and parts.

A task whose worker dies is run again on another worker (Dask reschedules
it; --retries more times if it fails); part files are written under a
temporary name and renamed, so a killed task leaves no half part, and a
task run twice writes the same bytes. Inputs must be readable at the same
paths on every worker (a shared file system), and so must a --stats file.

Every level and method runs so: the exact level (fingerprints), the near
level with MinHash (band keys and sketches) or SimHash (fingerprints,
weighted by --stats when given), and the story level, whose parts carry
each document's draft (its words with their counts, and its salient
words) and the words the part's documents hold, counted while signing;
this process adds the parts' counts up into the input's, which the rarity
needs, then finds the candidates, scores them and links them (average
linkage) over all documents at once, as the CLI does. The story level with
--no-background and without --stats needs the input's counts before the
first document is signed: the parts count their documents' words first
(``neardup sign-part --count-words``), this process adds the counts up
(``neardup stats merge``), and the parts then sign with them as --stats,
which the final step is given too.

An input error (a malformed record without --skip-bad, a missing file) in
any part makes this process run ``neardup cluster|dedup`` on the inputs
itself, which stops at the first error in input order and reports it as
the CLI does (same message, same exit code).

Test hook: --test-kill-once DIR (not in --help) makes the first task that
creates DIR kill its own worker with SIGKILL 50 ms later, while it signs
(a task done by then waits for the kill: it never returns its part)
(tests/python/test_dask.py, test_dask_warc.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from typing import List, Optional, Sequence, Tuple

from . import main as run_cli


def _split_args(argv: Sequence[str]) -> Tuple[argparse.Namespace, List[str]]:
    parser = argparse.ArgumentParser(
        prog="python3 -m neardup.dask",
        description="neardup cluster/dedup with signing spread over a Dask cluster; the other "
        "options and INPUT... are those of neardup cluster/dedup (neardup cluster --help)",
    )
    parser.add_argument("command", choices=["cluster", "dedup"])
    parser.add_argument(
        "--scheduler",
        required=True,
        help="a Dask scheduler address (tcp://host:8786), or local[:N] for a LocalCluster of N "
        "worker processes on this machine (default N: the cores)",
    )
    parser.add_argument(
        "--parts",
        type=int,
        default=0,
        help="parts the signing is split into (default: one per worker)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="times a failed signing task is tried again (a task whose worker dies is "
        "rescheduled by Dask in any case; default 2)",
    )
    parser.add_argument(
        "--split",
        choices=["auto", "ranges", "blocks"],
        default="auto",
        help="how the input is cut into parts: byte ranges, each part reading only its own "
        "(ranges), blocks of documents dealt in turn, each part reading everything (blocks), or "
        "ranges unless a file read whole would hold more than a part's share (auto, the "
        "default); see neardup sign-part --help",
    )
    parser.add_argument("--test-kill-once", default="", help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", required=True, help="as for neardup cluster/dedup")
    parser.add_argument("-j", "--threads", type=int, default=0, help="threads of the final step")
    parser.add_argument(
        "--worker-threads",
        type=int,
        default=0,
        help="threads each signing task uses (default: the cores over the local workers, or "
        "each worker's own count)",
    )
    return parser.parse_known_args(argv)


# Options of the final step alone, left out of the signing tasks' arguments:
# name -> whether a value follows.
_FINAL_ONLY = {"--format": True, "-f": False, "--force": False, "-q": False, "--quiet": False,
               "--progress": False}


def _signing_args(rest: Sequence[str]) -> List[str]:
    args: List[str] = []
    skip = False
    for arg in rest:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in _FINAL_ONLY:
            skip = _FINAL_ONLY[name] and "=" not in arg
            continue
        args.append(arg)
    return args


def _sign_part(args: List[str], part: int, parts: int, path: str, threads: int,
               kill_once: str) -> Tuple[Optional[str], int]:
    """Dask task: signs part `part` into `path` (in the worker's process).
    Returns (path, 0), or (None, 2) after an input error."""
    from . import main

    killer_armed = False
    if kill_once:
        try:
            os.mkdir(kill_once)
        except FileExistsError:
            pass
        else:
            threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGKILL)).start()
            killer_armed = True

    code = main(
        ["sign-part", "-q", "-j", str(threads), "--part", str(part), "--parts", str(parts), "-o", path]
        + args
    )
    if killer_armed:
        time.sleep(60)  # the kill comes first: this task never returns
    if code == _EXIT_BAD_INPUT:
        return None, code
    if code != 0:
        raise RuntimeError(f"neardup sign-part --part {part} failed (exit {code})")
    return path, 0


_EXIT_BAD_INPUT = 2  # cli/exit_codes.h


def _option(rest: Sequence[str], name: str) -> Optional[str]:
    """The value of option `name` in the CLI arguments `rest` (the last one
    given), or None."""
    value = None
    for i, arg in enumerate(rest):
        if arg == "--":
            break
        if arg == name and i + 1 < len(rest):
            value = rest[i + 1]
        elif arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
    return value


def _needs_counts_first(rest: Sequence[str]) -> bool:
    """True for the story level without the background table and without
    --stats: its salient words need the whole input's counts before any
    document is signed, a pass over the input this driver does not split."""
    flags = rest[:rest.index("--")] if "--" in rest else rest
    return (_option(rest, "--level") == "story" and "--no-background" in flags
            and _option(rest, "--stats") is None)


def _client(scheduler: str):
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        print(
            f"python3 -m neardup.dask: {e}: Dask's distributed is not installed for "
            f"{sys.executable} (Debian: apt-get install python3-distributed)",
            file=sys.stderr,
        )
        raise SystemExit(2) from None

    if scheduler == "local" or scheduler.startswith("local:"):
        workers = int(scheduler.split(":", 1)[1]) if ":" in scheduler else (os.cpu_count() or 1)
        if workers < 1:
            print("python3 -m neardup.dask: local:N needs N >= 1", file=sys.stderr)
            raise SystemExit(2)
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster, workers
    client = Client(scheduler)
    return client, None, len(client.scheduler_info()["workers"])


def run(argv: Sequence[str]) -> int:
    opts, rest = _split_args(argv)
    out = os.path.abspath(opts.output)
    parent = os.path.dirname(out.rstrip("/")) or "."
    work = os.path.join(parent, f".{os.path.basename(out.rstrip('/'))}.neardup-parts-{os.getpid()}")
    started = time.monotonic()
    client, cluster, workers = _client(opts.scheduler)
    try:
        return _run(opts, rest, work, client, cluster, workers, started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_parts(client, opts, args, parts, threads, work, name) -> List[Optional[str]]:
    """Runs `neardup sign-part ARGS` for every part on the workers; the
    files written, in part order (None for a part that met an input error)."""
    futures = [
        client.submit(
            _sign_part,
            ["--split", opts.split] + args,
            part,
            parts,
            os.path.join(work, f"{name}-{part:05d}"),
            threads,
            opts.test_kill_once,
            key=f"neardup-{name}-{os.getpid()}-{part}",
            pure=False,
            retries=opts.retries,
        )
        for part in range(parts)
    ]
    return [p for p, _ in client.gather(futures)]


def _run(opts, rest, work, client, cluster, workers, started) -> int:
    counting = 0.0
    paths: List[str] = []
    try:
        parts = opts.parts if opts.parts > 0 else max(workers, 1)
        cores = os.cpu_count() or 1
        threads = opts.worker_threads or (max(1, cores // workers) if cluster is not None else 0)
        os.makedirs(work, exist_ok=False)
        signing = time.monotonic()
        bad_input = False
        if _needs_counts_first(rest):
            # The story level without the background: the parts count their
            # words first; the counts added up are the input's, which every
            # part then signs with (--stats), as does the final step.
            counts = _run_parts(client, opts, ["--count-words"] + _signing_args(rest), parts,
                                threads, work, "count-part")
            bad_input = any(p is None for p in counts)
            if not bad_input:
                merged = os.path.join(work, "words.ndstats")
                if run_cli(["stats", "merge", "-o", merged] + counts) != 0:
                    raise RuntimeError("neardup stats merge of the parts' word counts failed")
                rest = ["--stats", merged] + list(rest)
            counting = time.monotonic() - signing
        if not bad_input:
            signed_parts = _run_parts(client, opts, _signing_args(rest), parts, threads, work,
                                      "sign-part")
            bad_input = any(p is None for p in signed_parts)
            paths = [p for p in signed_parts if p is not None]
        signed = time.monotonic()
        # The final step runs before the workers are stopped: stopping them
        # takes a second or two, spent afterwards.
        final = [opts.command] + rest + ["-j", str(opts.threads), "-o", opts.output]
        if bad_input:
            # An input error: the CLI on the whole input meets the first one
            # and reports it as it would without Dask.
            code = run_cli(final)
        else:
            code = run_cli(final + ["--signed-parts"] + paths)
        done = time.monotonic()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if not any(a in ("-q", "--quiet") for a in rest):
        part_bytes = sum(os.path.getsize(p) for p in paths)
        counted = f"counting words {counting:.2f} s, " if counting else ""
        print(
            f"neardup.dask: {workers} workers, {len(paths)} parts: start {signing - started:.2f} s, "
            f"{counted}signing {signed - signing - counting:.2f} s ({part_bytes} bytes of part "
            f"files), final step {done - signed:.2f} s, stop {time.monotonic() - done:.2f} s",
            file=sys.stderr,
        )
    return code


def _main(argv: Optional[Sequence[str]] = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(_main())
