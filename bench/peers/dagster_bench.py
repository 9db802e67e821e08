"""Dagster on B1/B2: a graph of aliases of one op running /bin/true.

Durable: DagsterInstance.get() with DAGSTER_HOME set (SQLite run, event and schedule storage).
execute_in_process runs ops serially in-process (Dagster's natural single-process mode).
Timed from execute_in_process call to return. Prints {"samples": [...]}.
"""
import json
import subprocess
import sys
import time

from dagster import (
    DagsterInstance,
    DependencyDefinition,
    GraphDefinition,
    In,
    NodeInvocation,
    Nothing,
    op,
)


@op(ins={"after": In(Nothing)})
def step():
    subprocess.run(["/bin/true"], check=True)


def build(workload, size):
    names = [f"s{i}" for i in range(size)]
    deps = {NodeInvocation("step", alias=n): {} for n in names}
    if workload == "chain":
        for prev, cur in zip(names, names[1:]):
            deps[NodeInvocation("step", alias=cur)] = {"after": DependencyDefinition(prev)}
    return GraphDefinition(name=f"{workload}_{size}", node_defs=[step], dependencies=deps).to_job()


def main():
    workload, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    job = build(workload, size)
    instance = DagsterInstance.get()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = job.execute_in_process(instance=instance)
        samples.append(time.perf_counter() - start)
        if not result.success:
            raise SystemExit("dagster run failed")
    print(json.dumps({"samples": samples}))


if __name__ == "__main__":
    main()
