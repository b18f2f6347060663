"""Digits 1 vs 5 lifted to functions on (C_n x C_n) : D4 (the poster's figure 4), 8 x 8 or 28 x 28.

Each n x n image is lifted to a function on ``G = gt.torus_p4m(n)`` (order ``8 n^2``) by
:func:`grouptools.fourier.lift_image`: ``lift(x)(t h) = x(t)``, constant on the cosets of the
point group D4. Three linear architectures of depth L are trained on 1 (label +1) against 5 (-1):

- a G-CNN over ``G`` on the lifted functions (predicted: d_rho-weighted Schatten 2/L of the Fourier
  blocks over ``G``);
- a fully connected network on the lifted functions (predicted: the SVM);
- a CNN over the translations ``T = C_n x C_n``: our choice is the 2-D circular CNN on the image
  itself, i.e. the linear G-CNN over the abelian group ``gt.abelian((n, n))`` acting on the ``n^2``
  pixels (pixel ``(u, v)`` at index ``u n + v``, the translation's index). Its prediction is the
  l_{2/L} quasi-norm of the 2-D DFT of the image-space beta. To compare it with the others its
  predictor is mapped to ``G`` as ``lift(beta_img) / 8``, the function on ``G`` that computes the same
  classifier on lifted inputs (``<lift(x), lift(b)> = 8 <x, b>``; constant on D4-cosets).

Every architecture is scored in ``G``-space on three problems: the G-CNN's Schatten problem (Fourier
space), the real-space ``min ||beta||_{2/L}`` (real-space sparsity) and the SVM. The expected picture
(Meshulam's trade-off): the G-CNN has the lowest Fourier (Schatten) norm, FC the lowest l2.

Lawrence et al. used MNIST (28 x 28, ``|G| = 6272``), which no installed package ships. The full mode
therefore uses a stand-in of the same size (``image_size = 28``): scikit-learn's 8 x 8 digits,
scaled to [0, 1], upsampled by bilinear interpolation (``scipy.ndimage.zoom``, ``order=1``) and
normalized like the MNIST images of Lawrence et al. (``(x - 0.1307) / 0.3081``; :func:`upsample_digits`).
It has MNIST's size and group but not its content: 8 x 8 digits carry 64 pixels of information.
Set ``mnist_path`` (CLI ``--mnist PATH``) to a directory with the MNIST IDX training files (raw or
gzip) to run on MNIST (same normalization). Above ``|G| = 2000`` the G-CNN's Schatten problem is
solved with the block structure (:mod:`training.experiments._large_schatten`, the convex ``L = 2``
optimum once for all depths; the CNN's convex ``L = 2`` problem over ``C_n x C_n`` by the same block
solver) and the polish uses the augmented Lagrangian of :func:`training.polish`.
The FC network is trained in the row space of its data (:class:`~training.experiments._rowspace.RowSpaceFC`,
the same trajectory at ``O(N^2 width)`` per step instead of ``O(N |G| width)``). ``n_per_class`` (CLI
``--n-per-class``, at most :func:`available_per_class`) sets the number of images of each digit. The reference code of Lawrence et al. hard-codes irrep
degrees 3136 x 1 + 784 x 2 for that group, which are those of the direct product
C28 x C28 x D8; the semidirect product has degrees 8 x 1, 6 x 2, 78 x 4, 78 x 8 (docs/theory.md), and the toolkit computes them from the group.

Examples
--------
>>> QUICK.n_per_class, QUICK.depths, QUICK.image_size, FULL.image_size
(20, (3,), 8, 28)
"""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

import grouptools as gt
from grouptools.fourier import lift_image

from .. import bias
from .._checks import check_positive_int, clip
from .._errors import ParameterError
from ._config import TrainConfig
from ._data import unit_rms
from ._large_schatten import lean_operator, nuclear_blocks, schatten_problem
from ._plots import ARCH_COLORS, new_figure, plot_ratio_traces, save_figure
from ._problems import solve_problem
from ._report import progress_bar, row, summarize
from ._runner import run_arch
from ._store import write_json

__all__ = [
    "Config",
    "FULL",
    "LARGE_ORDER",
    "NAME",
    "QUICK",
    "TINY",
    "TINY28",
    "available_per_class",
    "check_n_per_class",
    "load_digits_1_vs_5",
    "load_mnist_1_vs_5",
    "plot",
    "read_idx",
    "run",
    "upsample_digits",
]

NAME = "digits_1_vs_5"

SEEDS_MEAN, SEEDS_STD = 0.1307, 0.3081
"""The MNIST normalization of Lawrence et al. (``(x - mean) / std`` for pixels in [0, 1])."""
LARGE_ORDER = 2000
"""Above this group order the Schatten problem and the polish use the block-structured solvers."""

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path, *, max_bytes: int = 2**31) -> np.ndarray:
    """Read an IDX file (the MNIST format), raw or gzip-compressed.

    Format (LeCun et al., "THE MNIST DATABASE"): two zero bytes, a type code (``0x08`` unsigned
    byte, ``0x09`` signed byte, ``0x0B`` int16, ``0x0C`` int32, ``0x0D`` float32, ``0x0E``
    float64), the number of dimensions, the dimensions as big-endian int32, then the data in C order.
    Compression is detected from the gzip magic bytes ``1f 8b``, not from the file name.

    Parameters
    ----------
    path : str or Path
    max_bytes : int
        Refuse files whose (decompressed) data would exceed this size.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ParameterError
        Not an IDX file, truncated, or too large.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.idx")
    >>> _ = open(p, "wb").write(bytes([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 3, 7, 8, 9]))
    >>> read_idx(p).tolist()
    [[7, 8, 9]]
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rb") as fh:
            header = fh.read(4)
            if len(header) != 4 or header[0] != 0 or header[1] != 0 or header[2] not in _IDX_TYPES:
                raise ParameterError(f"{path}: not an IDX file (bad magic number)")
            ndim = header[3]
            raw_dims = fh.read(4 * ndim)
            if len(raw_dims) != 4 * ndim:
                raise ParameterError(f"{path}: truncated IDX header")
            dims = tuple(int(d) for d in np.frombuffer(raw_dims, dtype=">i4"))
            dtype = np.dtype(_IDX_TYPES[header[2]])
            nbytes = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
            if nbytes > max_bytes:
                raise ParameterError(f"{path}: IDX data of {nbytes} bytes exceeds max_bytes={max_bytes}")
            data = fh.read(nbytes + 1)
    except OSError as exc:
        raise ParameterError(f"cannot read IDX file {path}: {exc.strerror or exc}") from exc
    if len(data) != nbytes:
        raise ParameterError(f"{path}: IDX data has {len(data)} bytes, header says {nbytes}")
    return np.frombuffer(data, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def _balanced_1_vs_5(images: np.ndarray, labels: np.ndarray, n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    idx = []
    for digit in (1, 5):
        pool = np.flatnonzero(labels == digit)
        if pool.size < n_per_class:
            raise ParameterError(f"only {pool.size} images of digit {digit}, need n_per_class={n_per_class}")
        idx.append(np.sort(rng.choice(pool, n_per_class, replace=False)))
    order = np.ravel(np.column_stack(idx))  # alternate 1, 5, 1, 5, ...
    imgs = images[order].astype(float)
    imgs = imgs / max(float(imgs.max()), 1e-300)
    return imgs, np.where(labels[order] == 1, 1.0, -1.0)


def load_digits_1_vs_5(n_per_class: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits 1 (label +1) and 5 (label -1), scaled to [0, 1], ``n_per_class`` each.

    Returns images of shape ``(2 n_per_class, 8, 8)`` and labels (alternating).

    Examples
    --------
    >>> imgs, y = load_digits_1_vs_5(2)
    >>> imgs.shape, y.tolist()
    ((4, 8, 8), [1.0, -1.0, 1.0, -1.0])
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    return _balanced_1_vs_5(d.images, d.target, check_positive_int("n_per_class", n_per_class), seed)


def upsample_digits(images: np.ndarray, size: int = 28) -> np.ndarray:
    """Bilinear upsampling of images in [0, 1] to ``size x size``, then the MNIST normalization of Lawrence et al.

    Each image is zoomed by ``size / h`` with ``scipy.ndimage.zoom(order=1)`` (bilinear, corners
    aligned, no randomness), clipped to [0, 1] and mapped to ``(x - 0.1307) / 0.3081``.

    Parameters
    ----------
    images : numpy.ndarray
        Shape ``(N, h, h)``, values in [0, 1].
    size : int
        Output side, ``h <= size <= 64``.

    Returns
    -------
    numpy.ndarray
        Shape ``(N, size, size)``.

    Raises
    ------
    ParameterError
        Bad shape or size.

    Examples
    --------
    >>> out = upsample_digits(np.ones((1, 8, 8)), 28)
    >>> out.shape, bool(np.allclose(out, (1 - 0.1307) / 0.3081))
    ((1, 28, 28), True)
    """
    from scipy.ndimage import zoom

    images = np.asarray(images, dtype=float)
    if images.ndim != 3 or images.shape[1] != images.shape[2] or images.shape[1] < 1:
        raise ParameterError(f"images must have shape (N, h, h), got {images.shape}")
    if isinstance(size, bool) or not isinstance(size, int) or not images.shape[1] <= size <= 64:
        raise ParameterError(f"size must be an integer in [{images.shape[1]}, 64], got {size!r}")
    h = images.shape[1]
    out = np.stack([zoom(im, size / h, order=1) for im in images]) if size != h else images.copy()
    return (np.clip(out, 0.0, 1.0) - SEEDS_MEAN) / SEEDS_STD


def _mnist_file(path: Path, stem: str) -> Path:
    cands = [path / stem, path / (stem + ".gz"), path / stem.replace("-idx", ".idx")]
    hit = next((c for c in cands if c.is_file()), None)
    if hit is None:
        raise ParameterError(f"{clip(str(path))}: no {stem}[.gz] (MNIST training files) found")
    return hit


def load_mnist_1_vs_5(path: str | Path, n_per_class: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST 1 vs 5 from a directory with ``train-images-idx3-ubyte[.gz]`` and ``train-labels-idx1-ubyte[.gz]``.

    Pixels are scaled to [0, 1] and normalized as in Lawrence et al. (``(x - 0.1307) / 0.3081``).

    Raises
    ------
    ParameterError
        Missing or malformed files.
    """
    path = Path(path)
    images = read_idx(_mnist_file(path, "train-images-idx3-ubyte"))
    labels = read_idx(_mnist_file(path, "train-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ParameterError(f"{path}: MNIST images {images.shape} and labels {labels.shape} do not match")
    imgs, y = _balanced_1_vs_5(images, labels, check_positive_int("n_per_class", n_per_class), seed)
    return (imgs - SEEDS_MEAN) / SEEDS_STD, y


def available_per_class(mnist_path: str | Path | None = None) -> int:
    """How many images of the rarer of the digits 1 and 5 there are: the largest valid ``n_per_class``.

    scikit-learn's digits (the default and the 28 x 28 stand-in) have 182 ones and 182 fives; with
    ``mnist_path`` the labels file of that directory is read (MNIST's training set: 6742 and 5421).

    Raises
    ------
    ParameterError
        ``mnist_path`` has no readable labels file.

    Examples
    --------
    >>> available_per_class()
    182
    """
    if mnist_path is None:
        from sklearn.datasets import load_digits

        labels = load_digits().target
    else:
        labels = read_idx(_mnist_file(Path(mnist_path), "train-labels-idx1-ubyte"))
    return int(min(np.count_nonzero(labels == 1), np.count_nonzero(labels == 5)))


def check_n_per_class(n_per_class: object, mnist_path: str | Path | None = None) -> int:
    """``n_per_class`` as an ``int`` if it is an integer in ``[1, available_per_class(mnist_path)]``.

    Raises
    ------
    ParameterError
        Not a positive integer, or more than the images available.

    Examples
    --------
    >>> check_n_per_class(50)
    50
    >>> check_n_per_class(500)
    Traceback (most recent call last):
    ...
    training._errors.ParameterError: n_per_class=500 exceeds the 182 images of the rarer digit (1 or 5) in scikit-learn's digits
    """
    n = check_positive_int("n_per_class", n_per_class)
    avail = available_per_class(mnist_path)
    if n > avail:
        where = "scikit-learn's digits" if mnist_path is None else f"MNIST at {clip(str(mnist_path))}"
        raise ParameterError(f"n_per_class={n} exceeds the {avail} images of the rarer digit (1 or 5) in {where}")
    return n


@dataclass(frozen=True)
class Config:
    """Configuration.

    Attributes
    ----------
    n_per_class : int
        Images of each digit (CLI ``--n-per-class``; at most :func:`available_per_class`).
    depths : tuple of int
        Depths L (Lawrence et al. use 3).
    fc_width : int
        Hidden width of the FC network (the SVM prediction holds for every width).
    image_size : int
        8: scikit-learn's 8 x 8 digits in [0, 1]; 9 to 64: those digits upsampled to this size
        (:func:`upsample_digits`, the 28 x 28 stand-in for MNIST). Ignored with ``mnist_path``.
    mnist_path : str, optional
        Directory with ``train-images-idx3-ubyte[.gz]`` and ``train-labels-idx1-ubyte[.gz]``; without
        it scikit-learn's digits are used.
    seed : int
        Seed of the image selection and of the initializations.
    starts : int
        Starts of the nonconvex max-margin solvers.
    lr_factors : tuple of (str, float)
        Per-architecture multipliers of ``train.lr``: on the lifted digits the FC network escapes
        its small-initialization saddle only with a much larger step than the G-CNN tolerates.
    train : TrainConfig
    """

    n_per_class: int = 20
    depths: tuple[int, ...] = (3,)
    fc_width: int = 32
    image_size: int = 8
    mnist_path: str | None = None
    seed: int = 0
    starts: int = 2
    lr_factors: tuple[tuple[str, float], ...] = (("FC", 16.0),)
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        check_positive_int("n_per_class", self.n_per_class)
        for L in self.depths:
            check_positive_int("depth", L)
        check_positive_int("fc_width", self.fc_width)
        check_positive_int("starts", self.starts)
        if isinstance(self.image_size, bool) or not isinstance(self.image_size, int) or not 8 <= self.image_size <= 64:
            raise ParameterError(f"image_size must be an integer in [8, 64], got {self.image_size!r}")
        for arch, f in self.lr_factors:
            if arch not in ("G-CNN", "CNN", "FC") or not (f > 0):
                raise ParameterError(f"lr_factors entries must be (architecture, factor > 0), got {(arch, f)!r}")


TINY = Config(n_per_class=3, depths=(2,), fc_width=4, starts=1,
              train=TrainConfig(steps=150, lr=0.05, record_points=5, polish=False))
TINY28 = Config(n_per_class=2, depths=(2,), fc_width=2, starts=1, image_size=28,
                train=TrainConfig(steps=60, lr=0.05, init_scale=0.5, record_points=3, polish_max_iter=40))
QUICK = Config(train=TrainConfig(steps=1000, lr=0.05, init_scale=0.5, record_points=15, polish_max_iter=50))
FULL = Config(n_per_class=50, depths=(3, 2), fc_width=64, starts=4, image_size=28,
              train=TrainConfig(steps=20000, lr=0.05, init_scale=0.5, record_points=40))


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Lift the images, train G-CNN, 2-D CNN and FC at each depth; return the metrics (JSON-ready).

    ``metrics["seconds"]`` and ``metrics["cpu_seconds"]`` hold the wall and CPU time of each phase:
    ``setup`` (data, group, Fourier operator), ``convex optimum`` (the ``L = 2`` Schatten problem over
    a large group, shared by the depths), ``problems L=<d>`` (the predicted problems of that depth) and
    ``<arch> L=<d>`` (training, polish and scoring of one network; its ``seconds`` and ``cpu_seconds``
    split training from polish).
    """
    clock = _Clock()
    if config.mnist_path is None:
        imgs, y = load_digits_1_vs_5(config.n_per_class, seed=config.seed)
        source = "scikit-learn digits 8x8"
        if config.image_size != 8:
            imgs = upsample_digits(imgs, config.image_size)
            k = config.image_size
            source = f"scikit-learn digits 8x8 upsampled to {k}x{k} (bilinear; a stand-in for MNIST)"
    else:
        imgs, y = load_mnist_1_vs_5(config.mnist_path, config.n_per_class, seed=config.seed)
        source = f"MNIST {imgs.shape[-1]}x{imgs.shape[-1]} ({config.mnist_path})"
    n = imgs.shape[-1]
    G, T = gt.torus_p4m(n), gt.abelian((n, n))
    large = G.order > LARGE_ORDER
    op = lean_operator(G) if large else bias.fourier_operator(G)
    nh = G.order // (n * n)
    XI = unit_rms(imgs.reshape(len(y), n * n))  # image space
    XG = lift_image(G, XI) / np.sqrt(nh)  # G space, also unit RMS norm: ||lift(x)||^2 = 8 ||x||^2
    embed = lambda b: lift_image(G, b) / np.sqrt(nh)  # <XG, embed(b)> = <XI, b>  # noqa: E731
    out: dict = {"name": NAME, "config": config, "source": source,
                 "group": {"order": G.order, "irrep_dims": op.dims}, "runs": {}, "rows": [],
                 "summary": [], "images": imgs[:2]}
    clock.lap(out, "setup")
    convex = None
    if large:
        convex = nuclear_blocks(op, y[:, None] * XG)  # the L = 2 optimum, shared by the depths
        clock.lap(out, "convex optimum")
    with progress_bar(3 * len(config.depths), NAME, progress) as bar:
        for L in config.depths:
            P = {"schatten": (schatten_problem(XG, y, L, G, op, convex=convex) if large else
                              solve_problem(XG, y, "schatten", L, group=G, starts=config.starts, seed=config.seed)),
                 "lp": solve_problem(XG, y, "lp", L, starts=config.starts, seed=config.seed),
                 "l2": solve_problem(XG, y, "l2", L),
                 "cnn": (schatten_problem(XI, y, L, T, lean_operator(T)) if large and L <= 2 else
                         solve_problem(XI, y, "schatten", L, group=T, starts=config.starts, seed=config.seed))}
            clock.lap(out, f"problems L={L}")
            runs = {}
            for arch, X, prob, kw in (("G-CNN", XG, P["schatten"], {"group": G}),
                                      ("CNN", XI, P["cnn"], {"group": T, "embed": embed, "X_cross": XG}),
                                      ("FC", XG, P["l2"], {"width": config.fc_width})):
                model_arch = "G-CNN" if arch == "CNN" else arch  # the 2-D CNN is the G-CNN over C_n x C_n
                cfg = replace(config.train, lr=config.train.lr * dict(config.lr_factors).get(arch, 1.0))
                r = run_arch(model_arch, X, y, prob, cfg, seed=config.seed + 1, row_space=arch == "FC",
                             cross={k: P[k] for k in ("schatten", "lp", "l2")}, **kw)
                r["architecture"] = arch
                if arch == "CNN":
                    r["prediction"] = prob.label.replace("Schatten_{2/L}(b_hat)", "l_{2/L}(2-D DFT b)")
                r["beta_image"] = {"raw": _to_image(r["beta_raw"], arch, n, nh),
                                   "polished": None if r["beta_polished"] is None else
                                   _to_image(r["beta_polished"], arch, n, nh)}
                runs[arch] = r
                clock.lap(out, f"{arch} L={L}")
                out["rows"].append(row(NAME, r))
                bar.update(1)
            out["runs"][f"L={L}"] = runs
    out["summary"] += [
        f"data: {source}, {len(y)} images, G = (C{n} x C{n}) : D4 of order {G.order}, irrep degrees "
        + ", ".join(f"{c} x {d}" for d, c in zip(*np.unique(op.dims, return_counts=True))),
        "own prediction (polished, else raw): " + summarize(out["runs"]),
        "Fourier: Schatten_{2/L} ratio over G (G-CNN's problem): " + summarize(out["runs"], "schatten"),
        "real space: l_{2/L} ratio over G: " + summarize(out["runs"], "lp"),
        "SVM ratio: " + summarize(out["runs"], "l2"),
    ]
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


class _Clock:
    """Wall and CPU time since the last lap, stored under ``out["seconds"]`` and ``out["cpu_seconds"]``."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, out: dict, key: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        out.setdefault("seconds", {})[key] = wall - self.wall
        out.setdefault("cpu_seconds", {})[key] = cpu - self.cpu
        self.wall, self.cpu = wall, cpu


def _to_image(beta: np.ndarray, arch: str, n: int, nh: int) -> np.ndarray:
    """The image-space predictor: the classifier ``x -> <XG(x), beta>`` as ``<x, b_img>``."""
    b = np.asarray(beta, dtype=float)
    if arch == "CNN":
        return b.reshape(n, n)
    return b.reshape(nh, n * n).sum(axis=0).reshape(n, n) / np.sqrt(nh)


def plot(metrics: dict, path: str | Path) -> None:
    """One row per depth: Fourier (Schatten), real-space l_{2/L} and SVM ratios of the three networks over
    training (stars: polished points); last row: image-space betas of the first depth (polished, else raw)."""
    depths = list(metrics["runs"].items())
    fig, axes = new_figure(len(depths) + 1, 3, width=3.9, height=3.1)
    for i, (label, runs) in enumerate(depths):
        for ax, key, title in ((axes[i, 0], "ratio:schatten", "Fourier: Schatten_{2/L} over G"),
                               (axes[i, 1], "ratio:lp", "real space: l_{2/L} over G"),
                               (axes[i, 2], "ratio:l2", "SVM (l_2)")):
            plot_ratio_traces(ax, runs, key, f"{label}, {title}")
    label, runs = depths[0]
    for ax, (arch, r) in zip(axes[-1], runs.items()):
        img = r["beta_image"]["polished"]
        kind = "raw" if img is None else "polished"
        img = np.asarray(r["beta_image"]["raw"] if img is None else img, dtype=float)
        v = float(np.max(np.abs(img))) or 1.0
        im = ax.imshow(img, cmap="RdBu_r", vmin=-v, vmax=v)
        ax.set_title(f"{arch} {label}: image-space beta ({kind})", fontsize=9, color=ARCH_COLORS.get(arch))
        ax.set_xticks([])
        ax.set_yticks([])
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.suptitle(f"{metrics['source']}: 1 vs 5 on (C_n x C_n) : D4 (|G| = {metrics['group']['order']})", fontsize=10)
    save_figure(fig, path)
