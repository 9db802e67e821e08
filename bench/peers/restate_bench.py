"""Restate 1.7 server + TS SDK 1.9.1 on B1/B2 (durable: a journal entry per ctx.run).

Starts restate-server (fresh base dir under bench/.work/restate-data, non-default ports so it
does not collide with anything else) and the Node service, registers the deployment, then times
each invocation from POST to response. Both processes are killed by PID and checked gone.
Usage: restate_bench.py WORKDIR WORKLOAD SIZE RUNS. Prints {"samples": [...]}.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

INGRESS, ADMIN, SERVICE, FABRIC = 18080, 19070, 19080, 15122


def http(method, url, body=None, timeout=600):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def wait_until(check, what, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            check()
            return
        except Exception:  # noqa: BLE001 - any failure means "not up yet"
            time.sleep(0.2)
    raise SystemExit(f"restate: {what} did not come up in {seconds} s")


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if os.path.exists(f"/proc/{proc.pid}") and proc.poll() is None:
        raise SystemExit(f"restate: process {proc.pid} still alive")


def main():
    work, workload, size, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    here = os.path.dirname(os.path.abspath(__file__))
    base = os.path.join(os.path.dirname(work), "restate-data")
    shutil.rmtree(base, ignore_errors=True)
    binary = os.path.join(work, "node_modules/@restatedev/restate-server-linux-x64/bin/restate-server")
    env = dict(os.environ,
               RESTATE_BASE_DIR=base,
               RESTATE_INGRESS__BIND_ADDRESS=f"127.0.0.1:{INGRESS}",
               RESTATE_ADMIN__BIND_ADDRESS=f"127.0.0.1:{ADMIN}",
               RESTATE_BIND_ADDRESS=f"127.0.0.1:{FABRIC}",
               RESTATE_ADVERTISED_ADDRESS=f"http://127.0.0.1:{FABRIC}",
               RESTATE_LOG_FILTER="error")
    log = open(os.path.join(os.path.dirname(work), "restate-server.log"), "w")
    server = subprocess.Popen([binary], env=env, stdout=log, stderr=log)
    service = None
    try:
        wait_until(lambda: http("GET", f"http://127.0.0.1:{ADMIN}/health"), "server")
        svc_env = dict(os.environ, RESTATE_BENCH_PORT=str(SERVICE),
                       NODE_PATH=os.path.join(work, "node_modules"))
        script = os.path.join(work, "restate_service.mjs")
        shutil.copy(os.path.join(here, "restate_service.mjs"), script)
        service = subprocess.Popen(["node", script], env=svc_env, stdout=log, stderr=log)
        wait_until(lambda: http("POST", f"http://127.0.0.1:{ADMIN}/deployments",
                                {"uri": f"http://127.0.0.1:{SERVICE}", "force": True}),
                   "deployment registration")
        wait_until(lambda: http("POST", f"http://127.0.0.1:{INGRESS}/bench/chain", 1), "ingress")
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            out = json.loads(http("POST", f"http://127.0.0.1:{INGRESS}/bench/{workload}", size))
            samples.append(time.perf_counter() - start)
            if out != size:
                raise SystemExit(f"restate: handler returned {out}, expected {size}")
        print(json.dumps({"samples": samples}))
    finally:
        if service is not None:
            stop(service)
        stop(server)


if __name__ == "__main__":
    main()
