r"""A nonlinear spherical CNN on digits projected onto the sphere: Fourier structure of local linearizations.

Lawrence et al.'s poster ("Nonlinear networks *may* locally have the same implicit bias", panel b: a
spherical CNN on band-limited G = SO(3)) asks whether the Fourier-space bias of linear G-CNNs shows
up in the local linearizations ``grad_x f(x)`` of trained nonlinear networks. This experiment:

1. projects scikit-learn's 8x8 digits of two classes (default 1 vs 5) onto the sphere (the image
   on the tangent plane at the north pole, gnomonic projection, bilinear interpolation), keeps the
   degrees ``l < B`` (:func:`grouptools.compact.s2_forward` on a fine Driscoll-Healy grid) and,
   with ``rotate=True``, rotates every sample by a uniformly random rotation
   (``f_l -> D_real^l(T) f_l``, exact). The default keeps the digits upright: with random rotations
   and a few hundred samples only the rotation-invariant spherical CNN learns (measured at the QUICK
   sizes: test accuracy 0.93, against 0.51 for the planar CNN and 0.63 for FC), and the
   linearizations of baselines that did not learn say little;
2. trains three nonlinear networks on the same real-harmonic coordinates (logistic loss, Adam,
   mini-batches): the spherical CNN :class:`training.models.SphericalCNN` (S^2 -> SO(3)
   correlation, ReLU on the SO(3) grid, SO(3) -> SO(3) correlation, ReLU, invariant pooling), a
   planar CNN on the equiangular ``(beta, alpha)`` image of the function (3x3 convolutions, circular
   in ``alpha``, ReLU, global mean pooling; equivariant only to rotations about the z axis) and a
   fully connected network (one hidden ReLU layer);
3. computes the local linearizations ``beta(x) = grad_x f(x)`` at test points (exact backward
   passes; the CNN's gradient on the image is pulled back by the synthesis matrix) and their
   per-degree norms ``n_l = ||beta_l||``. For a function on S^2 the degree-l Fourier block of its
   lift to SO(3) is ``sqrt(4 pi / (2l+1)) / (4 pi)`` times the column ``beta_l``, so its Schatten
   p-norm is ``n_l`` up to that factor for every p, and

   - the **Fourier ratio** ``sum_l sqrt(2l+1) n_l / ||beta||_2`` is the ``d_l``-weighted Schatten-1
     norm of the lift over its ``L^2`` norm (1 for a constant, larger when the energy is spread
     over many degrees);
   - the **real-space ratio** ``||beta||_{L^1(S^2)} / (sqrt(4 pi) ||beta||_{L^2(S^2)})`` is in
     ``(0, 1]`` and small when ``beta`` is localized (computed on a fine quadrature grid).

The poster's claim for the G-CNN is a smaller Fourier-space norm and a larger real-space norm than
the baselines. The metrics report what happens here, whichever way it goes.

Examples
--------
>>> QUICK.bandlimit, QUICK.digits
(6, (1, 5))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grouptools.compact import s2_forward, s2_grid, s2_inverse, wigner_D_real

from .._errors import ParameterError
from ..models import SphericalCNN
from ._plots import new_figure, save_figure
from ._report import num
from ._store import write_json

__all__ = [
    "COLORS",
    "Config",
    "FCNet",
    "FULL",
    "NAME",
    "PlanarCNN",
    "QUICK",
    "TINY",
    "degree_norms",
    "fourier_ratio",
    "invariance_error",
    "linearizations",
    "make_data",
    "plot",
    "project_digit",
    "random_rotations",
    "real_space_ratio",
    "rotate_coordinates",
    "run",
    "summary_lines",
    "train_adam",
]

NAME = "spherical_local"


@dataclass(frozen=True)
class Config:
    """Configuration of :func:`run`.

    Attributes
    ----------
    bandlimit : int
        Band limit B of the data and the networks (``B^2`` input coordinates).
    digits : tuple of int
        The two digit classes (labels -1, +1).
    n_train, n_test : int
        Samples per split (drawn without replacement from the 8x8 digits of the two classes).
    rotate : bool
        Rotate every sample by a uniformly random rotation (module docstring).
    channels : tuple of int
        Channels ``(C1, C2)`` of the spherical CNN.
    grid_bandlimit : int, optional
        Band limit of the spherical CNN's SO(3) grid for the ReLU layers (default ``bandlimit``).
    cnn_channels : int
        Channels of both convolutions of the planar CNN.
    fc_width : int
        Hidden width of the FC network.
    steps, batch_size, lr : int, int, float
        Adam steps, mini-batch size and step size (all three networks).
    n_linearizations : int
        Test points at which linearizations are computed.
    extent : float
        Half-angle (radians) of the cap onto which the image is projected.
    seed : int
    """

    bandlimit: int = 6
    digits: tuple[int, int] = (1, 5)
    n_train: int = 200
    n_test: int = 150
    rotate: bool = False
    channels: tuple[int, int] = (6, 6)
    grid_bandlimit: int | None = None
    cnn_channels: int = 6
    fc_width: int = 64
    steps: int = 150
    batch_size: int = 50
    lr: float = 0.02
    n_linearizations: int = 40
    extent: float = 0.9
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("bandlimit", "n_train", "n_test", "cnn_channels", "fc_width", "steps", "batch_size", "n_linearizations"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ParameterError(f"{name} must be a positive integer, got {v!r}")
        if len(self.digits) != 2 or self.digits[0] == self.digits[1] or not all(0 <= d <= 9 for d in self.digits):
            raise ParameterError(f"digits must be two different digits, got {self.digits!r}")
        if not (0 < self.lr < math.inf) or not (0 < self.extent < math.pi / 2):
            raise ParameterError("lr must be > 0 and extent in (0, pi/2)")


TINY = Config(bandlimit=3, n_train=40, n_test=20, channels=(2, 2), cnn_channels=2, fc_width=8, steps=5,
              batch_size=20, n_linearizations=4)
QUICK = Config()
FULL = Config(bandlimit=8, n_train=250, n_test=114, channels=(8, 8), grid_bandlimit=10, cnn_channels=8, fc_width=128,
              steps=600, batch_size=50, lr=0.01, n_linearizations=100)


# -- data -------------------------------------------------------------------------------------------------
def project_digit(images: np.ndarray, B: int, extent: float = 0.9) -> np.ndarray:
    """Real harmonic coordinates (``(N, B^2)``, degrees ``< B``) of 8x8 images projected onto the sphere.

    The image fills the square ``[-tan(extent), tan(extent)]^2`` of the tangent plane at the north
    pole; the point with polar angle ``theta`` and azimuth ``phi`` takes the bilinearly interpolated
    value at ``tan(theta) (cos phi, sin phi)`` (0 outside the image and on the southern hemisphere).

    Examples
    --------
    >>> project_digit(np.ones((1, 8, 8)), 3).shape
    (1, 9)
    """
    from scipy.ndimage import map_coordinates

    images = np.asarray(images, dtype=float)
    g = s2_grid(4 * B, "soft")
    th, ph = np.meshgrid(g.beta, g.alpha, indexing="ij")
    north = th < math.pi / 2 - 1e-6
    r = np.where(north, np.tan(np.where(north, th, 0.0)), 1e6) / math.tan(extent)
    u, v = r * np.cos(ph), r * np.sin(ph)
    col = (u + 1) / 2 * 8 - 0.5
    row = (1 - v) / 2 * 8 - 0.5
    inside = north & (np.abs(u) <= 1) & (np.abs(v) <= 1)
    samples = np.zeros((images.shape[0],) + g.shape)
    coords = np.stack([row[inside], col[inside]])
    for i, im in enumerate(images):
        samples[i][inside] = map_coordinates(im, coords, order=1, mode="constant", cval=0.0)
    coeffs = s2_forward(samples, g, real=True, bandlimit=B)
    return np.concatenate(coeffs, axis=1)


def random_rotations(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` Haar-random rotations as ZYZ angles (``alpha, gamma`` uniform, ``cos beta`` uniform), ``(n, 3)``."""
    return np.stack([rng.uniform(0, 2 * math.pi, n), np.arccos(rng.uniform(-1, 1, n)), rng.uniform(0, 2 * math.pi, n)], axis=1)


def rotate_coordinates(X: np.ndarray, angles: np.ndarray, B: int) -> np.ndarray:
    """Rotate functions given by real harmonic coordinates: ``f_l -> D_real^l(T) f_l`` per row."""
    out = np.empty_like(X)
    for l in range(B):
        D = wigner_D_real(l, angles[:, 0], angles[:, 1], angles[:, 2])  # (n, 2l+1, 2l+1)
        out[:, l * l : (l + 1) ** 2] = np.einsum("nij,nj->ni", D, X[:, l * l : (l + 1) ** 2])
    return out


def make_data(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(X_train, y_train, X_test, y_test)``: unit-norm coordinates, labels -1 (first digit) / +1."""
    from sklearn.datasets import load_digits

    d = load_digits()
    rng = np.random.default_rng(cfg.seed)
    idx = np.flatnonzero(np.isin(d.target, cfg.digits))
    if cfg.n_train + cfg.n_test > idx.size:
        raise ParameterError(f"only {idx.size} images of digits {cfg.digits}; lower n_train + n_test")
    idx = rng.permutation(idx)[: cfg.n_train + cfg.n_test]
    X = project_digit(d.images[idx], cfg.bandlimit, cfg.extent)
    if cfg.rotate:
        X = rotate_coordinates(X, random_rotations(X.shape[0], rng), cfg.bandlimit)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = np.where(d.target[idx] == cfg.digits[1], 1.0, -1.0)
    return X[: cfg.n_train], y[: cfg.n_train], X[cfg.n_train :], y[cfg.n_train :]


# -- baselines ------------------------------------------------------------------------------------------------
class FCNet:
    """One hidden ReLU layer on the coordinates: ``out = v . relu(W x + b) + c``."""

    def __init__(self, D: int, width: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.params = [rng.standard_normal((width, D)) * math.sqrt(2.0 / D), np.zeros(width),
                       rng.standard_normal(width) / math.sqrt(width), np.zeros(1)]

    def forward(self, X: np.ndarray) -> np.ndarray:
        W, b, v, c = self.params
        return np.maximum(X @ W.T + b, 0.0) @ v + c[0]

    def backward(self, X: np.ndarray, g: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        W, b, v, c = self.params
        z = X @ W.T + b
        h = np.maximum(z, 0.0)
        dz = np.outer(g, v) * (z > 0)
        return [dz.T @ X, dz.sum(axis=0), h.T @ g, np.array([g.sum()])], dz @ W


def _shifts(H: np.ndarray) -> np.ndarray:
    """The 9 neighbours ``(N, C, 9, nb, na)``: zero padding in beta (rows), circular in alpha (columns)."""
    P = np.pad(H, ((0, 0), (0, 0), (1, 1), (0, 0)))
    out = []
    for di in (-1, 0, 1):
        rows = P[:, :, 1 + di : 1 + di + H.shape[2], :]
        for dj in (-1, 0, 1):
            out.append(np.roll(rows, -dj, axis=3))
    return np.stack(out, axis=2)


def _unshift(G: np.ndarray) -> np.ndarray:
    """Adjoint of :func:`_shifts`."""
    N, C, _, nb, na = G.shape
    P = np.zeros((N, C, nb + 2, na))
    k = 0
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            P[:, :, 1 + di : 1 + di + nb, :] += np.roll(G[:, :, k], dj, axis=3)
            k += 1
    return P[:, :, 1:-1, :]


class PlanarCNN:
    """Two 3x3 convolutions on the equiangular image (circular in alpha), ReLU, mean pooling, dense output."""

    def __init__(self, B: int, channels: int, seed: int) -> None:
        self.grid = s2_grid(2 * B, "gauss")
        eye = np.eye(B * B)
        self.synth = s2_inverse([eye[:, l * l : (l + 1) ** 2] for l in range(B)], self.grid, real=True).reshape(B * B, -1)
        rng = np.random.default_rng(seed)
        C = channels
        self.params = [rng.standard_normal((C, 1, 9)) * math.sqrt(2.0 / 9), np.zeros(C),
                       rng.standard_normal((C, C, 9)) * math.sqrt(2.0 / (9 * C)), np.zeros(C),
                       rng.standard_normal(C) / math.sqrt(C), np.zeros(1)]

    def _image(self, X: np.ndarray) -> np.ndarray:
        return (X @ self.synth).reshape((X.shape[0], 1) + self.grid.shape) * math.sqrt(4 * math.pi)

    def _cache(self, X: np.ndarray) -> dict:
        K1, b1, K2, b2, v, c = self.params
        I = self._image(X)
        S0 = _shifts(I)
        z1 = np.einsum("kcs,ncsij->nkij", K1, S0) + b1[None, :, None, None]
        h1 = np.maximum(z1, 0.0)
        S1 = _shifts(h1)
        z2 = np.einsum("kcs,ncsij->nkij", K2, S1) + b2[None, :, None, None]
        h2 = np.maximum(z2, 0.0)
        pooled = h2.mean(axis=(2, 3))
        return {"S0": S0, "z1": z1, "S1": S1, "z2": z2, "pooled": pooled, "out": pooled @ v + c[0]}

    def forward(self, X: np.ndarray) -> np.ndarray:
        return self._cache(X)["out"]

    def backward(self, X: np.ndarray, g: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        K1, b1, K2, b2, v, c = self.params
        k = self._cache(X)
        npix = k["z2"].shape[2] * k["z2"].shape[3]
        dz2 = (np.outer(g, v) / npix)[:, :, None, None] * (k["z2"] > 0)
        dK2 = np.einsum("nkij,ncsij->kcs", dz2, k["S1"])
        dh1 = _unshift(np.einsum("nkij,kcs->ncsij", dz2, K2))
        dz1 = dh1 * (k["z1"] > 0)
        dK1 = np.einsum("nkij,ncsij->kcs", dz1, k["S0"])
        dI = _unshift(np.einsum("nkij,kcs->ncsij", dz1, K1))
        dX = dI.reshape(X.shape[0], -1) @ self.synth.T * math.sqrt(4 * math.pi)
        grads = [dK1, dz1.sum(axis=(0, 2, 3)), dK2, dz2.sum(axis=(0, 2, 3)), k["pooled"].T @ g, np.array([g.sum()])]
        return grads, dX


# -- training -------------------------------------------------------------------------------------------------
def _logistic(f: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    m = y * f
    loss = float(np.mean(np.logaddexp(0.0, -m)))
    return loss, -y * np.exp(-np.logaddexp(0.0, m)) / f.size  # d mean log(1 + e^-m) / df


def train_adam(net: Any, X: np.ndarray, y: np.ndarray, cfg: Config, seed: int) -> list[float]:
    """Adam (Kingma and Ba 2015) on the mean logistic loss with mini-batches; returns the loss per step."""
    rng = np.random.default_rng(seed)
    m = [np.zeros_like(p) for p in net.params]
    s = [np.zeros_like(p) for p in net.params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    losses = []
    for t in range(1, cfg.steps + 1):
        idx = rng.choice(X.shape[0], size=min(cfg.batch_size, X.shape[0]), replace=False)
        f = net.forward(X[idx])
        loss, g = _logistic(f, y[idx])
        losses.append(loss)
        grads, _ = net.backward(X[idx], g)
        for p, gr, mi, si in zip(net.params, grads, m, s):
            mi *= b1
            mi += (1 - b1) * gr
            si *= b2
            si += (1 - b2) * gr * gr
            p -= cfg.lr * (mi / (1 - b1**t)) / (np.sqrt(si / (1 - b2**t)) + eps)
    return losses


def linearizations(net: Any, X: np.ndarray) -> np.ndarray:
    """``grad_x f(x)`` at every row (one backward pass each)."""
    return np.stack([net.backward(X[i : i + 1], np.ones(1))[1][0] for i in range(X.shape[0])])


def degree_norms(G: np.ndarray, B: int) -> np.ndarray:
    """Per-degree norms ``n_l = ||beta_l||`` of real-harmonic coordinates, shape ``(N, B)``.

    Examples
    --------
    >>> degree_norms(np.array([[3.0, 0.0, 4.0, 0.0]]), 2).tolist()
    [[3.0, 4.0]]
    """
    return np.stack([np.linalg.norm(G[:, l * l : (l + 1) ** 2], axis=1) for l in range(B)], axis=1)


def fourier_ratio(G: np.ndarray, B: int) -> np.ndarray:
    """``sum_l sqrt(2l+1) n_l / ||beta||`` per row (module docstring)."""
    n = degree_norms(G, B)
    return (n @ np.sqrt(2 * np.arange(B) + 1.0)) / np.linalg.norm(G, axis=1)


def real_space_ratio(G: np.ndarray, B: int) -> np.ndarray:
    """``||beta||_1 / (sqrt(4 pi) ||beta||_2)`` on S^2 per row (quadrature on a band-4B grid)."""
    g = s2_grid(4 * B, "gauss")
    f = s2_inverse([G[:, l * l : (l + 1) ** 2] for l in range(B)], g, real=True)
    l1 = g.integrate(np.abs(f))
    l2 = np.sqrt(g.integrate(f * f))
    return l1 / (math.sqrt(4 * math.pi) * l2)


def invariance_error(net: Any, X: np.ndarray, B: int, seed: int) -> float:
    """``mean |f(x) - f(T x)| / mean |f(x)|`` over the rows, ``T`` a random rotation per row."""
    rng = np.random.default_rng(seed)
    Xr = rotate_coordinates(X, random_rotations(X.shape[0], rng), B)
    f, fr = net.forward(X), net.forward(Xr)
    return float(np.mean(np.abs(f - fr)) / max(float(np.mean(np.abs(f))), 1e-300))


def summary_lines(out: dict, cfg: Config, n_lin: int) -> list[str]:
    """The summary of :func:`run`; a statistic without data prints as ``n/a`` with the reason, never ``nan``.

    Examples
    --------
    >>> out = {"accuracy": {"FC": {"test": 0.5}}, "invariance": {"FC": 0.0}, "zero_gradients": {"FC": 4},
    ...        "fourier_ratio": {"FC": {"mean": float("nan"), "std": float("nan")}},
    ...        "real_space_ratio": {"FC": {"mean": float("nan"), "std": float("nan")}}}
    >>> summary_lines(out, TINY, 4)[2].endswith("FC n/a (all 4 input gradients are zero)")
    True
    """
    def stat(name: str, v: dict, spec: str) -> str:
        zero = out.get("zero_gradients", {}).get(name, 0)
        if zero >= n_lin or not np.isfinite(v["mean"]):
            return f"{name} n/a (all {n_lin} input gradients are zero)"
        note = f" ({zero} of {n_lin} input gradients zero, left out)" if zero else ""
        return f"{name} {num(v['mean'], spec)} +- {num(v['std'], spec)}{note}"

    acc = ", ".join(f"{n} {num(a['test'], '.2f')}" for n, a in out["accuracy"].items())
    return [
        f"digits {cfg.digits[0]} vs {cfg.digits[1]} on S^2, band limit {cfg.bandlimit}, "
        f"{'randomly rotated' if cfg.rotate else 'not rotated'}; test accuracy: {acc}",
        "relative output change under random rotations, mean|f(x) - f(Tx)| / mean|f(x)|: "
        + ", ".join(f"{n} {num(v, '.3f')}" for n, v in out["invariance"].items()),
        "Fourier ratio sum_l sqrt(2l+1) n_l / ||beta|| of the local linearizations (lower = fewer degrees): "
        + ", ".join(stat(n, v, ".2f") for n, v in out["fourier_ratio"].items()),
        "real-space ratio ||beta||_1 / (sqrt(4 pi) ||beta||_2) (higher = less localized): "
        + ", ".join(stat(n, v, ".3f") for n, v in out["real_space_ratio"].items()),
    ]


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the three networks and analyse their local linearizations (module docstring).

    Returns
    -------
    dict
        ``config``, ``accuracy`` (train/test per model), ``invariance`` (relative output change
        under random rotations, :func:`invariance_error`), ``degree_energy`` (mean fraction of ``||beta||^2`` per
        degree), ``fourier_ratio`` and ``real_space_ratio`` (mean and std per model, over the nonzero
        input gradients; NaN if all are zero), ``zero_gradients`` (how many were zero), ``losses``,
        ``rows`` (empty: no predicted optimum for nonlinear networks) and ``summary``.
    """
    cfg = config
    B = cfg.bandlimit
    Xtr, ytr, Xte, yte = make_data(cfg)
    nets = {
        "spherical CNN": SphericalCNN(B, cfg.channels, grid_bandlimit=cfg.grid_bandlimit, seed=cfg.seed + 1),
        "planar CNN": PlanarCNN(B, cfg.cnn_channels, seed=cfg.seed + 2),
        "FC": FCNet(B * B, cfg.fc_width, seed=cfg.seed + 3),
    }
    out: dict = {"name": NAME, "config": cfg, "accuracy": {}, "invariance": {}, "degree_energy": {},
                 "fourier_ratio": {}, "real_space_ratio": {}, "zero_gradients": {}, "losses": {}, "rows": [],
                 "summary": []}
    Xlin = Xte[: cfg.n_linearizations]
    for k, (name, net) in enumerate(nets.items()):
        out["losses"][name] = train_adam(net, Xtr, ytr, cfg, seed=cfg.seed + 10 + k)
        out["accuracy"][name] = {"train": float(np.mean(np.sign(net.forward(Xtr)) == ytr)),
                                 "test": float(np.mean(np.sign(net.forward(Xte)) == yte))}
        out["invariance"][name] = invariance_error(net, Xlin, B, cfg.seed + 20)
        G = linearizations(net, Xlin)
        G = G[np.linalg.norm(G, axis=1) > 0]  # a zero gradient (dead ReLUs) has no degree profile
        out["zero_gradients"][name] = int(Xlin.shape[0] - G.shape[0])
        if G.shape[0]:
            n2 = degree_norms(G, B) ** 2
            out["degree_energy"][name] = np.mean(n2 / n2.sum(axis=1, keepdims=True), axis=0)
            fr, rr = fourier_ratio(G, B), real_space_ratio(G, B)
        else:
            out["degree_energy"][name] = np.full(B, np.nan)
            fr = rr = np.full(1, np.nan)
        out["fourier_ratio"][name] = {"mean": float(fr.mean()), "std": float(fr.std())}
        out["real_space_ratio"][name] = {"mean": float(rr.mean()), "std": float(rr.std())}
    out["summary"] += summary_lines(out, cfg, Xlin.shape[0])
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


COLORS = {"spherical CNN": "tab:red", "planar CNN": "tab:blue", "FC": "tab:green"}


def plot(metrics: dict, path: str | Path) -> None:
    """Left: mean fraction of ``||beta||^2`` per degree; middle: Fourier ratio vs real-space ratio; right: training loss."""
    fig, axes = new_figure(1, 3, width=4.0, height=3.2)
    ax = axes[0, 0]
    names = list(metrics["degree_energy"])
    B = len(next(iter(metrics["degree_energy"].values())))
    width = 0.8 / max(len(names), 1)
    for i, n in enumerate(names):
        ax.bar(np.arange(B) + (i - (len(names) - 1) / 2) * width, metrics["degree_energy"][n], width, color=COLORS.get(n), label=n)
    ax.set_xlabel("degree l")
    ax.set_ylabel("mean fraction of ||grad_x f||^2")
    ax.set_title("local linearizations: energy per degree", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    for n in names:
        fr, rr = metrics["fourier_ratio"][n], metrics["real_space_ratio"][n]
        ax.errorbar([fr["mean"]], [rr["mean"]], xerr=[fr["std"]], yerr=[rr["std"]], marker="o", color=COLORS.get(n), label=n)
    ax.set_xlabel("Fourier ratio  sum sqrt(2l+1) n_l / ||beta||")
    ax.set_ylabel("real-space ratio  ||beta||_1 / (sqrt(4pi) ||beta||_2)")
    ax.set_title("Fourier vs real-space norms (mean +- std)", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[0, 2]
    for n, L in metrics["losses"].items():
        L = np.asarray(L, dtype=float)
        k = max(1, L.size // 30)
        smooth = np.convolve(L, np.ones(k) / k, mode="valid")
        acc = metrics["accuracy"][n]["test"]
        ax.plot(np.arange(smooth.size) + k, smooth, color=COLORS.get(n), label=f"{n} (test acc {acc:.2f})")
    ax.set_xlabel("Adam step")
    ax.set_ylabel("logistic loss (moving average)")
    ax.set_yscale("log")
    ax.set_title("training", fontsize=9)
    ax.legend(fontsize=7)
    save_figure(fig, path)
