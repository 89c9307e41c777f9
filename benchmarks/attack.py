"""Issue 16's targets: a real `docqa serve` under slow, idle and huge-header connections, and the rate limiter at a million clients.

    python benchmarks/attack.py [--sockets 500] [--senders 4] [--header-mb 100] [--seconds 30] [--asks 200] [--index DIR] [--json]
    python benchmarks/attack.py --limiter-only

Part 1 (the server): starts `docqa serve` (indexing the bundled corpus when DIR holds no index),
measures one normal client's `/api/ask` latency alone (`--asks` sequential questions), then again
while `--sockets` attacking connections stay open (half idle, half sending a partial request one
byte a second; each one the server closes is replaced at once) and `--senders` threads each send a
`--header-mb` header over and over. It prints p50/p99 alone and under attack and their ratio, the
server's memory growth (peak during the attack, sampled every 0.2 s, minus before), and how long
the server let each attacking socket live against DOCQA_REQUEST_TIMEOUT_SECONDS.

Part 2 (the limiter, in this process): `--clients` (1,000,000) distinct IPv4 clients through
`client_key` + `ClientRateLimiter.take`, then the same clients again; prints the limiter's memory
(its arrays, and this process's RSS growth) and the time per request.

Targets: ask p99 under attack ≤ 2× alone; memory growth ≤ 50 MB; every attacking socket closed
within the request deadline (+ 1 s linger for a refused one); limiter < 50 MB and < 5 µs per request.
The attack runs in a process of its own (one thread for all the sockets, one per sender), at CPU
niceness `--attacker-nice` (10): it stands in for attackers on other machines, yet on a small machine
it still takes CPU from the server and the measuring client (both run at normal priority).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, percentiles  # noqa: E402
from _server import free_port, rss_mb, start, stop, wait_answering  # noqa: E402

QUESTIONS = ["When does ERA PerMed start?", "How many members does ICPerMed have?", "Who is the observer in ICPerMed?",
             "How many research activities does the Action Plan list?", "What is personalised medicine?"]  # fmt: skip
PARTIAL = b"GET /healthz HTTP/1.1\r\nHost: attacker\r\nX-Slow: "


def ask_latencies(base: str, count: int) -> list[float]:
    import httpx

    samples = []
    with httpx.Client(timeout=60) as client:
        for n in range(count):
            started = time.perf_counter()
            response = client.post(f"{base}/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
            samples.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"/api/ask answered {response.status_code} to the normal client")
    return samples


class SlowAndIdle(threading.Thread):
    """`count` sockets, half idle and half trickling a partial request; each closed one is replaced."""

    def __init__(self, port: int, count: int) -> None:
        super().__init__(daemon=True)
        self.port, self.count = port, count
        self.stop = threading.Event()
        self.lifetimes: list[float] = []
        self.failed_connects = 0
        self.open_at_end = 0

    def _open(self, selector: selectors.BaseSelector, slow: bool) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        except OSError:
            self.failed_connects += 1
            return
        sock.setblocking(False)
        if slow:
            sock.send(PARTIAL)
        selector.register(sock, selectors.EVENT_READ, (time.monotonic(), slow))

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        for n in range(self.count):
            self._open(selector, slow=n % 2 == 1)
        next_trickle = time.monotonic() + 1
        while not self.stop.is_set():
            for key, _ in selector.select(timeout=0.2):
                sock, (opened, slow) = key.fileobj, key.data
                try:
                    if sock.recv(65536):
                        continue  # a 408: the close follows
                except BlockingIOError:
                    continue
                except OSError:
                    pass
                self.lifetimes.append(time.monotonic() - opened)
                selector.unregister(sock)
                sock.close()
                self._open(selector, slow)
            if time.monotonic() >= next_trickle:
                next_trickle += 1
                for key in list(selector.get_map().values()):
                    if key.data[1]:
                        try:
                            key.fileobj.send(b"x")
                        except OSError:
                            pass
        self.open_at_end = len(selector.get_map())
        for key in list(selector.get_map().values()):
            key.fileobj.close()


class HugeHeaders(threading.Thread):
    """Sends a `megabytes` MB header again and again; records each connection's answer and lifetime."""

    def __init__(self, port: int, megabytes: int) -> None:
        super().__init__(daemon=True)
        self.port, self.size = port, megabytes * 1024 * 1024
        self.stop = threading.Event()
        self.lifetimes: list[tuple[str, float]] = []  # (the server's answer, how long the connection lived)
        self.sent_mb = 0.0

    def run(self) -> None:
        block = b"a" * (1024 * 1024)
        while not self.stop.is_set():
            opened = time.monotonic()
            try:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            except OSError:
                time.sleep(0.1)
                continue
            sent = 0
            try:
                sock.sendall(PARTIAL)
                while sent < self.size and not self.stop.is_set():
                    sock.sendall(block)
                    sent += len(block)
                answer = sock.recv(200)
            except OSError:
                answer = b""
                try:
                    answer = sock.recv(200)  # the answer may be waiting behind the reset
                except OSError:
                    pass
            status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/1.1 ") else "closed"
            self.lifetimes.append((status, time.monotonic() - opened))
            self.sent_mb += sent / 1024 / 1024
            sock.close()


def run_attackers(port: int, sockets: int, senders: int, header_mb: int, seconds: float, nice: int, results: "multiprocessing.Queue") -> None:
    """The attack, in its own process (so the measuring client does not share a GIL with it)."""
    os.nice(nice)
    slow = SlowAndIdle(port, sockets)
    huge = [HugeHeaders(port, header_mb) for _ in range(senders)]
    for thread in (slow, *huge):
        thread.start()
    time.sleep(seconds)
    for thread in (slow, *huge):
        thread.stop.set()
    for thread in (slow, *huge):
        thread.join(30)
    results.put({"slow_lifetimes": slow.lifetimes, "failed_connects": slow.failed_connects,
                 "huge_lifetimes": [pair for s in huge for pair in s.lifetimes], "sent_mb": sum(s.sent_mb for s in huge)})  # fmt: skip


def attack(args: argparse.Namespace) -> dict:
    import multiprocessing

    from docqa.config import Settings

    deadline = Settings().request_timeout_seconds  # what the server reads too (DOCQA_REQUEST_TIMEOUT_SECONDS)
    work = Path(tempfile.mkdtemp(prefix="docqa-attack-"))
    index = Path(args.index) if args.index else work / "index"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(index, port=port)
    try:
        wait_answering(base, server)
        ask_latencies(base, 20)  # warm-up
        alone = ask_latencies(base, args.asks)
        rss_before = rss_mb(server.pid)
        peak = [rss_before]
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(0.2):
                peak[0] = max(peak[0], rss_mb(server.pid))

        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        attacker = context.Process(
            target=run_attackers, args=(port, args.sockets, args.senders, args.header_mb, args.seconds + 4, args.attacker_nice, results)
        )
        attacker.start()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        time.sleep(2)  # the attack in place
        loaded: list[float] = []
        ends = time.monotonic() + args.seconds
        while time.monotonic() < ends:
            loaded += ask_latencies(base, 10)
        attack_result = results.get(timeout=120)
        attacker.join(30)
        sampling.set()
        sampler.join()
        time.sleep(0.5)
        rss_after = rss_mb(server.pid)
    finally:
        stop(server)
    slow_lives = sorted(attack_result["slow_lifetimes"])
    huge = attack_result["huge_lifetimes"]
    answers: dict[str, int] = {}
    for status, _ in huge:
        answers[status] = answers.get(status, 0) + 1
    # A sender stopped at the end of the run leaves a partial head behind: the server answers it 408 at the deadline.
    refused_lives = sorted(t for status, t in huge if status != "408")
    return {
        "deadline_s": deadline,
        "attacker_nice": args.attacker_nice,
        "ask_alone_ms": percentiles(alone),
        "ask_under_attack_ms": percentiles(loaded),
        "asks_under_attack": len(loaded),
        "p99_ratio": percentiles(loaded)["p99"] / percentiles(alone)["p99"],
        "rss_before_mb": rss_before,
        "rss_peak_mb": peak[0],
        "rss_after_mb": rss_after,
        "slow_idle_sockets_closed": len(slow_lives),
        "slow_idle_lifetime_max_s": slow_lives[-1] if slow_lives else None,
        "slow_idle_lifetime_p50_s": slow_lives[len(slow_lives) // 2] if slow_lives else None,
        "slow_idle_failed_connects": attack_result["failed_connects"],
        "huge_header_connections": len(huge),
        "huge_header_lifetime_max_s": refused_lives[-1] if refused_lives else None,
        "huge_header_answers": answers,
        "huge_header_mb_sent": round(attack_result["sent_mb"]),
    }


def limiter(clients: int) -> dict:
    from docqa.server.rate_limit import ClientRateLimiter, RateLimit, client_key

    rng = random.Random(0)
    addresses = [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}" for _ in range(clients)]
    rss_before = rss_mb(os.getpid(), children=False)
    started = time.perf_counter()
    limits = ClientRateLimiter(RateLimit(30, 60.0), clients=clients)
    allocated_s = time.perf_counter() - started
    timings = []
    for _ in range(2):  # new clients, then the same clients again
        started, cpu = time.perf_counter(), time.process_time()
        for address in addresses:
            limits.take(client_key(address))
        timings.append(((time.perf_counter() - started) / clients * 1e6, (time.process_time() - cpu) / clients * 1e6))
    return {
        "clients": clients,
        "remembered": limits.clients,
        "replaced": limits.replaced,
        "arrays_mb": limits.memory_bytes / 1024 / 1024,
        "rss_growth_mb": rss_mb(os.getpid(), children=False) - rss_before,
        "allocate_s": allocated_s,
        "us_per_request_new_clients": timings[0][0],
        "us_per_request_known_clients": timings[1][0],
        "cpu_us_per_request_new_clients": timings[0][1],
        "cpu_us_per_request_known_clients": timings[1][1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--header-mb", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--asks", type=int, default=200)
    parser.add_argument("--attacker-nice", type=int, default=10, help="CPU niceness of the attacking process (it stands in for another machine)")
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--index", help="index directory (default: a fresh one with the bundled corpus)")
    parser.add_argument("--limiter-only", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict = {"machine": machine()}
    if not args.limiter_only:
        result["server"] = attack(args)
    result["limiter"] = limiter(args.clients)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(result["machine"])
    if "server" in result:
        s = result["server"]
        a, b = s["ask_alone_ms"], s["ask_under_attack_ms"]
        print(f"/api/ask alone:        p50 {a['p50']:.1f} ms  p99 {a['p99']:.1f} ms")
        print(f"attack: {args.sockets} slow/idle sockets + {args.senders} senders of {args.header_mb} MB headers for {args.seconds:g} s, attacker nice {s['attacker_nice']}")
        print(f"/api/ask under attack: p50 {b['p50']:.1f} ms  p99 {b['p99']:.1f} ms  ({s['asks_under_attack']} asks)  p99 ratio {s['p99_ratio']:.2f} (target ≤ 2)")
        print(f"server RSS: before {s['rss_before_mb']:.0f} MB, peak {s['rss_peak_mb']:.0f} MB (+{s['rss_peak_mb'] - s['rss_before_mb']:.0f}, target ≤ 50), after {s['rss_after_mb']:.0f} MB")
        print(f"slow/idle sockets closed by the server: {s['slow_idle_sockets_closed']}, lifetime p50 {s['slow_idle_lifetime_p50_s']:.1f} s, "
              f"max {s['slow_idle_lifetime_max_s']:.1f} s (deadline {s['deadline_s']:g} s); failed connects {s['slow_idle_failed_connects']}")
        print(f"huge-header connections: {s['huge_header_connections']} ({s['huge_header_mb_sent']} MB sent), answers {s['huge_header_answers']}, "
              f"lifetime max {s['huge_header_lifetime_max_s']:.2f} s (the 408s: senders stopped mid-head at the end of the run)")
    lim = result["limiter"]
    print(f"limiter: {lim['clients']:,} clients ({lim['remembered']:,} remembered, {lim['replaced']:,} replaced): arrays {lim['arrays_mb']:.0f} MB, "
          f"RSS +{lim['rss_growth_mb']:.0f} MB (target < 50); per request (client_key + take; target < 5 µs): new clients "
          f"{lim['us_per_request_new_clients']:.2f} µs ({lim['cpu_us_per_request_new_clients']:.2f} µs CPU), known clients "
          f"{lim['us_per_request_known_clients']:.2f} µs ({lim['cpu_us_per_request_known_clients']:.2f} µs CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
