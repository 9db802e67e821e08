"""Luigi on B1/B2: Step(i) runs /bin/true and writes a LocalTarget; local scheduler, 1 worker.

Not durable in the engine sense: completion is "output file exists" (Luigi has no run journal).
Each run uses a fresh output directory. Timed from luigi.build call to return.
Prints {"samples": [...]}.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import luigi

OUT = os.environ.get("LUIGI_BENCH_OUT", tempfile.gettempdir())


class Step(luigi.Task):
    i = luigi.IntParameter()
    chained = luigi.BoolParameter(default=False)
    run_id = luigi.Parameter()

    def requires(self):
        if self.chained and self.i > 0:
            return Step(i=self.i - 1, chained=True, run_id=self.run_id)
        return []

    def output(self):
        return luigi.LocalTarget(os.path.join(OUT, self.run_id, f"{self.i}"))

    def run(self):
        subprocess.run(["/bin/true"], check=True)
        with self.output().open("w") as f:
            f.write("ok")


class FanOut(luigi.WrapperTask):
    size = luigi.IntParameter()
    run_id = luigi.Parameter()

    def requires(self):
        return [Step(i=i, run_id=self.run_id) for i in range(self.size)]


def main():
    workload, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sys.setrecursionlimit(10_000)
    samples = []
    for r in range(runs):
        run_id = f"luigi-{workload}-{os.getpid()}-{r}"
        root = Step(i=size - 1, chained=True, run_id=run_id) if workload == "chain" \
            else FanOut(size=size, run_id=run_id)
        start = time.perf_counter()
        ok = luigi.build([root], local_scheduler=True, workers=1, log_level="ERROR")
        samples.append(time.perf_counter() - start)
        shutil.rmtree(os.path.join(OUT, run_id), ignore_errors=True)
        if not ok:
            raise SystemExit("luigi run failed")
    print(json.dumps({"samples": samples}))


if __name__ == "__main__":
    main()
