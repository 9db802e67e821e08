#!/usr/bin/env python3
"""Ours on B3 and B8 through a release `argo server` (gateway, services, controller, embedded
SQLite, local pods in one process), driven by `bench-load` (bench/load/src). Prints one JSON
line per row, like bench/local/run_local.py; nothing here asserts a figure.

Usage: run_load.py ARGO BENCH_LOAD RUNS WORKDIR [--only B3|B8] [--port 37100]
         [--b3-count 10000] [--b8-count 1000] [--b8-shape one-running|all-running|suspended|paused]
         [--b8-large 10000] [--b8-large-runs RUNS] [--b3-budget-s 0] [--b8-large-budget-s 0]
         [--sandbox none|namespaces] [--connections 16] [--workers 4]
(a budget in seconds, 0 for none: no new run starts once the last one would not fit in it)

Every run starts a fresh server on a fresh data directory (so runs do not see each other's
workflows) and stops it afterwards; pods left behind are killed by PID (the processes whose
command line names that data directory, and their descendants).

- B3: N one-step `/bin/true` workflows POSTed over C keep-alive connections; completed/s is the
  number that Succeeded over the time from the first POST to the list poll that saw all of them
  finished. Submit p50/p99 are per-POST latencies. The server's CPU time per workflow and peak
  RSS come from /proc.
- B8: the server's RSS idle (started, nothing submitted), then with N ten-node workflows running
  (`sleep`), and (RSS_N - RSS_idle) / N. Each local pod is processes (a detached supervisor and
  what it runs): they are counted, and their memory is not in the server's RSS. A size whose pods
  would not fit in the available memory is refused; shapes `suspended` (8 quick pods, then a
  suspend) and `paused` (nine suspend tasks, no pod at all) keep no pod running, and
  `--b8-large N` adds a row of N `paused` workflows (10,000 running pods do not fit in 23 GiB).
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def option(rest, name, default):
    return rest[rest.index(name) + 1] if name in rest else default


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{key} missing from /proc/{pid}/status")


def rss_or_zero(pid):
    """A process's RSS in KiB, 0 once it has exited (or as a zombie, which has none)."""
    try:
        return status_kib(pid, "VmRSS")
    except (OSError, RuntimeError):
        return 0


def pss_or_zero(pid):
    """A process's proportional set size in KiB (shared pages split among their users)."""
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes():
    """(pid, ppid, cmdline) of every process."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = open(f"/proc/{entry}/cmdline", "rb").read().replace(b"\0", b" ").decode()
            ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        found.append((int(entry), ppid, cmdline))
    return found


def pod_processes(data_dir, server_pid):
    """PIDs of the processes naming data_dir on their command line and their descendants,
    without the server itself."""
    table = processes()
    children = {}
    for pid, ppid, _ in table:
        children.setdefault(ppid, []).append(pid)
    roots = [pid for pid, _, cmd in table
             if data_dir in cmd and pid not in (server_pid, os.getpid())]
    seen, stack = set(), list(roots)
    while stack:
        pid = stack.pop()
        if pid in seen or pid == server_pid:
            continue
        seen.add(pid)
        stack.extend(children.get(pid, []))
    return sorted(seen)


class Server:
    def __init__(self, argo, data_dir, port, sandbox, workers):
        self.data_dir, self.port = data_dir, port
        subprocess.run(["rm", "-rf", data_dir], check=True)
        os.makedirs(data_dir)
        self.log = open(os.path.join(data_dir, "server.log"), "w")
        self.process = subprocess.Popen(
            [argo, "server", "--address", "127.0.0.1", "--port", str(port), "--secure=false",
             "--auth-mode", "server", "--sandbox", sandbox, "--api-rate-limit", "1000000000",
             "--workflow-workers", str(workers), "--data-dir", os.path.join(data_dir, "data"),
             "--loglevel", "warn"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"argo server exited {self.process.returncode}: {self.tail()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"argo server did not listen on {port} within 60 s")
                time.sleep(0.1)

    def tail(self):
        self.log.flush()
        return open(self.log.name).read()[-2000:]

    def rss_kib(self, samples=3):
        values = []
        for i in range(samples):
            if i:
                time.sleep(0.5)
            values.append(status_kib(self.process.pid, "VmRSS"))
        return statistics.median(values)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in pod_processes(self.data_dir, self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()
        subprocess.run(["rm", "-rf", self.data_dir], check=False)


def bench_load(binary, *args):
    done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench-load {args[0]} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def b3_run(argo, load, work, port, count, connections, sandbox, workers, index):
    server = Server(argo, os.path.join(work, f"b3-{index}"), port, sandbox, workers)
    try:
        cpu_before = cpu_seconds(server.process.pid)
        result = bench_load(load, "b3", "--port", port, "--run-id", f"b3-{index}",
                            "--count", count, "--connections", connections, "--timeout", 900)
        result["server_cpu_ms_per_wf"] = (cpu_seconds(server.process.pid) - cpu_before) / count * 1000
        result["server_peak_rss_mib"] = status_kib(server.process.pid, "VmHWM") / 1024
        return result
    except RuntimeError as error:
        raise RuntimeError(f"{error}\nserver log: {server.tail()}") from None
    finally:
        server.stop()


PODS_PER_WORKFLOW = {"one-running": 1, "all-running": 9, "suspended": 0, "paused": 0}
MIB_PER_POD = 8  # measured PSS of a running pod's six processes is about 5.5 MiB (debug build)


def check_memory(count, shape):
    """Refuses a B8 size whose pods would not fit in the memory available now."""
    need = count * PODS_PER_WORKFLOW[shape] * MIB_PER_POD
    available = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemAvailable:"))
    if need > available / 1024 * 0.6:
        raise RuntimeError(f"B8 --b8-count {count} --b8-shape {shape} needs about {need} MiB for its "
                           f"pods; {available // 1024} MiB available (use a smaller count or "
                           "--b8-shape paused)")


def b8_run(argo, load, work, port, count, connections, shape, sandbox, workers, index):
    check_memory(count, shape)
    data_dir = os.path.join(work, f"b8-{index}")
    server = Server(argo, data_dir, port, sandbox, workers)
    try:
        time.sleep(2)
        idle = server.rss_kib()
        result = bench_load(load, "b8", "--port", port, "--run-id", f"b8-{index}", "--count", count,
                            "--connections", connections, "--shape", shape, "--sleep", 1800)
        time.sleep(2)
        running = server.rss_kib()
        pods = pod_processes(data_dir, server.process.pid)
        pods_rss = sum(rss_or_zero(pid) for pid in pods)
        pods_pss = sum(pss_or_zero(pid) for pid in pods)
        result.update({"idle_rss_kib": idle, "running_rss_kib": running,
                       "kib_per_workflow": (running - idle) / count,
                       "pod_processes": len(pods), "pod_processes_rss_mib": pods_rss / 1024,
                       "pod_processes_pss_mib": pods_pss / 1024,
                       "processes_per_running_pod": len(pods) / max(1, result["running_pods"])})
        bench_load(load, "terminate", "--port", port, "--run-id", f"b8-{index}",
                   "--connections", connections)
        return result
    except RuntimeError as error:
        raise RuntimeError(f"{error}\nserver log: {server.tail()}") from None
    finally:
        server.stop()


def within_budget(runs, budget_s, one_run):
    """Up to `runs` runs of one_run(i); with a budget (seconds, 0 for none), no new run starts
    once the last one would not fit in what is left (at least one run)."""
    started, samples = time.monotonic(), []
    for i in range(runs):
        began = time.monotonic()
        samples.append(one_run(i))
        if budget_s and time.monotonic() - started + (time.monotonic() - began) > budget_s:
            break
    return samples


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main():
    argo, load, runs, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rest = sys.argv[5:]
    only = option(rest, "--only", None)
    port = int(option(rest, "--port", "37100"))
    sandbox = option(rest, "--sandbox", "none")
    connections = int(option(rest, "--connections", "16"))
    workers = int(option(rest, "--workers", "4"))
    b3_count = int(option(rest, "--b3-count", "10000"))
    b8_count = int(option(rest, "--b8-count", "1000"))
    shape = option(rest, "--b8-shape", "one-running")
    b8_large = int(option(rest, "--b8-large", "0"))
    b8_large_runs = int(option(rest, "--b8-large-runs", str(runs)))
    b3_budget = float(option(rest, "--b3-budget-s", "0"))
    b8_large_budget = float(option(rest, "--b8-large-budget-s", "0"))
    os.makedirs(work, exist_ok=True)
    common = {"peer": "ours", "sandbox": sandbox, "workflow_workers": workers, "runs": runs,
              "connections": connections}
    if only in (None, "B3"):
        row = {"name": f"B3 ours (argo server, REST, {connections} connections)", "bench": "B3",
               "count": b3_count, "smoke": b3_count < 10000, "goal_per_s": 400, **common}
        try:
            samples = within_budget(runs, b3_budget, lambda i: b3_run(
                argo, load, work, port, b3_count, connections, sandbox, workers, i))
            rates = [s["completed_per_s"] for s in samples]
            row.update({"samples": samples, "runs": len(samples), "runs_asked": runs, "completed_per_s": spread(rates),
                        "submit_p50_ms": statistics.median(s["submit_p50_ms"] for s in samples),
                        "submit_p99_ms": statistics.median(s["submit_p99_ms"] for s in samples),
                        "failed": sum(s["failed"] for s in samples),
                        "server_cpu_ms_per_wf": statistics.median(s["server_cpu_ms_per_wf"] for s in samples),
                        "server_peak_rss_mib": max(s["server_peak_rss_mib"] for s in samples)})
        except RuntimeError as error:
            row["error"] = str(error)
        print(json.dumps(row), flush=True)
    b8_sizes = [(b8_count, shape, 1000, runs, 0)]
    b8_sizes += [(b8_large, "paused", 10000, b8_large_runs, b8_large_budget)] if b8_large else []
    for count, form, full, form_runs, budget in b8_sizes if only in (None, "B8") else []:
        row = {"name": f"B8 ours (argo server, {form})", "bench": "B8", "count": count,
               "shape": form, "smoke": count < full, "goal_kib_per_workflow": 16,
               "goal_idle_mib": 30, **common, "runs": form_runs}
        try:
            samples = within_budget(form_runs, budget, lambda i: b8_run(
                argo, load, work, port, count, connections, form, sandbox, workers, i))
            row["runs"] = len(samples)
            row.update({"samples": samples,
                        "idle_rss_mib": spread([s["idle_rss_kib"] / 1024 for s in samples]),
                        "running_rss_mib": spread([s["running_rss_kib"] / 1024 for s in samples]),
                        "kib_per_workflow": spread([s["kib_per_workflow"] for s in samples]),
                        "pod_processes": statistics.median(s["pod_processes"] for s in samples),
                        "pod_processes_rss_mib": statistics.median(
                            s["pod_processes_rss_mib"] for s in samples),
                        "pod_processes_pss_mib": statistics.median(
                            s["pod_processes_pss_mib"] for s in samples),
                        "processes_per_running_pod": statistics.median(
                            s["processes_per_running_pod"] for s in samples)})
        except RuntimeError as error:
            row["error"] = str(error)
        print(json.dumps(row), flush=True)

if __name__ == "__main__":
    main()
