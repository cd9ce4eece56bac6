"""Command line: `python -m extract batch PATH... -o OUT.jsonl` (also the `extract` script).

Exit status: 0 every page gave a record without errors; 1 some pages had errors (all other
records still written); 2 usage error (missing path, unknown option), one line, no traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from .io.lock import OutputBusy, OutputLock
from .io.readers import DEFAULT_MAX_BYTES
from .io.sources import UsageError, discover, printable
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
                   ".jsonl/.ndjson, .csv, .sqlite/.db, .xml)")
    t = sub.add_parser("train", help="rebuild every trained artefact under models/ from annotations/ (dev and dev2)")
    t.add_argument("--gold", default=None, help="gold JSONL (default annotations/gold.jsonl)")
    t.add_argument("--out", default=None, help="model file (default models/prose_models.json)")
    t.add_argument("--confidence-out", default=None, help="confidence model (default models/confidence.json)")
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


def check_output(path: str, fmt: str, inputs: list[str]) -> None:
    """Everything that would make the run fail at its end or destroy input, said before it starts."""
    if path == "-":
        return
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise UsageError(f"-o {printable(path)}: is a directory; name a file")
    parent = os.path.dirname(os.path.abspath(path))
    probe = parent
    while not os.path.exists(probe):  # the nearest existing ancestor must be a writable directory
        probe = os.path.dirname(probe)
    if not os.path.isdir(probe):
        raise UsageError(f"-o {printable(path)}: {printable(probe)} is not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"-o {printable(path)}: cannot write in {printable(probe)}")
    if os.path.exists(path) and not os.access(path, os.W_OK) and fmt == "sqlite":
        raise UsageError(f"-o {printable(path)}: the file is not writable")
    written = {os.path.realpath(p) for p in output_paths(path, fmt)}
    for src in inputs:
        if src != "-" and os.path.realpath(src) in written:
            raise UsageError(f"-o {printable(path)} would overwrite the input {printable(src)}")


def run_batch(args) -> int:
    try:
        fmt = output_format(args.output, args.format)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.resume and args.output == "-":
        raise UsageError("--resume needs an output file, not -")
    found = discover(args.paths, follow_symlinks=args.follow_symlinks)
    sources = found.sources
    check_output(args.output, fmt, [s.path for s in sources])
    t0 = time.perf_counter()
    lock = OutputLock(args.output) if args.output != "-" else None
    if lock is not None:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
            lock.acquire()
        except OutputBusy as e:
            raise UsageError(f"-o {printable(args.output)}: {e}; wait for it or choose another output") from None
        except OSError as e:
            raise UsageError(f"-o {printable(args.output)}: {e.strerror or e}") from None
    options = {"keep_text": args.keep_text, "max_bytes": args.max_bytes, "debug": args.debug}
    n_pages = n_err = n_warn = n_skipped = 0
    failed: list[str] = []
    try:
        try:
            writer = writer_for(args.output, fmt, resume=args.resume, min_confidence=args.min_confidence)
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
                    n_skipped = before - len(sources)
                progress = Progress(len(sources), not args.no_progress)
                for batch in runner.run(sources):
                    for o in batch:
                        out.write(o.record)
                        n_pages += 1
                        if o.failed:
                            n_err += 1
                            failed.append(f"{printable(o.source)}: {'; '.join(o.errors)}")
                        elif o.errors:
                            n_warn += 1
                    out.flush()  # a batch at a time: on a kill, every line before the last batch is whole
                    progress.step(len(batch))
                progress.close()
        except (Interrupted, KeyboardInterrupt):
            kept = f"; {n_pages} records kept in {printable(args.output)}.tmp (--resume completes it)" \
                if fmt == "jsonl" and args.output != "-" else ""
            print(f"extract: interrupted{kept}", file=sys.stderr)
            return 130
    finally:
        if lock is not None:
            lock.release()
    secs = time.perf_counter() - t0
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    for line in found.problems:
        print(f"error: {line}", file=sys.stderr)
    rate = n_pages / secs if secs > 0 else 0.0
    extra = ""
    if args.resume:
        extra += f", {n_skipped} already in the output"
    if n_warn:
        extra += f", {n_warn} with warnings"
    if found.problems:
        extra += f", {len(found.problems)} director{'y' if len(found.problems) == 1 else 'ies'} not read"
    if runner.timeouts:
        extra += f", {runner.timeouts} timed out"
    print(f"{n_pages} pages, {n_pages} records, {n_err} pages with errors{extra}, {secs:.2f} s, {rate:.1f} pages/s"
          f" -> {printable(args.output)}", file=sys.stderr)
    skipped = []
    if found.links_skipped:
        skipped.append(f"{found.links_skipped} symbolic links leaving their input directory (--follow-symlinks follows them)")
    if found.broken_links:
        skipped.append(f"{found.broken_links} broken symbolic links")
    if found.loops_skipped:
        skipped.append(f"{found.loops_skipped} directories reached a second time (link loops)")
    if skipped:
        print("skipped: " + "; ".join(skipped), file=sys.stderr)
    return 1 if n_err or found.problems else 0


def run_train(args) -> int:
    """Deterministic: fixed splits, sorted features, liblinear with a fixed seed, JSON output."""
    from pathlib import Path

    from .evaluation.gold import GOLD_PATH, load_gold, select
    from .paths import models_dir
    from .prose.train import train

    gold = load_gold(args.gold or GOLD_PATH)
    pages = select(gold, "dev") + select(gold, "dev2")
    out = Path(args.out) if args.out else models_dir() / "prose_models.json"
    result = train(pages, models_dir(), out)
    for name in ("budget", "start", "end", "duration"):
        r = result[name]
        chosen = r["cv"][r["chosen"]]
        print(f"{name}: {r['chosen']}; cross-validated F1 {chosen['f']:.3f} (news {chosen['news']['f']:.3f}), "
              f"rules {r['cv']['rules']['f']:.3f} (news {r['cv']['rules']['news']['f']:.3f}); "
              f"{r['examples']} candidates, {r['positives']} positive", file=sys.stderr)
    print(f"-> {out} ({result['pages']} pages)", file=sys.stderr)
    conf_out = Path(args.confidence_out) if args.confidence_out else models_dir() / "confidence.json"
    model = train_confidence(pages, models_dir(), conf_out)
    print(f"confidence: {model['values']} values ({model['wrong']} wrong) of {len(pages)} pages; out of fold "
          f"ECE {model['out_of_fold']['ece']:.4f}, Brier {model['out_of_fold']['brier']:.4f} -> {conf_out}",
          file=sys.stderr)
    return 0


def train_confidence(pages: list[dict], data_dir, out):
    """The confidence model, from the records the pipeline (with the prose models just built) gives
    the dev and dev2 pages."""
    from .components.confidence import page_info
    from .confidence import train
    from .pipeline import build_nlp

    nlp = build_nlp(data_dir, confidence=False)
    rows = []
    for g in pages:
        doc = nlp.make_doc(g["text"])
        doc.user_data["iom_text"] = g["text"]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        rows.append((g["id"], doc._.record.to_dict(), g["record"], page_info(doc)))
    return train(rows, out, data_dir / "confidence_priors.json")


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
