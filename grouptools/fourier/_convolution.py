"""Group convolution and correlation, translations, the regular representation, image lifting.

Conventions (``docs/theory.md``, "Groups, functions and the Fourier transform"), with the Fourier
transform ``f_hat(rho) = sum_g f(g) rho(g)`` over unitary irreps ``rho``:

* convolution ``(f * w)(u) = sum_v f(u v^-1) w(v)``, with ``(f * w)^(rho) = f_hat(rho) w_hat(rho)``;
* correlation, the G-CNN layer of Cohen & Welling ("Group equivariant convolutional networks",
  ICML 2016), ``(x star w)(g) = sum_h w(h) x(g h) = sum_k w(g^-1 k) x(k)``, with
  ``(x star w)^(rho) = x_hat(rho) w_hat'(rho)^H`` where ``w_hat'`` is the transform of ``conj(w)``
  (so ``x_hat(rho) w_hat(rho)^H`` for real ``w``);
* left translation ``(L_k f)(u) = f(k^-1 u)`` and right translation ``(R_k x)(g) = x(g k)``.
  Both convolution (in its first argument) and correlation commute with ``L_k``:
  ``(L_k f) * w = L_k (f * w)`` and ``(L_k x) star w = L_k (x star w)``.

Two methods: ``"direct"`` sums over the Cayley table with the numba kernels of
:mod:`grouptools._kernels.convolution` (``O(nnz(w) |G|)`` per function, memory ``O(batch |G|)``;
``python=True`` runs them uncompiled), and
``"fourier"`` multiplies Fourier blocks (:mod:`grouptools.fourier`; fast for groups with an FFT).
Correlation is convolution with the reflected filter: ``x star w = x * w'`` with
``w'(v) = w(v^-1)``, i.e. ``(x star w)(g) = sum_h x(g h) w(h)``, which the direct kernel sums as is.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import GroupTooLargeError, InvalidGroupError
from .._kernels import convolution as kernels
from ..groups import AbelianStructure, SemidirectStructure
from ._blocks import FourierBlocks
from ._fourier import inverse, transform
from ._registry import METHODS

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "convolve",
    "correlate",
    "left_translate",
    "right_translate",
    "regular_representation",
    "lift_image",
]

_METHODS = ("auto", "direct", "fourier")


def _element(G: FiniteGroup, g: Any) -> int:
    if isinstance(g, str):
        return G.element(g)
    if isinstance(g, bool) or not isinstance(g, (int, np.integer)) or not 0 <= int(g) < G.order:
        raise InvalidGroupError(f"an element must be an index in 0..{G.order - 1} or a word, got {g!r}")
    return int(g)


def _as_function(G: FiniteGroup, f: Any, name: str) -> np.ndarray:
    a = np.asarray(f)
    if a.ndim < 1 or a.shape[-1] != G.order:
        raise InvalidGroupError(f"{name} needs a last axis of length |G| = {G.order}, got shape {a.shape}")
    if not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise InvalidGroupError(f"{name} must be numeric, got dtype {a.dtype}")
    return a


# ---------------------------------------------------------------------------------------------
# translations and the regular representation
# ---------------------------------------------------------------------------------------------
def left_translate(G: FiniteGroup, f: Any, g: Any) -> np.ndarray:
    """``(L_g f)(u) = f(g^-1 u)``, along the last axis.

    ``g`` is an element index or a word. ``L_g L_h = L_{gh}``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier._convolution import left_translate
    >>> left_translate(gt.cyclic(4), np.array([1.0, 2.0, 3.0, 4.0]), 1)
    array([4., 1., 2., 3.])
    """
    a = _as_function(G, f, "f")
    return a[..., G.left_multiplication(int(G.inverse[_element(G, g)]))]


def right_translate(G: FiniteGroup, f: Any, k: Any) -> np.ndarray:
    """``(R_k f)(g) = f(g k)``, along the last axis. ``R_k R_l = R_{kl}``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier._convolution import right_translate
    >>> right_translate(gt.cyclic(4), np.array([1.0, 2.0, 3.0, 4.0]), 1)
    array([2., 3., 4., 1.])
    """
    a = _as_function(G, f, "f")
    return a[..., G.right_multiplication(_element(G, k))]


def regular_representation(
    G: FiniteGroup, g: Any, *, side: str = "left", kind: str = "matrix", max_order: int = 4096
) -> Any:
    """The regular representation of ``g``: ``L_g`` (``side="left"``) or ``R_g`` (``"right"``).

    Parameters
    ----------
    G : FiniteGroup
    g : int or str
        Element index or word.
    side : {"left", "right"}
        ``(L_g f)(u) = f(g^-1 u)`` (so ``L_g e_u = e_{g u}``) or ``(R_g f)(u) = f(u g)``.
    kind : {"matrix", "sparse", "index"}
        A dense 0/1 float matrix ``P`` with ``P @ f`` the translate, a ``scipy.sparse`` CSR matrix,
        or the index array ``idx`` with ``f[idx]`` the translate.
    max_order : int
        Largest order for a dense matrix (``8 |G|^2`` bytes).

    Raises
    ------
    GroupTooLargeError
        For a dense matrix of a group larger than ``max_order``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier._convolution import regular_representation
    >>> G = gt.dihedral(3)
    >>> a, b = G.element("r"), G.element("s")
    >>> P = regular_representation(G, a) @ regular_representation(G, b)
    >>> bool(np.array_equal(P, regular_representation(G, G.multiply(a, b))))
    True
    """
    x = _element(G, g)
    if side == "left":
        idx = G.left_multiplication(int(G.inverse[x]))
    elif side == "right":
        idx = G.right_multiplication(x)
    else:
        raise InvalidGroupError(f"side must be 'left' or 'right', got {side!r}")
    idx = np.asarray(idx, dtype=np.int64)
    n = G.order
    if kind == "index":
        return idx
    if kind == "sparse":
        import scipy.sparse as sp

        return sp.csr_matrix((np.ones(n), (np.arange(n), idx)), shape=(n, n))
    if kind != "matrix":
        raise InvalidGroupError(f"kind must be 'matrix', 'sparse' or 'index', got {kind!r}")
    if n > max_order:
        raise GroupTooLargeError(f"a dense {n} x {n} permutation matrix exceeds max_order={max_order}")
    P = np.zeros((n, n))
    P[np.arange(n), idx] = 1.0
    return P


# ---------------------------------------------------------------------------------------------
# lifting images
# ---------------------------------------------------------------------------------------------
def lift_image(G: FiniteGroup, image: Any) -> np.ndarray:
    """Lift a function on the abelian normal subgroup (an image) to ``G = N : H``.

    For ``G = gt.torus_p4m(n) = (C_n x C_n) : D4`` the pixel ``(u, v)`` of an ``n x n`` image
    (row ``u``, column ``v``) is the translation ``n = (u, v)``, element index
    ``ravel_multi_index((u, v), (n, n))`` of ``N``, and the element ``n*h`` (index ``h*|N| + n``)
    is the affine map ``p -> M_h p + n`` of the torus. The lift is constant on left cosets of ``H``:

        lift(x)(n*h) = x(n) = x((n*h) . 0),

    the image read at the point the group element moves the origin to. It is equivariant: with
    ``G`` acting on images by ``(g . x)(p) = x(g^-1 . p)``, ``lift(g . x) = L_g lift(x)``. E.g.
    the generator ``x`` shifts rows (``numpy.roll(img, 1, axis=0)``), ``y`` shifts columns
    (``numpy.roll(img, 1, axis=1)``), the rotation ``r``, ``(u, v) -> (-v, u)``, maps ``img`` to
    ``img[v, -u]`` at ``(u, v)`` and the reflection ``s``, ``(u, v) -> (u, -v)``, to ``img[u, -v]``.
    The numpy operations about the image centre are these composed with a shift:
    ``numpy.rot90(img)`` is ``x^-1 r``, ``numpy.flip(img, axis=1)`` is ``y^-1 s`` and
    ``numpy.flip(img, axis=0)`` is ``x^-1 r^2 s``. Since the G-correlation (:func:`correlate`)
    commutes with left translations, the G-CNN feature maps of a transformed image are the
    left-translated feature maps of the image.

    Parameters
    ----------
    G : FiniteGroup
        A semidirect product ``N : H`` with ``N`` abelian (``G.structure`` a SemidirectStructure).
    image : array_like, shape (..., *N.invariants) or (..., |N|)

    Returns
    -------
    ndarray, shape (..., |G|)

    Raises
    ------
    InvalidGroupError
        If ``G`` is not such a product or the image has the wrong shape.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier._convolution import lift_image, left_translate
    >>> G = gt.torus_p4m(3)
    >>> img = np.arange(9.0).reshape(3, 3)
    >>> F = lift_image(G, img)
    >>> F.shape, bool(np.array_equal(F[:9], img.ravel()))
    ((72,), True)
    >>> bool(np.array_equal(lift_image(G, np.roll(img, 1, axis=0)), left_translate(G, F, "x")))
    True
    >>> bool(np.array_equal(lift_image(G, np.rot90(img)), left_translate(G, F, "x^-1*r")))
    True
    """
    s = G.structure
    if not (isinstance(s, SemidirectStructure) and isinstance(s.normal.structure, AbelianStructure)):
        raise InvalidGroupError("lift_image needs a semidirect product N : H with N abelian (e.g. torus_p4m)")
    inv = tuple(s.normal.structure.invariants)
    nn, nh = s.normal.order, s.complement.order
    a = np.asarray(image)
    if a.shape[a.ndim - len(inv):] == inv and a.ndim >= len(inv):
        batch = a.shape[: a.ndim - len(inv)]
    elif a.ndim >= 1 and a.shape[-1] == nn:
        batch = a.shape[:-1]
    else:
        raise InvalidGroupError(f"an image on N needs trailing shape {inv} or ({nn},), got {a.shape}")
    flat = a.reshape(batch + (1, nn))
    return np.ascontiguousarray(np.broadcast_to(flat, batch + (nh, nn))).reshape(batch + (nh * nn,))


# ---------------------------------------------------------------------------------------------
# convolution and correlation
# ---------------------------------------------------------------------------------------------
def _fast_transform(G: FiniteGroup) -> bool:
    """Whether ``G``'s structure gives it an FFT (the ``"abelian"`` or ``"clifford"`` method)."""
    return METHODS["abelian"].applies(G) or METHODS["clifford"].applies(G)


def _choose(G: FiniteGroup, method: str, nnz: int, channels: int) -> str:
    if method not in _METHODS:
        raise InvalidGroupError(f"method must be one of {_METHODS}, got {method!r}")
    table_ok = G.order <= G.max_table_order
    if method == "direct" and not table_ok:
        raise GroupTooLargeError(
            f"method='direct' needs the Cayley table, unavailable above order {G.max_table_order}"
        )
    if method != "auto":
        return method
    if not table_ok:
        return "fourier"
    if not _fast_transform(G):
        return "direct"
    # direct: nnz * channels operations per output entry; fourier: ~ log2|G| + 16 per entry
    return "direct" if nnz * channels <= 2 * (math.log2(G.order) + 16) else "fourier"


def _split(G: FiniteGroup, f: np.ndarray, w: np.ndarray) -> tuple[bool, tuple[int, ...], int, int]:
    """(channels?, batch shape, c_in, c_out) for the argument shapes."""
    if w.ndim == 1:
        return False, f.shape[:-1], 1, 1
    if w.ndim == 3:
        c_out, c_in = w.shape[0], w.shape[1]
        if f.ndim < 2 or f.shape[-2] != c_in:
            raise InvalidGroupError(
                f"multi-channel filters {w.shape} need signals of shape (..., {c_in}, {G.order}), got {f.shape}"
            )
        return True, f.shape[:-2], c_in, c_out
    raise InvalidGroupError(
        f"the filter must have shape (|G|,) or (c_out, c_in, |G|), got {w.shape}"
    )


def _direct(
    G: FiniteGroup, f: np.ndarray, w: np.ndarray, python: bool = False, correlation: bool = False
) -> np.ndarray:
    """Over the Cayley table: ``out(u) = sum_v' f(u v') wt(v')``.

    ``wt(v') = w(v'^-1)`` gives the convolution ``f * w``; with ``correlation=True``, ``wt = w``
    gives the correlation ``(f star w)(u) = sum_h w(h) f(u h)``. ``f`` is ``(..., [c_in,] |G|)``,
    ``w`` ``(|G|,)`` or ``(c_out, c_in, |G|)``. ``python=True`` runs the kernels uncompiled.
    """
    channels, batch, c_in, c_out = _split(G, f, w)
    n = G.order
    table = np.asarray(G.cayley_table)
    dtype = np.result_type(f.dtype, w.dtype, np.float64)
    if correlation:
        wt = w.astype(dtype)  # wt[h] = w(h)
    else:
        wt = w[..., np.asarray(G.inverse, dtype=np.int64)].astype(dtype)  # wt[v'] = w(v'^-1)
    nb = int(np.prod(batch, dtype=np.int64))
    if not channels:
        vidx = np.flatnonzero(wt).astype(np.int64)
        ft = np.ascontiguousarray(f.reshape(nb, n).T, dtype=dtype)
        out = np.empty((n, nb), dtype)
        wval = np.ascontiguousarray(wt[vidx])
        kernels.run(kernels.conv_direct, table, vidx, wval, ft, out, work=n * nb * vidx.size, python=python)
        return out.T.reshape(batch + (n,))
    vidx = np.flatnonzero(np.any(wt != 0, axis=(0, 1))).astype(np.int64)
    wmat = np.ascontiguousarray(np.transpose(wt[:, :, vidx], (2, 1, 0)))  # (nnz, c_in, c_out)
    ft = np.ascontiguousarray(np.transpose(f.reshape(nb, c_in, n), (2, 0, 1)), dtype=dtype)
    out = np.empty((n, nb, c_out), dtype)
    work = n * nb * vidx.size * c_in * c_out
    kernels.run(kernels.conv_direct_channels, table, vidx, wmat, ft, out, work=work, python=python)
    return np.transpose(out, (1, 2, 0)).reshape(batch + (c_out, n))


def _fourier(G: FiniteGroup, f: np.ndarray, w: np.ndarray, adjoint: bool) -> np.ndarray:
    """Via Fourier blocks: ``f_hat w_hat`` (convolution) or ``f_hat w_hat'^H`` (correlation).

    ``w_hat'`` is the transform of ``conj(w)``: ``sum_h w(h) rho(h)^H = w_hat'(rho)^H``.
    """
    channels, batch, c_in, c_out = _split(G, f, w)
    real = not (np.iscomplexobj(f) or np.iscomplexobj(w))
    F = transform(G, f)
    W = transform(G, np.conj(w) if adjoint else w)
    if not channels:
        P = F @ W.H if adjoint else F @ W
        return inverse(G, P, real=real)
    groups = []
    nb = int(np.prod(batch, dtype=np.int64))
    for (idx, xf), (_, xw) in zip(F.grouped(), W.grouped()):
        R, d = idx.size, xf.shape[-1]
        xf = xf.reshape(nb, c_in, R, d, d)
        a = np.transpose(xf, (2, 0, 3, 1, 4)).reshape(R, nb * d, c_in * d)  # (b, j) x (i, k)
        if adjoint:  # out[b, o] = sum_i F[b, i] W[o, i]^H, W[o, i]^H[k, l] = conj(W[o, i][l, k])
            b_ = np.conj(np.transpose(xw, (2, 1, 4, 0, 3))).reshape(R, c_in * d, c_out * d)  # (i, k) x (o, l)
        else:  # out[b, o] = sum_i F[b, i] W[o, i]
            b_ = np.transpose(xw, (2, 1, 3, 0, 4)).reshape(R, c_in * d, c_out * d)  # (i, k) x (o, l)
        p = (a @ b_).reshape(R, nb, d, c_out, d)  # (r, b, j, o, l)
        groups.append((idx, np.transpose(p, (1, 3, 0, 2, 4)).reshape(batch + (c_out, R, d, d))))
    return inverse(G, FourierBlocks.from_groups(F.dims, groups), real=real)


def convolve(G: FiniteGroup, f: Any, w: Any, *, method: str = "auto") -> np.ndarray:
    """Group convolution ``(f * w)(u) = sum_v f(u v^-1) w(v)``.

    Parameters
    ----------
    G : FiniteGroup
    f : array_like, shape (..., |G|) or (..., c_in, |G|)
        Signals, batched along leading axes.
    w : array_like, shape (|G|,) or (c_out, c_in, |G|)
        One filter (applied to every signal), or a bank mixing channels:
        ``out[..., o, :] = sum_i f[..., i, :] * w[o, i, :]``.
    method : {"auto", "direct", "fourier"}
        ``"direct"``: numba kernel over the Cayley table, ``O(nnz(w) |G|)`` per signal and channel
        pair, parallel over ``u``; ``"fourier"``: ``(f * w)^ = f_hat w_hat`` with the fast transforms
        of :mod:`grouptools.fourier`. ``"auto"`` picks ``"fourier"`` for groups with a fast transform
        unless the filter is very sparse, and ``"direct"`` otherwise (``"fourier"`` when the Cayley
        table is too large).

    Returns
    -------
    ndarray, shape (..., |G|) or (..., c_out, |G|)
        float64 for real inputs, complex128 otherwise.

    Raises
    ------
    InvalidGroupError
        On shape mismatches or an unknown method.
    GroupTooLargeError
        For ``method="direct"`` without a Cayley table.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier._convolution import convolve
    >>> G = gt.cyclic(5)
    >>> delta1 = np.eye(5)[1]
    >>> convolve(G, np.arange(5.0), delta1, method="direct")      # f(u - 1)
    array([4., 0., 1., 2., 3.])
    """
    G_f = _as_function(G, f, "f")
    w_a = _as_function(G, w, "w")
    _split(G, G_f, w_a)
    nnz = int(np.count_nonzero(np.any(w_a.reshape(-1, G.order) != 0, axis=0)))
    channels = w_a.shape[0] * w_a.shape[1] if w_a.ndim == 3 else 1
    m = _choose(G, method, nnz, channels)
    if m == "direct":
        return _direct(G, G_f, w_a)
    return _fourier(G, G_f, w_a, adjoint=False)


def correlate(G: FiniteGroup, x: Any, w: Any, *, method: str = "auto") -> np.ndarray:
    """Group cross-correlation, the G-CNN layer: ``(x star w)(g) = sum_h w(h) x(g h)``.

    The layer of Cohen & Welling ("Group equivariant convolutional networks", ICML 2016):
    equivalently ``(x star w)(g) = sum_k w(g^-1 k) x(k)``, the inner product of ``x`` with the
    filter moved to ``g``. It commutes with left translations ``(L_k x)(u) = x(k^-1 u)``:
    ``(L_k x) star w = L_k (x star w)``. In Fourier space ``(x star w)^(rho) = x_hat(rho)
    w_hat'(rho)^H`` with ``w_hat'`` the transform of ``conj(w)`` (``x_hat w_hat^H`` for real ``w``).
    Shapes, channels (``out[..., o, :] = sum_i x[..., i, :] star w[o, i, :]``) and methods as in
    :func:`convolve`; the direct method sums ``x(g h) w(h)`` over the nonzero ``w(h)``, reading
    row ``g`` of the Cayley table.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like, shape (..., |G|) or (..., c_in, |G|)
        Signals, batched along leading axes.
    w : array_like, shape (|G|,) or (c_out, c_in, |G|)
        One filter, or a bank mixing channels.
    method : {"auto", "direct", "fourier"}
        As in :func:`convolve`.

    Returns
    -------
    ndarray, shape (..., |G|) or (..., c_out, |G|)
        float64 for real inputs, complex128 otherwise.

    Raises
    ------
    InvalidGroupError
        On shape mismatches or an unknown method.
    GroupTooLargeError
        For ``method="direct"`` without a Cayley table.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier._convolution import correlate, left_translate
    >>> G = gt.cyclic(5)
    >>> correlate(G, np.arange(5.0), np.eye(5)[1], method="direct")   # x(g + 1)
    array([1., 2., 3., 4., 0.])

    On a non-abelian group the layer commutes with left translations:

    >>> G = gt.dihedral(3)
    >>> x, w = np.arange(6.0), np.array([1.0, 2.0, 0.0, 0.0, -1.0, 0.5])
    >>> a = correlate(G, left_translate(G, x, "s"), w)
    >>> bool(np.allclose(a, left_translate(G, correlate(G, x, w), "s")))
    True
    """
    x_a = _as_function(G, x, "x")
    w_a = _as_function(G, w, "w")
    _split(G, x_a, w_a)
    nnz = int(np.count_nonzero(np.any(w_a.reshape(-1, G.order) != 0, axis=0)))
    channels = w_a.shape[0] * w_a.shape[1] if w_a.ndim == 3 else 1
    m = _choose(G, method, nnz, channels)
    if m == "direct":
        return _direct(G, x_a, w_a, correlation=True)
    return _fourier(G, x_a, w_a, adjoint=True)
