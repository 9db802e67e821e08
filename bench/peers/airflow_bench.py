"""Airflow 3 (standalone, SQLite, LocalExecutor) on B1 (optionally B2): BashOperator("true").

Slow (minutes per run), so the harness only runs it behind --with-airflow. Starts
`airflow standalone` with AIRFLOW_HOME under bench/.work/airflow-home (api-server on a
non-default port), triggers the DAG, and reads run start/end from the dag_run table (the
notes' definition: run started -> run finished). Every process of the standalone tree is killed
by PID at the end. Usage: airflow_bench.py VENV WORKLOAD SIZE RUNS. Prints {"samples": [...]}.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

DAGS = '''
from datetime import datetime
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("chain_{size}", schedule=None, start_date=datetime(2024, 1, 1), catchup=False):
    prev = None
    for i in range({size}):
        t = BashOperator(task_id=f"t{{i}}", bash_command="true")
        if prev:
            prev >> t
        prev = t

with DAG("fanout_{size}", schedule=None, start_date=datetime(2024, 1, 1), catchup=False,
         max_active_tasks=64):
    for i in range({size}):
        BashOperator(task_id=f"t{{i}}", bash_command="true")
'''


def descendants(pid):
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children = {}
    for line in out.split("\n"):
        parts = line.split()
        if len(parts) == 2:
            children.setdefault(int(parts[1]), []).append(int(parts[0]))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def main():
    # A SIGTERM (e.g. from `timeout`) must still reach the finally block that kills the tree.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    venv, workload, size, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    venv = os.path.abspath(venv)
    home = os.path.join(os.path.dirname(venv), "airflow-home")
    os.makedirs(os.path.join(home, "dags"), exist_ok=True)
    with open(os.path.join(home, "dags", "bench.py"), "w") as f:
        f.write(DAGS.format(size=size))
    port = os.environ.get("AIRFLOW_BENCH_PORT", "18793")
    # Task runners reach the api-server's execution API; its default URL names port 8080.
    env = dict(os.environ, AIRFLOW_HOME=home, PATH=f"{venv}/bin:{os.environ['PATH']}",
               AIRFLOW__CORE__LOAD_EXAMPLES="False", AIRFLOW__API__PORT=port,
               AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://localhost:{port}/execution/",
               AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT="60",
               AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="False",
               AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5")
    airflow = os.path.join(venv, "bin", "airflow")
    log = open(os.path.join(home, "standalone.log"), "w")
    proc = subprocess.Popen([airflow, "standalone"], env=env, stdout=log, stderr=log,
                            start_new_session=True)
    dag = f"{workload}_{size}"
    try:
        db = os.path.join(home, "airflow.db")
        deadline = time.time() + 600
        while subprocess.run([airflow, "dags", "unpause", dag], env=env,
                             capture_output=True).returncode != 0:
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("airflow: DAG never became available")
            time.sleep(5)
        samples = []
        for _ in range(runs):
            for attempt in range(30):
                done = subprocess.run([airflow, "dags", "trigger", dag], env=env,
                                      capture_output=True, text=True)
                if done.returncode == 0:
                    break
                time.sleep(5)
            else:
                raise SystemExit(f"airflow: trigger failed: {done.stderr[-1500:]}")
            run_deadline = time.time() + 1200  # a stuck run fails the row instead of the suite
            while True:
                if time.time() > run_deadline:
                    raise SystemExit("airflow: the run did not finish within 1200 s")
                time.sleep(2)
                con = sqlite3.connect(db)
                row = con.execute(
                    "select state, start_date, end_date from dag_run where dag_id=? "
                    "order by id desc limit 1", (dag,)).fetchone()
                con.close()
                if row and row[0] in ("success", "failed") and row[2]:
                    break
            if row[0] != "success":
                raise SystemExit(f"airflow: run ended {row[0]}")
            con = sqlite3.connect(db)
            (wall,) = con.execute(
                "select (julianday(end_date) - julianday(start_date)) * 86400 from dag_run "
                "where dag_id=? order by id desc limit 1", (dag,)).fetchone()
            con.close()
            samples.append(wall)
        print(json.dumps({"samples": samples}))
    finally:
        for pid in reversed(descendants(proc.pid)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()


if __name__ == "__main__":
    main()
