// Restate TS SDK 1.9.1 service for B1/B2: every step is a durable ctx.run that spawns /bin/true.
// Listens on RESTATE_BENCH_PORT (default 19080); started and killed by restate_bench.py.
import * as restate from "@restatedev/restate-sdk";
import { execFileSync } from "node:child_process";

const step = () => { execFileSync("/bin/true"); return 1; };

const bench = restate.service({
  name: "bench",
  handlers: {
    chain: async (ctx, n) => {
      let total = 0;
      for (let i = 0; i < n; i++) total += await ctx.run("s" + i, step);
      return total;
    },
    fanout: async (ctx, n) => {
      const all = [];
      for (let i = 0; i < n; i++) all.push(ctx.run("s" + i, step));
      const done = await restate.RestatePromise.all(all);
      return done.length;
    },
  },
});

restate.serve({ services: [bench], port: Number(process.env.RESTATE_BENCH_PORT || 19080) });
