"""Command line: `python -m extract batch PATH... -o OUT.jsonl` (also the `extract` script).

Exit status: 0 every page gave a record without errors; 1 some pages had errors (all other
records still written); 2 usage error (missing path, unknown option), one line, no traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from .evaluation.gold import TRAINING_SPLITS
from .io.lock import OutputBusy, OutputLock
from .io.remote import is_url, local_path
from .io.readers import DEFAULT_MAX_BYTES
from .io.sources import UsageError, discover, printable
from .io.staged import UploadError
from .io.writers import WRITERS, output_format, output_paths, writer_for
from .runner import DEFAULT_PAGE_TIMEOUT, Interrupted, PageRunner


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):  # argparse's default prints the whole usage: one line is enough
        raise UsageError(message)


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def seconds(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not x >= 0 or x == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more seconds, not {text}")
    return x


def probability(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return x


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="extract", description="Extract records from French IOM project pages.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    b = sub.add_parser("batch", help="extract every page of the given files and directories")
    b.add_argument("paths", nargs="+", metavar="PATH",
                   help="files (.txt, .html, .htm, also gzipped), directories (recursive), glob patterns, or - for stdin")
    b.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output file (- for stdout)")
    b.add_argument("--batch-size", type=positive_int, default=64, help="pages per batch (default 64)")
    b.add_argument("--workers", type=positive_int, default=1, help="worker processes, each with the pipeline loaded once")
    b.add_argument("--page-timeout", type=seconds, default=DEFAULT_PAGE_TIMEOUT, metavar="SECONDS",
                   help=f"a page that takes longer gets an error record (default {DEFAULT_PAGE_TIMEOUT:g}; 0: no limit)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    b.add_argument("--keep-text", action="store_true", help="write the text the offsets refer to into each record")
    b.add_argument("--resume", action="store_true",
                   help="keep the records already in OUT (or in the OUT.tmp a killed run left) and skip their ids")
    b.add_argument("--max-bytes", type=positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse pages larger than N bytes with an error record (default {DEFAULT_MAX_BYTES})")
    b.add_argument("--follow-symlinks", action="store_true",
                   help="follow symbolic links that leave an input directory (default: skip and count them)")
    b.add_argument("--debug", action="store_true", help="print the traceback of a page's internal error")
    b.add_argument("--min-confidence", type=probability, default=None, metavar="X",
                   help="IATI XML: leave out every value whose confidence is under X (an activity missing a "
                        "required value is left out and counted)")
    b.add_argument("--format", choices=sorted(WRITERS), help="output format (default: from OUT's extension: "
                   ".jsonl/.ndjson, .csv, .sqlite/.db, .xml, .parquet; -o DIR/ --format parquet: a dataset of part files)")
    b.add_argument("--keep-duplicates", action="store_true",
                   help="WARC input: keep every capture of a URL captured more than once (default: the latest)")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local (default): worker processes on this machine; dask: partitions on a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", help="--engine dask: the scheduler, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--local-workers", type=positive_int, metavar="N",
                   help="--engine dask: start a LocalCluster of N worker processes (default: one per core)")
    b.add_argument("--partition-size", type=positive_int, default=None, metavar="N",
                   help="--engine dask: pages per partition, each one part file (default 500; a WARC file is never "
                        "split across partitions' boundaries out of order)")
    t = sub.add_parser("train", help="rebuild every trained artefact under models/ from annotations/ (dev and dev2)")
    t.add_argument("--gold", default=None, help="gold JSONL (default annotations/gold.jsonl)")
    t.add_argument("--out", default=None, help="model file (default models/prose_models.json)")
    t.add_argument("--confidence-out", default=None, help="confidence model (default models/confidence.json)")
    t.add_argument("--compare-first-look", action="store_true",
                   help="also say what the confidence's ranker finds without the first-look records "
                        "(models/first_look), leaving each batch out: a second fit per batch (about a minute); the same files")
    r = sub.add_parser("review", help="a static HTML page of the values under a confidence threshold, to accept or correct")
    r.add_argument("records", metavar="OUT.jsonl", help="records written by extract batch (JSON Lines)")
    r.add_argument("-o", "--output", required=True, metavar="review.html")
    r.add_argument("--below", type=probability, default=0.9, metavar="X",
                   help="list the values whose confidence is under X (default 0.9)")
    g = sub.add_parser("gold-to-spacy", help="write the gold set as spaCy DocBin files (dev.spacy, test.spacy)")
    g.add_argument("--gold", default=None, help="gold JSONL (default annotations/gold.jsonl)")
    g.add_argument("--out", default="corpus", metavar="DIR")
    g.add_argument("--splits", nargs="+", default=["dev", "test"], choices=["dev", "test", "all"])
    return p


class Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.n = total, enabled and sys.stderr.isatty(), 0

    def step(self, k: int = 1) -> None:
        self.n += k
        if self.enabled:
            width = 30
            done = int(width * self.n / max(self.total, 1))
            sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {self.n}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def is_dataset(path: str, fmt: str) -> bool:
    """-o DIR/ (or an existing directory) with --format parquet: a dataset of part files."""
    return fmt == "parquet" and (path.endswith(("/", os.sep)) or (not is_url(path) and os.path.isdir(path)))


def check_output(path: str, fmt: str, inputs: list[str]) -> None:
    """Everything that would make the run fail at its end or destroy input, said before it starts."""
    if path == "-":
        return
    if is_url(path) and local_path(path) is None:
        if any(src.rstrip("/") == path.rstrip("/") for src in inputs):
            raise UsageError(f"-o {printable(path)} would overwrite an input")
        from .io import remote

        try:   # a scheme fsspec does not know, or whose package is not installed: now, not at the end
            remote.filesystem(path)
        except (ImportError, ValueError) as e:
            raise UsageError(f"-o {printable(path)}: {e}") from None
        return
    path = local_path(path)
    dataset = is_dataset(path, fmt)
    if not dataset and (path.endswith(("/", os.sep)) or os.path.isdir(path)):
        raise UsageError(f"-o {printable(path)}: is a directory; name a file (or --format parquet for a dataset)")
    parent = os.path.dirname(os.path.abspath(path.rstrip("/" + os.sep) if dataset else path))
    probe = parent
    while not os.path.exists(probe):  # the nearest existing ancestor must be a writable directory
        probe = os.path.dirname(probe)
    if not os.path.isdir(probe):
        raise UsageError(f"-o {printable(path)}: {printable(probe)} is not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"-o {printable(path)}: cannot write in {printable(probe)}")
    if os.path.exists(path) and not os.access(path, os.W_OK) and fmt in ("sqlite", "parquet"):
        raise UsageError(f"-o {printable(path)}: not writable")
    if dataset:
        root = os.path.realpath(path)
        for src in inputs:
            if src != "-" and not is_url(src) and (os.path.realpath(src) + os.sep).startswith(root + os.sep):
                raise UsageError(f"-o {printable(path)}: the input {printable(src)} is inside the output dataset")
        return
    written = {os.path.realpath(p) for p in output_paths(path, fmt)}
    for src in inputs:
        if src != "-" and not is_url(src) and os.path.realpath(src) in written:
            raise UsageError(f"-o {printable(path)} would overwrite the input {printable(src)}")


def open_writer(path: str, fmt: str, resume: bool = False, min_confidence: float | None = None):
    """The writer for OUT: a local file or directory, or a URL (written locally, uploaded at the end)."""
    if is_url(path) and local_path(path) is None:
        from .io.staged import RemoteWriter

        return RemoteWriter(path, fmt, lambda local, res: writer_for(local, fmt, resume=res,
                                                                     min_confidence=min_confidence), resume=resume)
    return writer_for(local_path(path), fmt, resume=resume, min_confidence=min_confidence)


class Tally:
    """The counts and error lines of a run, for its summary on stderr."""

    def __init__(self):
        self.pages = self.errors = self.warnings = self.skipped = self.timeouts = 0
        self.failed: list[str] = []

    def add(self, o) -> None:
        self.pages += 1
        if o.failed:
            self.errors += 1
            self.failed.append(f"{printable(o.source)}: {'; '.join(o.errors)}")
        elif o.errors:
            self.warnings += 1


def run_batch(args) -> int:
    try:
        fmt = output_format(args.output, args.format)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.resume and args.output == "-":
        raise UsageError("--resume needs an output file, not -")
    if args.engine != "dask":
        for opt, value in (("--scheduler", args.scheduler), ("--local-workers", args.local_workers),
                           ("--partition-size", args.partition_size)):
            if value is not None:
                raise UsageError(f"{opt} goes with --engine dask")
    else:
        if args.output == "-":
            raise UsageError("--engine dask writes part files: name an output, not -")
        if args.scheduler and args.local_workers:
            raise UsageError("--scheduler (a running cluster) or --local-workers (a LocalCluster), not both")
        if args.workers != 1:
            raise UsageError("--workers is the local engine's; with --engine dask, --local-workers N or the "
                             "cluster's workers")
        if any(p == "-" for p in args.paths):
            raise UsageError("--engine dask reads files and URLs, not standard input")
    t0 = time.perf_counter()
    options = {"keep_text": args.keep_text, "max_bytes": args.max_bytes, "debug": args.debug}
    tally = Tally()
    engine = None
    try:
        if args.engine == "dask":
            from .engine.cluster import DaskEngine

            try:
                engine = DaskEngine(args.scheduler, args.local_workers).__enter__()
            except OSError as e:   # an unreachable --scheduler: distributed's timeout
                raise UsageError(f"--scheduler {printable(args.scheduler or '')}: {e}") from None
        found = discover(args.paths, follow_symlinks=args.follow_symlinks, keep_duplicates=args.keep_duplicates,
                         scanner=engine.map if engine is not None else None)
        # each path once: a WARC file holds thousands of pages
        check_output(args.output, fmt, list(dict.fromkeys([s.path for s in found.sources] + list(args.paths))))
        local_out = local_path(args.output) if args.output != "-" else None   # file:// URLs too
        lock = OutputLock(local_out.rstrip("/" + os.sep)) if local_out is not None else None
        if lock is not None:
            try:
                os.makedirs(os.path.dirname(os.path.abspath(local_out.rstrip("/"))), exist_ok=True)
                lock.acquire()
            except OutputBusy as e:
                raise UsageError(f"-o {printable(args.output)}: {e}; wait for it or choose another output") from None
            except OSError as e:
                raise UsageError(f"-o {printable(args.output)}: {e.strerror or e}") from None
        try:
            if engine is not None:
                code = _run_dask(args, fmt, found, engine, options, tally)
            else:
                code = _run_local(args, fmt, found, options, tally)
        finally:
            if lock is not None:
                lock.release()
    finally:
        if engine is not None:
            engine.__exit__(None, None, None)
    if code is not None:
        return code
    secs = time.perf_counter() - t0
    for line in tally.failed:
        print(f"error: {line}", file=sys.stderr)
    for line in found.problems:
        print(f"error: {line}", file=sys.stderr)
    rate = tally.pages / secs if secs > 0 else 0.0
    extra = ""
    if args.resume:
        extra += f", {tally.skipped} already in the output"
    if tally.warnings:
        extra += f", {tally.warnings} with warnings"
    if found.problems:
        extra += f", {len(found.problems)} input problem{'' if len(found.problems) == 1 else 's'} (above)"
    if tally.timeouts:
        extra += f", {tally.timeouts} timed out"
    print(f"{tally.pages} pages, {tally.pages} records, {tally.errors} pages with errors{extra}, {secs:.2f} s, "
          f"{rate:.1f} pages/s -> {printable(args.output)}", file=sys.stderr)
    if found.warc_files:
        others = sum(found.warc_skipped.values())
        kinds = ", ".join(f"{n} {k}" for k, n in found.warc_skipped.most_common(6))
        if len(found.warc_skipped) > 6:
            kinds += ", …"
        dup = f"; {found.duplicates} older captures of a URL captured again left out (--keep-duplicates keeps " \
              f"them)" if found.duplicates else ""
        print(f"WARC: {found.warc_files} file{'' if found.warc_files == 1 else 's'}, {others} records that are "
              f"not pages skipped{' (' + kinds + ')' if kinds else ''}{dup}", file=sys.stderr)
    skipped = []
    if found.links_skipped:
        skipped.append(f"{found.links_skipped} symbolic links leaving their input directory (--follow-symlinks follows them)")
    if found.broken_links:
        skipped.append(f"{found.broken_links} broken symbolic links")
    if found.loops_skipped:
        skipped.append(f"{found.loops_skipped} directories reached a second time (link loops)")
    if skipped:
        print("skipped: " + "; ".join(skipped), file=sys.stderr)
    return 1 if tally.errors or found.problems else 0


def _run_local(args, fmt, found, options, tally) -> int | None:
    """The single-machine engine (runner.py); None when the run ended, else its exit status."""
    sources = found.sources
    try:
        writer = open_writer(args.output, fmt, resume=args.resume, min_confidence=args.min_confidence)
    except ValueError as e:
        raise UsageError(str(e)) from None
    from .extractor import Extractor

    runner = PageRunner(Extractor(), workers=args.workers, batch_size=args.batch_size,
                        page_timeout=args.page_timeout or None, options=options)
    try:
        with writer as out:
            if args.resume:
                before = len(sources)
                sources = [s for s in sources if s.id not in out.done]
                tally.skipped = before - len(sources)
            progress = Progress(len(sources), not args.no_progress)
            for batch in runner.run(sources):
                for o in batch:
                    out.write(o.record)
                    tally.add(o)
                out.flush()  # a batch at a time: on a kill, every line before the last batch is whole
                progress.step(len(batch))
            progress.close()
    except (Interrupted, KeyboardInterrupt):
        kept = f"; {tally.pages} records kept in {printable(args.output)}.tmp (--resume completes it)" \
            if fmt == "jsonl" and args.output != "-" else ""
        print(f"extract: interrupted{kept}", file=sys.stderr)
        return 130
    tally.timeouts = runner.timeouts
    return None


def _run_dask(args, fmt, found, engine, options, tally) -> int | None:
    """The Dask engine (engine/cluster.py): one part file per partition. -o DIR/ --format parquet
    is the dataset of those parts; any other output is assembled from them, in input order, at
    the end (OUT.parts/ beside it holds them meanwhile, and what --resume needs)."""
    from .engine.cluster import read_jsonl_part
    from .engine.partitions import DEFAULT_PARTITION_SIZE, MANIFEST, STAGING, part_exists, plan, publish
    from .io import remote

    sources = found.sources
    dataset = is_dataset(args.output, fmt)
    if not dataset and args.resume:
        try:   # pages already in OUT (or in the OUT.tmp an interrupted run left)
            probe = open_writer(args.output, fmt, resume=True)
        except ValueError as e:
            raise UsageError(str(e)) from None
        try:
            done_ids = set(probe.done)
        finally:
            # only read: abort keeps everything where it was (a commit would publish a partial
            # OUT.tmp as OUT before this run has added anything)
            probe.abort()
        before = len(sources)
        sources = [s for s in sources if s.id not in done_ids]
        tally.skipped = before - len(sources)
    ext = "parquet" if dataset else "jsonl"
    if dataset:
        # the new parts go to DIR/_run/ (an underscore: not data to Parquet readers) and replace
        # the dataset's only when every partition is written: until then readers see the old
        # dataset whole, and an interrupted run destroys nothing. --resume after a finished run
        # (DIR/_manifest.json, no _run/) checks the parts in place.
        staging = remote.join(args.output, STAGING)
        finished = args.resume and not part_exists(staging, MANIFEST) and part_exists(args.output, MANIFEST)
        parts_dir = args.output if finished else staging
    else:
        parts_dir = args.output + ".parts/"
    partitions = plan(sources, args.partition_size or DEFAULT_PARTITION_SIZE)
    if not args.resume:
        _clear_parts(parts_dir, ext)
    progress = Progress(len(sources), not args.no_progress)

    unguarded = 0

    def on_result(result):
        nonlocal unguarded
        tally.pages += result["pages"]
        tally.errors += len(result["errors"])
        tally.warnings += result["warnings"]
        tally.timeouts += result.get("timeouts", 0)
        unguarded += bool(result.get("unguarded"))
        tally.failed.extend(result["errors"])
        progress.step(result["pages"])

    try:
        run = engine.run(partitions, parts_dir, ext,
                         options | {"page_timeout": args.page_timeout or None, "batch_size": args.batch_size},
                         args.resume, on_result)
    except KeyboardInterrupt:
        progress.close()
        print(f"extract: interrupted; the finished partitions are in {printable(parts_dir)} "
              f"(--resume completes the run)", file=sys.stderr)
        return 130
    progress.close()
    tally.skipped += sum(e.get("pages", 0) for e in run.skipped)
    if dataset and parts_dir != args.output and not run.failed:
        publish(parts_dir, args.output, [p.file(ext) for p in partitions])
    elif dataset and run.failed:
        print(f"extract: {len(run.failed)} partitions not written: the new parts wait in {printable(parts_dir)} "
              f"(--resume completes the run; the dataset is unchanged until then)", file=sys.stderr)
    if not dataset:
        try:
            final = open_writer(args.output, fmt, resume=args.resume, min_confidence=args.min_confidence)
        except ValueError as e:
            raise UsageError(str(e)) from None
        lost = {r["number"] for r in run.failed}
        with final as out:
            for p in partitions:
                if p.number in lost:
                    continue
                for rec in read_jsonl_part(remote.join(parts_dir, p.file(ext))):
                    if rec["id"] not in out.done:
                        out.write(rec)
                out.flush()
        # the parts are in OUT now (a lost partition's pages are not: --resume, which skips the ids
        # in OUT, runs them)
        _clear_parts(parts_dir, ext, remove_dir=True)
    if unguarded:
        print(f"warning: --page-timeout was not enforced in {unguarded} partitions: their workers are daemonic "
              f"processes, which may not fork (start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False)",
              file=sys.stderr)
    redone = f", {run.redone} started again after their worker was lost" if run.redone else ""
    print(f"dask: {len(partitions)} partitions ({len(run.skipped)} done before{redone}), {engine.workers} workers",
          file=sys.stderr)
    return None


def _clear_parts(parts_dir: str, ext: str, remove_dir: bool = False) -> None:
    """Remove the part files and manifest a run writes (and nothing else) from ``parts_dir``."""
    from .engine.partitions import MANIFEST
    from .io import remote

    lp = remote.local_path(parts_dir)
    if lp is not None:
        if not os.path.isdir(lp):
            return
        for name in os.listdir(lp):
            if (name.startswith("part-") and name.endswith("." + ext)) or name == MANIFEST \
                    or (name.startswith(".part-") and name.endswith(".tmp")):
                os.unlink(os.path.join(lp, name))
        if remove_dir:
            try:
                os.rmdir(lp)
            except OSError:
                pass
        return
    fs, inner = remote.filesystem(parts_dir)
    if fs.exists(inner):
        for f in fs.find(inner):
            name = f.rsplit("/", 1)[-1]
            if (name.startswith("part-") and name.endswith("." + ext)) or name == MANIFEST:
                fs.rm(f)


# the gold pages every trained artefact learns from: never test, fresh, written_fresh or written2_fresh
# (evaluate.py --split training)
TRAIN_SPLITS = TRAINING_SPLITS


def run_train(args) -> int:
    """Deterministic: fixed splits, sorted features, liblinear with a fixed seed, JSON output."""
    from pathlib import Path

    from .evaluation.gold import GOLD_PATH, load_first_look, load_gold, select
    from .paths import models_dir
    from .prose.train import collect, train

    gold = load_gold(args.gold or GOLD_PATH)
    pages = [g for split in TRAIN_SPLITS for g in select(gold, split)]
    batches = {g["id"]: split for split in TRAIN_SPLITS for g in select(gold, split)}
    out = Path(args.out) if args.out else models_dir() / "prose_models.json"
    # every page's candidates once, for the models' fit and for every fit of the cross-fitting
    collected = {p.id: p for p in collect(pages, models_dir())}
    result = train(pages, models_dir(), out, collected=collected)
    for name in ("budget", "start", "end", "duration"):
        r = result[name]
        chosen = r["cv"][r["chosen"]]
        print(f"{name}: {r['chosen']}; cross-validated F1 {chosen['f']:.3f} (news {chosen['news']['f']:.3f}), "
              f"rules {r['cv']['rules']['f']:.3f} (news {r['cv']['rules']['news']['f']:.3f}); "
              f"{r['examples']} candidates, {r['positives']} positive", file=sys.stderr)
    print(f"-> {out} ({result['pages']} pages)", file=sys.stderr)
    from .prose.lists import train as train_lists

    lists_out = models_dir() / "list_model.json" if not args.out else Path(args.out).with_name("list_model.json")
    lists = train_lists(pages, models_dir(), lists_out)
    print(f"lists: {lists['examples']} lists (after a colon or a heading) on {lists['pages']} pages, {lists['positives']} holding "
          f"outputs; C={lists['C']:g} t={lists['threshold']:g} -> {lists_out}", file=sys.stderr)
    conf_out = Path(args.confidence_out) if args.confidence_out else models_dir() / "confidence.json"
    model = train_confidence(pages, models_dir(), conf_out, batches=batches, first_look=load_first_look(TRAIN_SPLITS),
                             compare_first_look=args.compare_first_look, collected=collected)
    tried = ", ".join(f"{k}: {v['found']}/{v['wrong']}" for k, v in model["strength_by_batch_left_out"].items())
    print(f"confidence: {model['values']} values ({model['wrong']} wrong) of {len(pages)} pages; pseudo-count "
          f"{model['strength']:g} (wrong values found in the least-confident 10% of a batch left out: {tried}); "
          f"out of fold ECE {model['out_of_fold']['ece']:.4f}, Brier {model['out_of_fold']['brier']:.4f}; scalar values "
          f"by the {model['scalars']}"
          + (f" (wrong ones found, a batch left out: counts {model['review_by_batch_left_out']['counts']}, ranker "
             f"{model['review_by_batch_left_out']['ranker']} of {model['review_by_batch_left_out']['wrong']})"
             if model.get("review_by_batch_left_out") else "")
          + (f"; on the first-look records of a batch left out ({model['first_look']['pages']} pages): "
             f"{model['review_by_batch_left_out']['first_look']['ranker']} of "
             f"{model['review_by_batch_left_out']['first_look']['wrong']}"
             if model.get("first_look") and model.get("review_by_batch_left_out") else "")
          + (f"; a ranker without the first looks: {model['review_by_batch_left_out']['ranker_without_first_look']} "
             f"and {model['review_by_batch_left_out']['first_look']['without_first_look']}"
             if "ranker_without_first_look" in (model.get("review_by_batch_left_out") or {}) else "")
          + f" -> {conf_out}",
          file=sys.stderr)
    return 0


def train_confidence(pages: list[dict], data_dir, out, folds: int = 5, batches: dict[str, str] | None = None,
                     first_look: list[dict] = (), compare_first_look: bool = False, collected: dict | None = None):
    """The confidence model, from records of the training pages made *out of fold*: each page's
    record comes from running-text models trained without it (cross-fitting). The records of the
    pages the prose models were fitted on are nearly all right (in-sample), and a confidence
    learned from them promised 0.99 to values that were right far less often on unseen pages
    (ECE 0.10 on the written pages: README "Evidence and confidence").

    With ``batches``, every page has a second record, made by running-text models trained on the
    *other batches* only: a page of a batch nobody annotated yet is read by models that never met
    its batch's phrasings, and is wrong more often than a page whose batch-mates were in training
    (the training pages' budget F1 0.919 by page, 0.881 with their batch left out; start 0.920,
    0.802). The confidence learns from both kinds of record, so that it holds for pages like the
    training batches and for a new batch (README "Evidence and confidence", fourteenth session).

    ``first_look``: rows of models/first_look (load_first_look), an earlier commit's records
    of the batches before anyone developed on them; the scalar ranker learns from them too, so that
    it knows how the rules fail on text they were not written on (twenty-fifth session)."""
    from pathlib import Path

    from .confidence import train
    from .evaluation import crossfit

    regimes = ("page", "batch") if batches and len({batches.get(g["id"]) for g in pages}) > 1 else ("page",)
    made = crossfit.records(pages, Path(data_dir), regimes, folds, batches, collected=collected)
    gold = {g["id"]: g["record"] for g in pages}
    # by page id; a page's by-page record before its by-batch one (a stable sort)
    rows = sorted(((pid, rec, gold[pid], info) for _, pid, rec, info in made), key=lambda r: r[0])
    known = {g["id"] for g in pages}
    first = [(r["id"], {"evidence": r["evidence"]}, gold[r["id"]], r["page"]) for r in first_look if r["id"] in known]
    return train(rows, out, Path(data_dir) / "confidence_priors.json", batches=batches, first_look=first,
                 compare_first_look=compare_first_look)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "batch":
            return run_batch(args)
        if args.command == "train":
            return run_train(args)
        if args.command == "review":
            from .review import write_review

            if not os.path.isfile(args.records):
                raise UsageError(f"no such file: {printable(args.records)}")
            try:
                n = write_review(args.records, args.output, args.below)
            except (ValueError, KeyError) as e:
                raise UsageError(f"{printable(args.records)}: not JSON Lines records ({e})") from None
            print(f"{n} values under {args.below:g} -> {printable(args.output)}", file=sys.stderr)
            return 0
        if args.command == "gold-to-spacy":
            from .evaluation.docbin import gold_to_docbin
            from .evaluation.gold import GOLD_PATH

            for path in gold_to_docbin(args.gold or GOLD_PATH, args.out, args.splits):
                print(f"wrote {path}", file=sys.stderr)
            return 0
    except UsageError as e:
        print(f"extract: error: {e}", file=sys.stderr)
        return 2
    except UploadError as e:
        print(f"extract: error: {printable(str(e))}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Interrupted):
        print("extract: interrupted", file=sys.stderr)
        return 130
    return 2


def entry() -> None:
    """The `extract` script and `python -m extract`: main(), then leave without the interpreter's
    teardown. By then every output is closed (the writers are context managers) and only stdout and
    stderr are left to flush; what the teardown would add is freeing the pipeline's objects one by
    one, ~0.1 s per run (measured) that the OS does at once."""
    try:
        rc = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `extract batch … -o - | head`: the reader left, nothing more to say
        rc = 1
    os._exit(rc)


if __name__ == "__main__":
    entry()
