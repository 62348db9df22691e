#!/usr/bin/env python3
"""PyTorch side of the Regularize benchmark (driven by bench/src/torch.ts).

Loads the problems exported by the TypeScript side (raw little-endian float64 weights and data,
int32 labels, described by manifest.json), then serves line-delimited JSON commands on stdin so
that the TypeScript runner can interleave PyTorch blocks with its own (A, B, A, B...):

  {"op": "time", "config": "b100", "impl": "f64" | "f32" | "f64-mod" | "f32-mod", "steps": n}
      -> {"ms": wall ms (perf_counter), "cpu_ms": process CPU ms (process_time), "loss": last loss}
  {"op": "trajectory", "config": "b100", "impl": "f64", "K": k}
      -> {"losses": [loss of steps 1..k], "final": loss at theta_k on batch 0}
  {"op": "quit"}

Every step is what a PyTorch user writes: x @ W + b, relu, F.cross_entropy (mean),
loss.backward() and torch.optim.SGD(lr). The modified loss L + alpha/4 ||grad L||^2 uses
torch.autograd.grad(create_graph=True). One intra-op thread (torch.set_num_threads(1)).

Standalone use (no TypeScript): python3 mlp_bench.py MANIFEST --standalone
"""
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:  # reported to the TS side, which prints "not installed"
    print(json.dumps({"ready": False, "error": f"import failed: {e}"}), flush=True)
    sys.exit(0)

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def blas_info():
    """Which BLAS torch's float64 GEMM ends up in (Debian builds link the system libblas)."""
    info = {}
    try:
        cfg = torch.__config__.show()
        for part in cfg.split(","):
            part = part.strip()
            if part.startswith("BLAS_INFO="):
                info["torch_blas_info"] = part.split("=", 1)[1]
    except Exception:  # pragma: no cover
        pass
    for cand in ("/etc/alternatives/libblas.so.3-x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu/libblas.so.3"):
        if os.path.exists(cand):
            info["libblas"] = os.path.realpath(cand)
            break
    return info


class Problem:
    def __init__(self, cfg, base):
        self.id = cfg["id"]
        self.sizes = cfg["sizes"]
        self.batch = cfg["batch"]
        self.lr = cfg["lr"]
        self.alpha = cfg["alpha"]
        n_in = self.sizes[0]
        x = np.fromfile(os.path.join(base, cfg["x"]), dtype="<f8").reshape(cfg["nBatches"], self.batch, n_in)
        y = np.fromfile(os.path.join(base, cfg["y"]), dtype="<i4").reshape(cfg["nBatches"], self.batch)
        flat = np.fromfile(os.path.join(base, cfg["w"]), dtype="<f8")
        self.xs = [torch.from_numpy(x[i].copy()) for i in range(x.shape[0])]
        self.ys = [torch.from_numpy(y[i].astype(np.int64)) for i in range(y.shape[0])]
        self.init = []
        off = 0
        for l in range(len(self.sizes) - 1):
            fi, fo = self.sizes[l], self.sizes[l + 1]
            self.init.append(torch.from_numpy(flat[off:off + fi * fo].reshape(fi, fo).copy()))
            off += fi * fo
            self.init.append(torch.from_numpy(flat[off:off + fo].copy()))
            off += fo
        assert off == flat.size, "weight file does not match the sizes"


def mlp_loss(params, x, y):
    h = x
    n = len(params) // 2
    for l in range(n):
        h = h @ params[2 * l] + params[2 * l + 1]
        if l + 1 < n:
            h = torch.relu(h)
    return F.cross_entropy(h, y)


class Run:
    """Training state of one problem in one dtype: params, optimizer, batch cursor."""

    def __init__(self, prob, dtype):
        self.prob = prob
        self.dtype = dtype
        self.xs = [x.to(dtype) for x in prob.xs]
        self.ys = prob.ys
        self.reset()

    def reset(self):
        self.params = [w.to(self.dtype).clone().requires_grad_(True) for w in self.prob.init]
        self.opt = torch.optim.SGD(self.params, lr=self.prob.lr)
        self.t = 0

    def _next(self):
        i = self.t % len(self.xs)
        self.t += 1
        return self.xs[i], self.ys[i]

    def step(self):
        x, y = self._next()
        self.opt.zero_grad(set_to_none=True)
        loss = mlp_loss(self.params, x, y)
        loss.backward()
        self.opt.step()
        return loss

    def modified_step(self):
        x, y = self._next()
        self.opt.zero_grad(set_to_none=True)
        loss = mlp_loss(self.params, x, y)
        grads = torch.autograd.grad(loss, self.params, create_graph=True)
        m = loss + (self.prob.alpha / 4) * sum((g * g).sum() for g in grads)
        m.backward()
        self.opt.step()
        return m

    def eval_loss(self, i=0):
        with torch.no_grad():
            return mlp_loss(self.params, self.xs[i], self.ys[i]).item()


def main():
    manifest_path = sys.argv[1]
    standalone = "--standalone" in sys.argv[2:]
    base = os.path.dirname(os.path.abspath(manifest_path))
    with open(manifest_path) as f:
        manifest = json.load(f)
    probs = {c["id"]: Problem(c, base) for c in manifest["configs"]}
    runs = {}

    def get_run(cid, impl):
        dtype = torch.float32 if impl.startswith("f32") else torch.float64
        key = (cid, dtype)
        if key not in runs:
            runs[key] = Run(probs[cid], dtype)
        return runs[key]

    def handle(cmd):
        op = cmd["op"]
        if op == "time":
            run = get_run(cmd["config"], cmd["impl"])
            fn = run.modified_step if cmd["impl"].endswith("-mod") else run.step
            n = int(cmd["steps"])
            c0 = time.process_time()
            t0 = time.perf_counter()
            for _ in range(n):
                loss = fn()
            ms = (time.perf_counter() - t0) * 1000
            cpu_ms = (time.process_time() - c0) * 1000
            return {"ms": ms, "cpu_ms": cpu_ms, "loss": loss.item()}
        if op == "trajectory":
            run = get_run(cmd["config"], cmd["impl"])
            run.reset()
            fn = run.modified_step if cmd["impl"].endswith("-mod") else run.step
            losses = [fn().item() for _ in range(int(cmd["K"]))]
            final = run.eval_loss(0)
            run.reset()
            return {"losses": losses, "final": final}
        raise ValueError(f"unknown op {op}")

    if standalone:
        for cid in probs:
            for impl in ("f64", "f32"):
                run = get_run(cid, impl)
                for _ in range(3):
                    run.step()
                samples = []
                for _ in range(7):
                    n = 5 if probs[cid].sizes[1] < 512 else 1
                    t0 = time.perf_counter()
                    for _ in range(n):
                        run.step()
                    samples.append((time.perf_counter() - t0) * 1000 / n)
                samples.sort()
                print(f"{cid} {impl}: {samples[len(samples) // 2]:.3f} ms/step")
        return

    print(json.dumps({
        "ready": True,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        **blas_info(),
    }), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        if cmd.get("op") == "quit":
            break
        try:
            out = handle(cmd)
        except Exception as e:  # keep serving; the TS side reports it
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
