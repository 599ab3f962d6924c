"""Page times of the roadmap views on the real data, through a running ``veikart-graph serve``.

Each page is fetched once to warm up, then ``--repeat`` times one after another (one client, so
the numbers are latencies, not throughput); the table gives min, median and p95 in milliseconds
and the page size. Bounded: every request has a timeout and the whole run stops after
``--timeout`` seconds.

Example (a server on the real data in another terminal: ``veikart-graph serve --port 8731``):

    python3 bench/page_times.py --base http://127.0.0.1:8731 --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request

PAGES = {
    "home": "/",
    "goal page (mål 2)": "/veikart/mal/2",
    "sub-goal page (2D)": "/veikart/delmal/2b",
    "timeline (263 deliveries)": "/veikart/tidslinje",
    "timeline, goal 1 tentative": "/veikart/tidslinje?mal=1&status=tentativ",
    "search 'fullmakt'": "/search?q=fullmakt",
    "search by Leveranse-ID": "/search?q=56876000020107079",
    "delivery page": "/page/id/leveranse/56876000020107079",
}


def fetch(url: str, timeout: float) -> tuple[float, int]:
    """Seconds until the whole body is read, and its size in bytes."""
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        size = len(response.read())
    return time.perf_counter() - start, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="server base URL (default :8000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--timeout", type=float, default=300, help="stop after this many seconds (default 300)")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.timeout
    print("| page | path | min ms | median ms | p95 ms | bytes |\n|---|---|---:|---:|---:|---:|")
    medians = []
    for name, path in PAGES.items():
        print(f"  {name} ...", file=sys.stderr)
        fetch(args.base + path, 30)
        times, size = [], 0
        for _ in range(args.repeat):
            if time.monotonic() > deadline:
                print("timeout: stopped early", file=sys.stderr)
                return 1
            seconds, size = fetch(args.base + path, 30)
            times.append(seconds * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        medians.append((name, statistics.median(times)))
        print(f"| {name} | `{path}` | {times[0]:.1f} | {statistics.median(times):.1f} | {p95:.1f} | {size} |")
    print("summary: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in medians) + " (medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
