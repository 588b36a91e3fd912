#!/usr/bin/env python3
"""Independent high-precision reference for `manifold-lens --probe`.

Usage:
    probe_reference.py EXE DATA_DIR     compare EXE against this reference
    probe_reference.py --self-check     closed-form checks of the reference itself

Every quantity printed by `--probe` is recomputed here from the definitions in
docs/math.md with mpmath at DPS decimal digits. Derivatives with respect to the
two free weights come from mpmath.diff (central differences evaluated at raised
working precision), not from propagated derivatives as in the C++ core, so the
two implementations share nothing but the definitions.

Tolerance for a printed number x against the reference value r:

    |x - r| <= REL_TOL * |r| + ABS_TOL * F

where F is the magnitude of the ingredients the quantity is computed from (the
`floors` of probe(); docs/math.md section 8 lists them): a quantity that is a
small difference of larger terms, such as a curvature close to zero or the
dropout penalty at a small rate, is judged against the rounding error those
terms allow in double precision. `valid` must agree exactly; where invalid,
the curvature fields must be null. The last line is "N passed, M failed"; the
exit code is non-zero when any case fails.
"""

import glob
import json
import math
import os
import re
import subprocess
import sys
import time

from mpmath import mp, mpf

DPS = 40
REL_TOL = 1e-8
ABS_TOL = 1e-12  # times the magnitude of a quantity's ingredients (see floors in probe())
VALIDITY_RATIO = 1e-14  # invalid when det g <= VALIDITY_RATIO * (tr g)^2
SMALLEST_DETERMINANT = mpf(2) ** -1022  # or below the smallest normal double
REPO_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CURVATURE_FIELDS = ["gaussian_curvature", "mean_curvature", "statistical_curvature_e",
                    "embedding_curvature_m", "embedding_curvature_0", "embedding_curvature"]

# ----------------------------------------------------------------------------
# Preset model


def act(name, x):
    if name == "identity":
        return x
    if name == "tanh":
        return mp.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + mp.exp(-x))
    if name == "softplus":
        return mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x))
    raise ValueError("unknown activation " + name)


class Model:
    """A preset read from its JSON; numbers are kept as the doubles the file holds."""

    def __init__(self, js, label):
        self.label = label
        self.design = [[float(a) for a in row] for row in js["design"]]
        self.N, self.d = len(self.design), len(self.design[0])
        net = js["network"]
        self.hidden = [(int(h["units"]), h["activation"]) for h in net.get("hidden", [])]
        out = net["output"]
        if out == "bernoulli":
            self.bernoulli, self.outputs, self.C = True, 1, 2
        else:
            self.bernoulli, self.outputs = False, int(out["categorical"])
            self.C = self.outputs
        widths = [self.d] + [h[0] for h in self.hidden] + [self.outputs]
        self.layer_names = ["hidden%d" % (l + 1) for l in range(len(self.hidden))] + ["output"]
        w = js.get("weights", {})
        self.W, self.b = [], []
        for l, name in enumerate(self.layer_names):
            rows, cols = widths[l + 1], widths[l]
            mat = w.get(name, [[0.0] * cols for _ in range(rows)])
            self.W.append([[float(a) for a in r] for r in mat])
            self.b.append([float(a) for a in w.get(name + "_bias", [0.0] * rows)])
        self.free = [self._ref(f["weight"]) for f in js["free"]]
        self.ranges = [tuple(float(a) for a in f["range"]) for f in js["free"]]
        drop = js.get("dropout", {})
        names = ["input"] + ["hidden%d" % (l + 1) for l in range(len(self.hidden))]
        self.sites = [names[s] in drop.get("sites", []) for s in range(len(names))]
        self.rate = float(drop.get("rate", 0.0))
        self.aggregation = drop.get("aggregation", "arithmetic")
        self.widths = widths
        self._cache = {}

    def _ref(self, name):
        m = re.fullmatch(r"(hidden\d+|output)(_bias)?\[(\d+)\](?:\[(\d+)\])?", name)
        layer = self.layer_names.index(m.group(1))
        if m.group(2):
            return (layer, True, int(m.group(3)), 0)
        return (layer, False, int(m.group(3)), int(m.group(4)))

    def configured(self, rate, aggregation):
        clone = Model.__new__(Model)
        clone.__dict__.update(self.__dict__)
        clone.rate = self.rate if rate is None else float(rate)
        clone.aggregation = self.aggregation if aggregation is None else aggregation
        clone._cache = {}
        return clone

    def masks(self):
        """All (weight pi(m), mask per site) with pi(m) > 0 at the current precision."""
        q = 1 - mpf(self.rate)
        units = [self.widths[s] for s in range(len(self.sites)) if self.sites[s]]
        U = sum(units)
        result = []
        for bits in range(1 << U):
            kept = bin(bits).count("1")
            pi = q ** kept * (1 - q) ** (U - kept)
            if pi == 0:
                continue
            flat = [(bits >> j) & 1 for j in range(U)]
            per_site, k = [], 0
            for s in range(len(self.sites)):
                if self.sites[s]:
                    per_site.append(flat[k:k + self.widths[s]])
                    k += self.widths[s]
                else:
                    per_site.append(None)
            result.append((pi, per_site))
        return result, q

    def logits(self, u, v):
        """z[i] for every mask: list of (pi, [z_i(m) for i]) at (u, v)."""
        W = [[[mpf(a) for a in r] for r in M] for M in self.W]
        b = [[mpf(a) for a in r] for r in self.b]
        for (layer, is_bias, row, col), val in zip(self.free, (u, v)):
            if is_bias:
                b[layer][row] = val
            else:
                W[layer][row][col] = val
        masks, q = self.masks()
        L = len(self.hidden)
        out = []
        for pi, per_site in masks:
            zs = []
            for x in self.design:
                h = [mpf(a) for a in x]
                for l in range(L + 1):
                    m = per_site[l]
                    if m is not None:
                        h = [h[j] / q if m[j] else mpf(0) for j in range(len(h))]
                    pre = [mp.fsum(W[l][r][c] * h[c] for c in range(len(h))) + b[l][r]
                           for r in range(len(W[l]))]
                    h = pre if l == L else [act(self.hidden[l][1], a) for a in pre]
                zs.append(h)
            out.append((pi, zs))
        return out

    def class_probs(self, z):
        if self.bernoulli:
            p1 = 1 / (1 + mp.exp(-z[0]))
            return [1 - p1, p1]
        top = max(z)
        e = [mp.exp(a - top) for a in z]
        s = mp.fsum(e)
        return [a / s for a in e]

    def pbar(self, u, v):
        """Aggregated predictive probabilities [N][C] at (u, v), cached per precision."""
        key = (mpf(u), mpf(v), mp.prec)
        if key in self._cache:
            return self._cache[key]
        per_mask = self.logits(u, v)
        res = []
        for i in range(self.N):
            if self.aggregation == "arithmetic":
                res.append([mp.fsum(pi * self.class_probs(zs[i])[y] for pi, zs in per_mask)
                            for y in range(self.C)])
            else:
                logs = [mp.fsum(pi * mp.log(self.class_probs(zs[i])[y]) for pi, zs in per_mask)
                        for y in range(self.C)]
                top = max(logs)
                e = [mp.exp(a - top) for a in logs]
                s = mp.fsum(e)
                res.append([a / s for a in e])
        self._cache[key] = res
        return res


def load_model(name_or_path):
    path = name_or_path
    if not os.path.exists(path):
        path = os.path.join(REPO_ROOT, "resources", "presets", name_or_path + ".json")
    with open(path) as f:
        return Model(json.load(f), name_or_path)


# ----------------------------------------------------------------------------
# Geometry


def dot(a, b):
    return mp.fsum(x * y for x, y in zip(a, b))


def inv2(g):
    det = g[0][0] * g[1][1] - g[0][1] * g[1][0]
    return [[g[1][1] / det, -g[0][1] / det], [-g[1][0] / det, g[0][0] / det]]


class Derivs:
    """Derivatives of a scalar function of (u, v) by mpmath.diff: value, d_a, d_a d_b."""

    ORDERS = {"u": (1, 0), "v": (0, 1), "uu": (2, 0), "uv": (1, 1), "vv": (0, 2)}

    def __init__(self, f, u, v):
        self.val = f(u, v)
        d = {k: mp.diff(f, (u, v), o) for k, o in self.ORDERS.items()}
        self.d1 = [d["u"], d["v"]]
        self.d2 = [[d["uu"], d["uv"]], [d["uv"], d["vv"]]]


def probe(model, u, v, alpha):
    """Every field `--probe` prints, as mpf (None for a null), plus tolerance floors."""
    u, v, alpha = mpf(u), mpf(v), mpf(alpha)
    N, C = model.N, model.C
    P = model.pbar(u, v)
    comp = [(i, y) for i in range(N) for y in range(C)]

    # Derivatives of p, of s = 2 sqrt(p), and of the e-coordinates theta_ik.
    dp = [Derivs(lambda a, b, i=i, y=y: model.pbar(a, b)[i][y], u, v) for i, y in comp]
    ds = [Derivs(lambda a, b, i=i, y=y: 2 * mp.sqrt(model.pbar(a, b)[i][y]), u, v) for i, y in comp]
    th = [Derivs(lambda a, b, i=i, k=k: mp.log(model.pbar(a, b)[i][k]) - mp.log(model.pbar(a, b)[i][C - 1]), u, v)
          for i in range(N) for k in range(C - 1)]
    eta_idx = [n for n, (i, y) in enumerate(comp) if y < C - 1]  # eta_ik = p_ik, k < K

    # Fisher metric sum_i sum_y d_a p d_b p / p.
    g = [[mp.fsum(dp[n].d1[a] * dp[n].d1[b] / P[i][y] for n, (i, y) in enumerate(comp))
          for b in range(2)] for a in range(2)]
    det = g[0][0] * g[1][1] - g[0][1] ** 2
    tr = g[0][0] + g[1][1]
    probs_ok = all(0 < P[i][y] < 1 for i, y in comp)
    valid = bool(probs_ok and det >= SMALLEST_DETERMINANT and det > VALIDITY_RATIO * tr ** 2)

    out = {"u": u, "v": v, "alpha": alpha, "probabilities": P, "metric": g, "metric_det": det,
           "valid": valid}
    # Display point.
    if model.bernoulli:
        pt = [2 * mp.asin(mp.sqrt(P[i][1])) for i in range(N)]
    else:
        pt = [2 * mp.sqrt(P[i][y]) for i, y in comp]
    out["point"] = (pt + [mpf(0)] * 3)[:3]

    # Dropout penalties from the per-mask logits.
    per_mask = model.logits(u, v)
    R, Rq, EA_scale, Rq_scale = [], [], [], []
    for i in range(N):
        Ez = [mp.fsum(pi * zs[i][k] for pi, zs in per_mask) for k in range(model.outputs)]
        cov = [[mp.fsum(pi * (zs[i][k] - Ez[k]) * (zs[i][l] - Ez[l]) for pi, zs in per_mask)
                for l in range(model.outputs)] for k in range(model.outputs)]
        EA = mp.fsum(pi * log_partition(model, zs[i]) for pi, zs in per_mask)
        R.append(EA - log_partition(model, Ez))
        EA_scale.append(mp.fsum(pi * abs(log_partition(model, zs[i])) for pi, zs in per_mask))
        if model.bernoulli:
            s = 1 / (1 + mp.exp(-Ez[0]))
            hess = [[s * (1 - s)]]
        else:
            p = model.class_probs(Ez)
            hess = [[(p[k] if k == l else 0) - p[k] * p[l] for l in range(model.outputs)]
                    for k in range(model.outputs)]
        Rq.append(mp.fsum(hess[k][l] * cov[l][k] for k in range(model.outputs) for l in range(model.outputs)) / 2)
        Ez2 = mp.fsum(pi * zs[i][k] ** 2 for pi, zs in per_mask for k in range(model.outputs))
        Rq_scale.append(mp.fsum(abs(hess[k][k]) for k in range(model.outputs)) * Ez2)
    out["dropout_penalty_exact"] = mp.fsum(R)
    out["dropout_penalty_quadratic"] = mp.fsum(Rq)

    floors = {"probabilities": mpf(1), "point": mp.pi, "metric": tr,
              "metric_det": tr ** 2, "dropout_penalty_exact": mp.fsum(EA_scale),
              "dropout_penalty_quadratic": mp.fsum(Rq_scale), "u": mpf(1), "v": mpf(1), "alpha": mpf(1)}

    if not valid:
        for f in CURVATURE_FIELDS:
            out[f] = None
            floors[f] = mpf(1)
        return out, floors

    gi = inv2(g)

    # Gaussian curvature by the Gauss equation for s = 2 sqrt(p) in flat R^{NC}.
    S1 = [[d.d1[a] for d in ds] for a in range(2)]
    S2 = [[[d.d2[a][b] for d in ds] for b in range(2)] for a in range(2)]

    def normal_part(x):
        c = [dot(S1[k], x) for k in range(2)]
        coef = [gi[k][0] * c[0] + gi[k][1] * c[1] for k in range(2)]
        return [x[n] - coef[0] * S1[0][n] - coef[1] * S1[1][n] for n in range(len(x))]
    B = [[normal_part(S2[a][b]) for b in range(2)] for a in range(2)]
    out["gaussian_curvature"] = (dot(B[0][0], B[1][1]) - dot(B[0][1], B[0][1])) / det
    floors["gaussian_curvature"] = (mp.sqrt(dot(S2[0][0], S2[0][0]) * dot(S2[1][1], S2[1][1]))
                                    + dot(S2[0][1], S2[0][1])) / det

    # Embedding curvature in S. Vectors below are theta-components, one block of
    # K-1 entries per design point; G is block diagonal diag(p) - p p^T.
    def G_mul(x):
        y = []
        for i in range(N):
            blk = x[i * (C - 1):(i + 1) * (C - 1)]
            p = P[i][:C - 1]
            pv = dot(p, blk)
            y += [p[k] * blk[k] - p[k] * pv for k in range(C - 1)]
        return y

    def G_solve(x):
        # G^{-1} = diag(1/p) + (1/p_K) 1 1^T, written out per block.
        y = []
        for i in range(N):
            blk = x[i * (C - 1):(i + 1) * (C - 1)]
            total = mp.fsum(blk) / P[i][C - 1]
            y += [blk[k] / P[i][k] + total for k in range(C - 1)]
        return y

    def ip(x, y):
        return dot(x, G_mul(y))

    T = [[t.d1[a] for t in th] for a in range(2)]
    Re = [[[t.d2[a][b] for t in th] for b in range(2)] for a in range(2)]
    Rm = [[G_solve([dp[n].d2[a][b] for n in eta_idx]) for b in range(2)] for a in range(2)]

    def project(x):
        c = [ip(T[k], x) for k in range(2)]
        coef = [gi[k][0] * c[0] + gi[k][1] * c[1] for k in range(2)]
        return [x[n] - coef[0] * T[0][n] - coef[1] * T[1][n] for n in range(len(x))]

    def gamma2(R):
        H = [[project(R[a][b]) for b in range(2)] for a in range(2)]
        return mp.fsum(gi[a][c] * gi[b][d] * ip(H[a][b], H[c][d])
                       for a in range(2) for b in range(2) for c in range(2) for d in range(2)), H

    def mix(al):
        cp, cm = (1 + al) / 2, (1 - al) / 2
        return [[[cp * x + cm * y for x, y in zip(Re[a][b], Rm[a][b])] for b in range(2)] for a in range(2)]

    def raw_scale(R):
        return mp.fsum(abs(gi[a][c] * gi[b][d]) * mp.sqrt(ip(R[a][b], R[a][b]) * ip(R[c][d], R[c][d]))
                       for a in range(2) for b in range(2) for c in range(2) for d in range(2))

    scale = max(raw_scale(Re), raw_scale(Rm))
    for field, al in [("statistical_curvature_e", mpf(1)), ("embedding_curvature_m", mpf(-1)),
                      ("embedding_curvature_0", mpf(0)), ("embedding_curvature", alpha)]:
        out[field] = gamma2(mix(al))[0]
        floors[field] = scale
    H0 = gamma2(mix(mpf(0)))[1]
    mean = [(gi[0][0] * H0[0][0][n] + 2 * gi[0][1] * H0[0][1][n] + gi[1][1] * H0[1][1][n]) / 2
            for n in range(len(T[0]))]
    out["mean_curvature"] = mp.sqrt(ip(mean, mean))
    floors["mean_curvature"] = mp.sqrt(scale)
    return out, floors


def log_partition(model, z):
    if model.bernoulli:
        return mp.log1p(mp.exp(z[0])) if z[0] < 0 else z[0] + mp.log1p(mp.exp(-z[0]))
    top = max(z)
    return top + mp.log(mp.fsum(mp.exp(a - top) for a in z))


# ----------------------------------------------------------------------------
# Comparison against the executable


def flatten(name, value):
    if isinstance(value, list):
        res = []
        for k, x in enumerate(value):
            res += flatten("%s[%d]" % (name, k), x)
        return res
    return [(name, value)]


def compare(ref, floors, got):
    """Returns (list of problems, worst case as (error / tolerance, relative error, element name))."""
    problems, worst = [], (0.0, 0.0, "-")
    if got.get("valid") is not ref["valid"]:
        problems.append("valid: got %s, reference %s" % (json.dumps(got.get("valid")), json.dumps(ref["valid"])))
    for field, rval in ref.items():
        if field == "valid":
            continue
        if field not in got:
            problems.append("%s: missing" % field)
            continue
        rflat, gflat = flatten(field, rval), flatten(field, got[field])
        if [n for n, _ in rflat] != [n for n, _ in gflat]:
            problems.append("%s: shape differs: got %s" % (field, json.dumps(got[field])))
            continue
        for (name, r), (_, x) in zip(rflat, gflat):
            if r is None or x is None or isinstance(x, bool) or not isinstance(x, (int, float)):
                if not (r is None and x is None):
                    problems.append("%s: got %s, reference %s"
                                    % (name, json.dumps(x), "null" if r is None else mp.nstr(r, 17)))
                continue
            diff = abs(mpf(x) - r)
            tol = REL_TOL * abs(r) + ABS_TOL * floors[field]
            ratio = float(diff / tol) if tol > 0 else (0.0 if diff == 0 else math.inf)
            rel = float(diff / abs(r)) if r != 0 else float(diff)
            if ratio > worst[0]:
                worst = (ratio, rel, name)
            if ratio > 1:
                problems.append("%s: got %.17g, reference %s (relative error %.3g, %.3g x tolerance %.3g)"
                                % (name, x, mp.nstr(r, 17), rel, ratio, float(tol)))
    return problems, worst


def builtin_cases():
    L, S, T = "logistic-input-dropout", "single-hidden-unit", "trinomial-simplex"
    # (preset, u, v, rate, aggregation, alpha); None keeps the preset's own setting.
    return [
        (L, 0.5, -1.2, None, None, None), (L, 0.5, -1.2, 0.0, None, 0.37), (L, 0.5, -1.2, 0.1, None, 1.0),
        (L, 0.5, -1.2, 0.9, None, -1.0), (L, 0.5, -1.2, 0.5, "geometric", 0.37), (L, -4.0, 4.0, None, None, 0.0),
        (L, 3.95, -3.9, 0.1, "geometric", -1.0), (L, 1.7, 2.3, 0.9, "arithmetic", 0.37), (L, -2.5, 0.25, 0.0, "geometric", 1.0),
        (L, 4.0, -4.0, 0.5, "arithmetic", 1.0), (L, -3.99, -3.99, 0.1, "geometric", 0.0),
        (S, 1.2, -2.0, None, None, None), (S, 1.2, -2.0, 0.0, None, 0.37), (S, 1.2, -2.0, 0.5, "geometric", -1.0),
        (S, -2.9, 3.9, 0.1, None, 1.0), (S, 2.95, -3.95, 0.9, None, 0.37), (S, 0.4, 0.8, 0.3, "geometric", 0.0),
        (S, 0.05, 1.5, None, None, 0.37), (S, -3.0, -4.0, 0.1, "arithmetic", -1.0), (S, 3.0, 4.0, 0.0, None, 1.0),
        (S, 0.0, 1.5, None, None, None), (S, 0.0, 1.5, 0.5, "geometric", 0.37), (S, -0.7, 0.0, 0.1, None, 1.0),
        (T, 0.0, 0.0, None, None, None), (T, 1.3, -0.6, None, None, 0.37), (T, 4.9, -4.9, None, None, -1.0),
        (T, -4.95, 4.95, 0.1, None, 1.0), (T, 0.8, 2.1, 0.5, "arithmetic", 0.37), (T, 0.8, 2.1, 0.5, "geometric", 0.37),
        (T, -0.3, 0.2, 0.9, "arithmetic", 0.0), (T, 5.0, -5.0, 0.8, None, 0.0),
    ]


def file_cases(data_dir):
    cases = []
    for path in sorted(glob.glob(os.path.join(data_dir, "reference-*.json"))):
        with open(path) as f:
            ranges = [tuple(r["range"]) for r in json.load(f)["free"]]
        (ulo, uhi), (vlo, vhi) = ranges
        near = lambda lo, hi, t: round(lo + t * (hi - lo), 6)
        cases += [(path, near(ulo, uhi, 0.63), near(vlo, vhi, 0.29), None, None, None),
                  (path, near(ulo, uhi, 0.02), near(vlo, vhi, 0.985), 0.1, "geometric", 0.37),
                  (path, near(ulo, uhi, 0.41), near(vlo, vhi, 0.77), 0.5, "arithmetic", -1.0),
                  (path, near(ulo, uhi, 0.9), near(vlo, vhi, 0.12), 0.0, None, 1.0)]
    return cases


def fmt(x):
    return repr(float(x))


def run_case(exe, case, models):
    preset, u, v, rate, agg, alpha = case
    args = [exe, "--preset", preset, "--probe", "%s,%s" % (fmt(u), fmt(v))]
    if rate is not None:
        args += ["--dropout", fmt(rate)]
    if agg is not None:
        args += ["--aggregation", agg]
    if alpha is not None:
        args += ["--alpha", fmt(alpha)]
    label = " ".join([os.path.basename(preset)] + args[3:])
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, label, "could not run: %s" % e
    if proc.returncode != 0:
        return False, label, "exit code %d; stderr: %s" % (proc.returncode, proc.stderr.strip())
    try:
        got = json.loads(proc.stdout)
    except ValueError as e:
        return False, label, "unparsable output (%s): %s" % (e, proc.stdout[:500])
    if preset not in models:
        models[preset] = load_model(preset)
    key = (preset, rate, agg)
    if key not in models:
        models[key] = models[preset].configured(rate, agg)
    ref, floors = probe(models[key], u, v, 0.0 if alpha is None else alpha)  # the default alpha is 0
    problems, worst = compare(ref, floors, got)
    detail = "worst %s: relative error %.2e, %.2g of tolerance" % (worst[2], worst[1], worst[0])
    if problems:
        return False, label, detail + "\n      " + "\n      ".join(problems)
    return True, label, detail


def main_compare(exe, data_dir):
    mp.dps = DPS
    start = time.time()
    cases = builtin_cases() + file_cases(data_dir)
    models, passed, failed = {}, 0, 0
    for case in cases:
        try:
            ok, label, detail = run_case(exe, case, models)
        except Exception as e:  # a reference failure is reported, not hidden
            ok, label, detail = False, repr(case), "reference error: %r" % e
        print("%s %s  %s" % ("PASS" if ok else "FAIL", label, detail), flush=True)
        passed, failed = passed + ok, failed + (not ok)
    print("(%.1f s)" % (time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


# ----------------------------------------------------------------------------
# Self-check: closed forms and second methods, without the executable

BRIEF_PRESETS = {  # the built-in presets as the specification describes them (other weights zero)
    "logistic-input-dropout": {
        "design": [[1.0, 0.2], [0.3, 1.0], [-0.7, 0.6]], "network": {"hidden": [], "output": "bernoulli"},
        "free": [{"weight": "output[0][0]", "range": [-4, 4]}, {"weight": "output[0][1]", "range": [-4, 4]}],
        "dropout": {"sites": ["input"], "rate": 0.5, "aggregation": "arithmetic"}},
    "single-hidden-unit": {
        "design": [[-1.0], [0.5], [2.0]],
        "network": {"hidden": [{"units": 1, "activation": "tanh"}], "output": "bernoulli"},
        "free": [{"weight": "hidden1[0][0]", "range": [-3, 3]}, {"weight": "output[0][0]", "range": [-4, 4]}],
        "dropout": {"sites": ["hidden1"], "rate": 0.3, "aggregation": "arithmetic"}},
    "trinomial-simplex": {
        "design": [[1.0]], "network": {"hidden": [], "output": {"categorical": 3}},
        "free": [{"weight": "output[0][0]", "range": [-5, 5]}, {"weight": "output[1][0]", "range": [-5, 5]}],
        "dropout": {"sites": ["input"], "rate": 0.0, "aggregation": "arithmetic"}},
}


def brioschi(model, u, v):
    """Gaussian curvature from the metric alone (Brioschi formula), by nested mpmath.diff."""
    def metric(a, b):
        P = model.pbar(a, b)
        d = [[mp.diff(lambda x, y, i=i, k=k: model.pbar(x, y)[i][k], (a, b), o) for o in ((1, 0), (0, 1))]
             for i in range(model.N) for k in range(model.C)]
        flat = [P[i][k] for i in range(model.N) for k in range(model.C)]
        return [mp.fsum(d[n][x] * d[n][y] / flat[n] for n in range(len(flat))) for x, y in ((0, 0), (0, 1), (1, 1))]
    E, F, G = metric(u, v)
    D = {o: [mp.diff(lambda x, y, j=j: metric(x, y)[j], (u, v), o) for j in range(3)]
         for o in ((1, 0), (0, 1), (2, 0), (1, 1), (0, 2))}
    Eu, Fu, Gu = D[(1, 0)]
    Ev, Fv, Gv = D[(0, 1)]
    Evv, Fuv, Guu = D[(0, 2)][0], D[(1, 1)][1], D[(2, 0)][2]
    m1 = mp.matrix([[-Evv / 2 + Fuv - Guu / 2, Eu / 2, Fu - Ev / 2], [Fv - Gu / 2, E, F], [Gv / 2, F, G]])
    m2 = mp.matrix([[0, Ev / 2, Gu / 2], [Ev / 2, E, F], [Gu / 2, F, G]])
    return (mp.det(m1) - mp.det(m2)) / (E * G - F * F) ** 2


def self_check():
    mp.dps = DPS
    fails, passes = [], []

    def check(name, got, want, tol):
        ok = abs(got - want) <= tol
        passes.append(ok)
        print("%s %s: %s (expected %s)" % ("PASS" if ok else "FAIL", name, mp.nstr(got, 15), mp.nstr(want, 15)))
        if not ok:
            fails.append(name)

    M = {k: Model(v, k) for k, v in BRIEF_PRESETS.items()}
    tiny = mpf(10) ** (-DPS + 12)
    tri, lg, sh = M["trinomial-simplex"], M["logistic-input-dropout"], M["single-hidden-unit"]
    for u, v in [(0, 0), (1.3, -0.6), (4.9, -4.9)]:
        r, _ = probe(tri, u, v, 0.37)
        check("trinomial K = 1/4 at %s,%s" % (u, v), r["gaussian_curvature"], mpf(1) / 4, tiny)
        for f in CURVATURE_FIELDS[1:]:
            check("trinomial %s = 0 (M = S)" % f, r[f], 0, tiny)
    lg0 = lg.configured(0.0, None)
    for u, v in [(0.5, -1.2), (-4, 4)]:
        r, _ = probe(lg0, u, v, 1)
        check("logistic rate 0: statistical curvature 0 at %s,%s" % (u, v), r["statistical_curvature_e"], 0, tiny)
        check("logistic rate 0: embedding_curvature(alpha=1) 0", r["embedding_curvature"], 0, tiny)
    for rate in [0.1, 0.5, 0.9]:
        w = [mpf(0.5), mpf(-1.2)]
        r, _ = probe(lg.configured(rate, None), w[0], w[1], 0)
        q = 1 - mpf(rate)
        sig = lambda z: 1 / (1 + mp.exp(-z))
        closed = mpf(rate) / (2 * q) * mp.fsum(
            w[j] ** 2 * mp.fsum(sig(dot(x, w)) * (1 - sig(dot(x, w))) * mpf(x[j]) ** 2 for x in lg.design)
            for j in range(2))
        check("logistic R_q closed form, rate %s" % rate, r["dropout_penalty_quadratic"], closed, tiny)
        rg, _ = probe(lg.configured(rate, "geometric"), w[0], w[1], 1)
        r0, _ = probe(lg0, w[0], w[1], 1)
        check("logistic geometric = rate-0 model, rate %s" % rate,
              max(abs(a - b) for x, y in zip(rg["probabilities"], r0["probabilities"]) for a, b in zip(x, y)), 0, tiny)
        check("logistic geometric: statistical curvature 0, rate %s" % rate, rg["statistical_curvature_e"], 0, tiny)
    # The quadratic penalty is the second-order term of the exact one in the size of the logit noise.
    r, _ = probe(lg.configured(0.5, None), 0.5e-4, -1.2e-4, 0)
    check("exact / quadratic penalty -> 1 for small weights", r["dropout_penalty_exact"] / r["dropout_penalty_quadratic"], 1, 1e-3)
    r, _ = probe(sh, 0, 1.5, 0)
    check("single-hidden-unit at a = 0 is invalid", mpf(r["valid"]), 0, 0)
    # Geometric aggregation of a sigmoid output is sigmoid(E_m z).
    shg = sh.configured(0.3, "geometric")
    Ez = [mp.fsum(pi * zs[i][0] for pi, zs in shg.logits(mpf(1.2), mpf(-2))) for i in range(3)]
    check("geometric = sigmoid(E z)", max(abs(shg.pbar(mpf(1.2), mpf(-2))[i][1] - 1 / (1 + mp.exp(-Ez[i])))
                                          for i in range(3)), 0, tiny)
    # Dropout only at the site feeding the output layer: E_m z is the rate-0 logit, so geometric = rate 0.
    a = shg.pbar(mpf(1.2), mpf(-2))
    b = sh.configured(0.0, None).pbar(mpf(1.2), mpf(-2))
    check("single-hidden-unit geometric = rate-0 model", max(abs(a[i][1] - b[i][1]) for i in range(3)), 0, tiny)
    # Fisher metric as the Hessian of KL divergence: KL(p(w) || p(w + t e)) = t^2 e^T g e / 2 + O(t^3).
    for model, u, v in [(sh, 1.2, -2), (lg, 0.5, -1.2), (tri.configured(0.5, None), 0.8, 2.1)]:
        r, _ = probe(model, u, v, 0)
        g, t = r["metric"], mpf(10) ** -12
        P = model.pbar(mpf(u), mpf(v))
        for e in [(1, 0), (0, 1), (1, 1)]:
            Q = model.pbar(mpf(u) + t * e[0], mpf(v) + t * e[1])
            kl = mp.fsum(P[i][y] * mp.log(P[i][y] / Q[i][y]) for i in range(model.N) for y in range(model.C))
            quad = (e[0] ** 2 * g[0][0] + 2 * e[0] * e[1] * g[0][1] + e[1] ** 2 * g[1][1]) * t * t / 2
            check("KL Hessian = metric, %s dir %s" % (model.label, e), kl / quad, 1, 1e-10)
    # Gauss equation in R^{NC} against the Brioschi formula (metric only).
    with mp.workdps(20):
        data = os.path.join(REPO_ROOT, "tests", "data")
        deep = load_model(os.path.join(data, "reference-deep-softplus-sigmoid.json"))
        cat4 = load_model(os.path.join(data, "reference-categorical4-identity.json"))
        for model, u, v in [(sh, 1.2, -2), (lg, 0.5, -1.2), (tri, 1.3, -0.6), (deep, 0.3, -1), (cat4, -0.54, 1.08)]:
            m = model.configured(None, None)
            r, _ = probe(m, u, v, 0)
            check("Gauss equation = Brioschi, %s" % model.label, r["gaussian_curvature"], brioschi(m, mpf(u), mpf(v)),
                  mpf(10) ** -12 * max(1, abs(r["gaussian_curvature"])))
    # Two Bernoulli design points: M is open in S, a product of two circular arcs, which is flat.
    two = load_model(os.path.join(REPO_ROOT, "tests", "data", "reference-two-point.json"))
    r, _ = probe(two, 0.78, -0.84, 0.37)
    for f in CURVATURE_FIELDS:
        check("two-point design: %s = 0" % f, r[f], 0, tiny)
    # gamma2 is quadratic in alpha: the alpha = 0.37 value from the e, m and 0 values.
    r37, _ = probe(sh, 1.2, -2, 0.37)
    gee, gmm, g0 = r37["statistical_curvature_e"], r37["embedding_curvature_m"], r37["embedding_curvature_0"]
    gem = 2 * g0 - (gee + gmm) / 2
    cp, cm = (1 + mpf(0.37)) / 2, (1 - mpf(0.37)) / 2
    check("gamma2 recombination at alpha 0.37", r37["embedding_curvature"], cp ** 2 * gee + 2 * cp * cm * gem + cm ** 2 * gmm, tiny)
    print("%d passed, %d failed" % (sum(passes), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--self-check":
        sys.exit(self_check())
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main_compare(sys.argv[1], sys.argv[2]))
