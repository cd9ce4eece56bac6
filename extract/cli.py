"""Command line: `python -m extract batch PATH... -o OUT.jsonl` (also the `extract` script).

Exit status: 0 every page gave a record without errors; 1 some pages had errors (all other
records still written); 2 usage error (missing path, unknown option), one line, no traceback.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time

from .io.readers import DEFAULT_MAX_BYTES, UsageError, expand, page_id, read_pages
from .io.writers import WRITERS, writer_for
from .record import Record


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):  # argparse's default prints the whole usage: one line is enough
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="extract", description="Extract records from French IOM project pages.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    b = sub.add_parser("batch", help="extract every page of the given files and directories")
    b.add_argument("paths", nargs="+", metavar="PATH",
                   help="files (.txt, .html, .htm), directories (recursive), glob patterns, or - for stdin")
    b.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output file (- for stdout)")
    b.add_argument("--batch-size", type=int, default=64, help="pages per batch (default 64)")
    b.add_argument("--workers", type=int, default=1, help="worker processes, each loading the pipeline once")
    b.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    b.add_argument("--keep-text", action="store_true", help="write the text the offsets refer to into each record")
    b.add_argument("--resume", action="store_true",
                   help="keep the records already in OUT (or in the OUT.tmp a killed run left) and skip their ids")
    b.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse pages larger than N bytes with an error record (default {DEFAULT_MAX_BYTES})")
    b.add_argument("--debug", action="store_true", help="print the traceback of a page's internal error")
    b.add_argument("--format", choices=sorted(WRITERS), help="output format (default: from OUT's extension, "
                   ".jsonl; .csv; .sqlite/.db)")
    t = sub.add_parser("train", help="rebuild every trained artefact under models/ from annotations/ (dev split)")
    t.add_argument("--gold", default=None, help="gold JSONL (default annotations/gold.jsonl)")
    t.add_argument("--out", default=None, help="model file (default models/budget_classifier.json)")
    g = sub.add_parser("gold-to-spacy", help="write the gold set as spaCy DocBin files (dev.spacy, test.spacy)")
    g.add_argument("--gold", default=None, help="gold JSONL (default annotations/gold.jsonl)")
    g.add_argument("--out", default="corpus", metavar="DIR")
    g.add_argument("--splits", nargs="+", default=["dev", "test"], choices=["dev", "test", "all"])
    return p


class Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.n = total, enabled and sys.stderr.isatty(), 0

    def step(self) -> None:
        self.n += 1
        if self.enabled:
            width = 30
            done = int(width * self.n / max(self.total, 1))
            sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {self.n}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _batches(sources: list[str], size: int):
    """Input paths in order, in lists of `size`; the pages are read by whoever extracts them, so
    a worker process gets only paths and memory stays flat on long runs."""
    for k in range(0, len(sources), size):
        yield sources[k:k + size]


_WORKER_EXTRACTOR = None
_WORKER_OPTIONS: dict = {}


def _init_worker(options: dict | None = None) -> None:
    """Each worker process loads the pipeline once."""
    global _WORKER_EXTRACTOR, _WORKER_OPTIONS
    from .extractor import Extractor

    _WORKER_OPTIONS = options or {}
    _WORKER_EXTRACTOR = Extractor()


def _extract_batch(sources: list[str]) -> list[tuple[str, list[str]]]:
    """(record JSON, errors) for each page of a batch, in order. A page that cannot be read gets an
    error record; a page the pipeline fails on gets one too, and the rest of the batch goes on."""
    if _WORKER_EXTRACTOR is None:
        _init_worker(_WORKER_OPTIONS)
    opts = _WORKER_OPTIONS
    batch = list(read_pages(sources, opts.get("max_bytes", DEFAULT_MAX_BYTES)))
    good = [p for p in batch if not p.error]
    try:
        recs = list(_WORKER_EXTRACTOR.pipe([(p.text, p.id) for p in good], sources=[p.source for p in good]))
    except Exception:  # one bad page must not sink its batch: redo the batch page by page
        recs = [_extract_one(p, opts) for p in good]
    by_source = iter(recs)
    out = []
    for page in batch:
        rec = Record(id=page.id, source=page.source, errors=[page.error]) if page.error else next(by_source)
        if opts.get("keep_text"):
            rec.text = page.text
        out.append((rec.to_json(), rec.errors))
    return out


def _extract_one(page, opts: dict) -> Record:
    try:
        return _WORKER_EXTRACTOR.extract(page.text, id=page.id, source=page.source)
    except Exception as e:
        if opts.get("debug"):
            import traceback

            traceback.print_exc()
        return Record(id=page.id, source=page.source, errors=[f"internal error: {type(e).__name__}: {e}"])


def run_batch(args) -> int:
    sources = expand(args.paths)
    if args.max_bytes <= 0:
        raise UsageError("--max-bytes must be positive")
    t0 = time.perf_counter()
    options = {"keep_text": args.keep_text, "max_bytes": args.max_bytes, "debug": args.debug}
    n_pages = n_err = n_skipped = 0
    failed: list[str] = []
    try:
        writer = writer_for(args.output, args.format, resume=args.resume)
    except ValueError as e:
        raise UsageError(str(e)) from None
    with writer as out:
        if args.resume:
            before = len(sources)
            sources = [s for s in sources if page_id(s) not in out.done]
            n_skipped = before - len(sources)
        progress = Progress(len(sources), not args.no_progress)
        batches = _batches(sources, args.batch_size)
        if args.workers > 1:
            import multiprocessing as mp

            # the workers are forked from this process: freezing the objects made so far (spaCy's
            # modules) keeps the collector from touching, and so copying, their pages in each worker
            gc.freeze()
            pool = mp.get_context("fork").Pool(args.workers, initializer=_init_worker, initargs=(options,))
            results = pool.imap(_extract_batch, batches)  # ordered: records come back in input order
        else:
            pool = None
            _init_worker(options)
            results = map(_extract_batch, batches)
        try:
            for batch_out in results:
                for line, errors in batch_out:
                    out.write_line(line, flush=False)
                    n_pages += 1
                    if errors:
                        n_err += 1
                        failed.append(f"{json.loads(line)['source']}: {'; '.join(errors)}")
                    progress.step()
                out.flush()  # a batch at a time: on a kill, every line before the last batch is whole
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        progress.close()
    secs = time.perf_counter() - t0
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    rate = n_pages / secs if secs > 0 else 0.0
    skipped = f", {n_skipped} already in the output" if args.resume else ""
    print(f"{n_pages} pages, {n_pages} records, {n_err} pages with errors{skipped}, {secs:.2f} s, {rate:.1f} pages/s"
          f" -> {args.output}", file=sys.stderr)
    return 1 if n_err else 0


def run_train(args) -> int:
    """Deterministic: fixed split, sorted features, liblinear with a fixed seed, JSON output."""
    from pathlib import Path

    from .budget_model import train
    from .evaluation.gold import GOLD_PATH, load_gold, select
    from .paths import models_dir
    from .pipeline import build_nlp

    gold = select(load_gold(args.gold or GOLD_PATH), "dev")
    out = Path(args.out) if args.out else models_dir() / "budget_classifier.json"
    model = train(gold, build_nlp(), models_dir(), out)
    print(f"budget classifier: {model['examples']} examples ({model['positives']} budgets) from "
          f"{len(gold)} dev pages, {len(model['weights'])} weights -> {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "batch":
            return run_batch(args)
        if args.command == "train":
            return run_train(args)
        if args.command == "gold-to-spacy":
            from .evaluation.docbin import gold_to_docbin
            from .evaluation.gold import GOLD_PATH

            for path in gold_to_docbin(args.gold or GOLD_PATH, args.out, args.splits):
                print(f"wrote {path}", file=sys.stderr)
            return 0
    except UsageError as e:
        print(f"extract: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
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
