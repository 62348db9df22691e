#!/usr/bin/env python3
"""PyTorch side of the fit() benchmark (driven by bench/src/fit-bench.ts).

The idiomatic PyTorch training loop a user writes for the MNIST-1D MLP 40-100-100-10 (ReLU) with
Adam, one intra-op thread: each epoch a fresh permutation, then per batch X[idx], zero_grad,
forward, F.cross_entropy (mean), backward, opt.step(). The loss is not read back (.item()) -- a
generous baseline, since fit() records every step's loss.

Line-delimited JSON on stdin/stdout so blocks interleave with the TS side's:
  {"op": "time", "batch": 10, "steps": n, "dtype": "f32" | "f64"}
      -> {"ms": wall ms (perf_counter), "cpu_ms": process CPU ms, "loss": last loss}
  {"op": "quit"}
"""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print(json.dumps({"ready": False, "error": f"import failed: {e}"}), flush=True)
    sys.exit(0)

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass

N, D, C = 4000, 40, 10


class Loop:
    def __init__(self, batch, dtype):
        g = torch.Generator().manual_seed(0)
        self.dtype = torch.float32 if dtype == "f32" else torch.float64
        self.X = torch.randn(N, D, generator=g, dtype=self.dtype)
        self.Y = torch.randint(0, C, (N,), generator=g)
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Linear(D, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, C)).to(self.dtype)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        self.batch = batch
        self.perm = torch.randperm(N)
        self.pos = 0

    def run(self, steps):
        model, opt, X, Y, B = self.model, self.opt, self.X, self.Y, self.batch
        loss = None
        for _ in range(steps):
            if self.pos + B > N:
                self.perm = torch.randperm(N)
                self.pos = 0
            idx = self.perm[self.pos:self.pos + B]
            self.pos += B
            xb, yb = X[idx], Y[idx]
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
        return loss


def main():
    loops = {}
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        key = (cmd["batch"], cmd["dtype"])
        if key not in loops:
            loops[key] = Loop(cmd["batch"], cmd["dtype"])
            loops[key].run(50)  # warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        loss = loops[key].run(cmd["steps"])
        t1, c1 = time.perf_counter(), time.process_time()
        print(json.dumps({"ms": (t1 - t0) * 1e3, "cpu_ms": (c1 - c0) * 1e3, "loss": float(loss)}), flush=True)


if __name__ == "__main__":
    main()
