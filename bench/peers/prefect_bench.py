"""Prefect 3.8.8 on B1/B2: one flow per shape, each task runs /bin/true.

Durable: the ephemeral local API server on SQLite under PREFECT_HOME (bench/.work/prefect-home).
A warm-up flow starts that server first, so each timed run is flow call -> flow returned.
Prints one JSON line: {"samples": [seconds, ...]}.
"""
import json
import subprocess
import sys
import time

from prefect import flow, task


@task
def step(i):
    subprocess.run(["/bin/true"], check=True)
    return i + 1


@flow
def warmup():
    return 0


@flow
def chain(size: int):
    x = 0
    for _ in range(size):
        x = step(x)
    return x


@flow
def fanout(size: int):
    futures = step.map(range(size))
    return [f.result() for f in futures]


def main():
    workload, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    warmup()
    body = chain if workload == "chain" else fanout
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        body(size)
        samples.append(time.perf_counter() - start)
    print(json.dumps({"samples": samples}))


if __name__ == "__main__":
    main()
