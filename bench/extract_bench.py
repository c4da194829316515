"""Benchmark: the action extractor against a naive prefix-regex + dateparser pass.

Builds a minutes document of --lines lines (default 20,000) by repeating the seed and corpus
minutes in tests/fixtures/minutes with the people's names and the years varied from copy to copy
(or reads --file), then times:

  * extract_actions over the whole document (cold caches);
  * the naive pass as specified: a per-line ``^\\s*actions?\\s*:`` regex, then
    ``dateparser.search_dates`` on each matching line with default settings (dateparser then
    tries every language it knows, ~0.2 s a line, so by default it is timed on the first
    --naive-lines lines and reported as a rate);
  * the same naive pass with ``languages=["en"]`` over the whole document (a stronger baseline).

CPU time (time.process_time) is used for the rates, so other work on a shared machine does not
distort them. Peak memory of extract_actions is measured in a separate run under tracemalloc.

    .venv/bin/python bench/extract_bench.py [--lines 20000] [--naive-lines 2000] [--file PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dateparser.search import search_dates  # noqa: E402

from handlers import dates as dates_module  # noqa: E402
from handlers.extraction import extract_actions, owner_phrases  # noqa: E402

MINUTES = ROOT / "tests" / "fixtures" / "minutes"
SOURCES = [
    "000_717cd511edc6698e.txt", "001_b9237d940a0cce76.txt", "004_3871c6b220084447.txt",
    "northwold-whittington-pc-2017-04-04.txt", "wereham-pc-2014-07-08.txt",
    "west-dereham-pc-2006-07-13.txt", "west-dereham-pc-2008-09-18.txt",
]  # fmt: skip
PEOPLE = [
    "Jade Hodgson", "Angie Fuller", "Jonathon Toy", "Fiona Taylor", "Rita Chadha", "Chris Bush",
    "Teresa DeVito", "Tom Hook", "Dan James", "Penny Pyke", "Matthew Cole", "Tim Barfoot",
    "Steve Thompson", "Stephen Norman", "Greg Tillett", "Melody Williams", "Vikki Rix",
]  # fmt: skip
FIRST = ["Aisha", "Gareth", "Priya", "Owen", "Sian", "Kwame", "Ruth", "Callum", "Nadia", "Ewan"]
LAST = ["Patel", "Evans", "Hughes", "Okafor", "Byrne", "Walsh", "Lloyd", "Reid", "Shah", "Kerr"]
NAIVE_PREFIX = re.compile(r"^\s*actions?\s*:", re.IGNORECASE)
MEETING = dt.date(2018, 3, 20)


def _vary(text: str, copy: int) -> str:
    """One copy of the minutes with its people renamed and its years moved."""
    for n, name in enumerate(PEOPLE):
        first = FIRST[(n + copy) % len(FIRST)]
        last = LAST[(n * 3 + copy) % len(LAST)]
        text = text.replace(name, f"{first} {last}")
    shift = copy % 7
    return re.sub(r"\b(20[01]\d)\b", lambda m: str(int(m.group(1)) + shift), text)


def build_document(lines: int) -> str:
    """A minutes document of exactly ``lines`` lines made from varied copies of the fixtures."""
    texts = [(MINUTES / name).read_text(encoding="utf-8") for name in SOURCES]
    out: list[str] = []
    for copy in itertools.count():
        for text in texts:
            out.extend(_vary(text, copy).splitlines())
            out.append("")
            if len(out) >= lines:
                return "\n".join(out[:lines])
    raise AssertionError("unreachable")


def naive_pass(text: str, **settings: object) -> int:
    """Prefix regex per line, then dateparser.search_dates on every matching line."""
    found = 0
    for line in text.splitlines():
        if NAIVE_PREFIX.match(line):
            search_dates(line, **settings)  # type: ignore[arg-type]
            found += 1
    return found


def _cold_caches() -> None:
    dates_module._dateparser.cache_clear()
    owner_phrases._verdict.cache_clear()
    owner_phrases._split.cache_clear()


def _timed(call: Callable[[], int]) -> tuple[float, int]:
    started = time.process_time()
    result = call()
    return time.process_time() - started, result


def _measure(text: str, sample: str) -> dict[str, tuple[float, int]]:
    """CPU seconds and counts for the extractor and both naive passes."""
    search_dates("warm up by Friday", languages=["en"])  # load dateparser's data once for all
    search_dates("warm up by Friday")
    extract_actions("ACTION: Tom Hook to report by Friday", meeting_date=MEETING)
    _cold_caches()
    return {
        "mine": _timed(lambda: len(extract_actions(text, meeting_date=MEETING))),
        "en": _timed(lambda: naive_pass(text, languages=["en"])),
        "naive": _timed(lambda: naive_pass(sample)),
    }


def _peak_memory(text: str) -> int:
    _cold_caches()
    tracemalloc.start()
    extract_actions(text, meeting_date=MEETING)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _report(lines: int, chars: int, sample_lines: int, runs: dict[str, tuple[float, int]],
            peak: int) -> None:
    (mine_s, mine_n), (en_s, en_n), (naive_s, naive_n) = runs["mine"], runs["en"], runs["naive"]
    mine_rate, en_rate, naive_rate = lines / mine_s, lines / en_s, sample_lines / naive_s
    print(f"document: {lines:,} lines, {chars:,} characters")
    print(f"extract_actions:           {mine_rate:12,.0f} lines/s  ({mine_s:.2f} s CPU, "
          f"{mine_n:,} actions)")
    print(f"naive (search_dates):      {naive_rate:12,.0f} lines/s  ({naive_s:.2f} s CPU over "
          f"{sample_lines:,} lines, {naive_n:,} prefix lines)")
    print(f"naive (languages=['en']): {en_rate:12,.0f} lines/s  ({en_s:.2f} s CPU, "
          f"{en_n:,} prefix lines)")
    print(f"speed ratio vs naive as specified: {mine_rate / naive_rate:,.1f}x")
    print(f"speed ratio vs naive with languages=['en']: {mine_rate / en_rate:,.1f}x")
    print(f"peak memory of extract_actions (tracemalloc): {peak / 1_048_576:.1f} MiB")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--naive-lines", type=int, default=2_000,
                        help="lines timed for the default-settings naive pass (0 = all)")
    parser.add_argument("--file", type=Path, help="read this document instead of building one")
    args = parser.parse_args()
    text = args.file.read_text(encoding="utf-8") if args.file else build_document(args.lines)
    lines = text.split("\n")
    sample = "\n".join(lines[: args.naive_lines]) if args.naive_lines else text
    runs = _measure(text, sample)
    _report(len(lines), len(text), len(sample.split("\n")), runs, _peak_memory(text))


if __name__ == "__main__":
    main()
