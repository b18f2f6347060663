"""Group Fourier transform: the dense definition, the dispatcher and the Fourier matrix.

Conventions (``docs/theory.md``): for a function ``f`` on ``G`` and an irrep ``rho`` of
``G.irreps()``,

    f_hat(rho) = sum_g f(g) rho(g),
    f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho)),

and ``norm="unitary"`` multiplies block ``rho`` by ``sqrt(d_rho/|G|)``, which makes the map
``f -> blocks`` an isometry (Plancherel). The dense method evaluates the definition with the
irrep matrices (``O(|G|^2)`` per function); the fast methods live in :mod:`._abelian`
(``numpy``/``scipy`` FFT over an abelian group) and :mod:`._clifford` (FFT over an abelian normal
subgroup, then Clifford-theoretic assembly over the cosets).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import GroupTooLargeError, InvalidGroupError, ParameterTypeError, check_limit, quote
from ._blocks import FourierBlocks, check_choice, check_group

__all__ = ["transform", "inverse", "fourier_matrix", "METHODS"]

#: Accepted values of ``method=``.
METHODS = ("auto", "dense", "abelian", "clifford", "generic")

#: The dense method caches the stacked irrep matrices of groups up to this order (16 |G|^2 bytes).
DENSE_CACHE_ORDER = 2048


# ---------------------------------------------------------------------------------------------
# helpers shared by the methods
# ---------------------------------------------------------------------------------------------
def group_irreps(G: Any) -> tuple:
    """``G.irreps()``: the irreps in Fourier-block order."""
    get = getattr(G, "irreps", None)
    if get is None:  # FiniteGroup.irreps() is a thin wrapper of grouptools.reps._irreps.irreps
        from ..reps._irreps import irreps

        return tuple(irreps(G))
    return tuple(get())


def degrees(G: Any) -> tuple[int, ...]:
    """Degrees of ``G.irreps()``, in order."""
    return tuple(int(r.dim) for r in group_irreps(G))


def irrep_at(rho: Any, elements: Any, G: Any = None) -> np.ndarray:
    """The matrices ``rho(g)`` for the given element indices, complex ``(len, d, d)``.

    For a few elements of a large group (``G`` given), the products of the unitary generator
    images along the words of the spanning tree ``G.spanning_tree`` (so the ``(|G|, d, d)`` array
    ``rho.matrices`` is not built); otherwise rows of ``rho.matrices``.
    """
    els = np.asarray(elements, dtype=np.int64).ravel()
    gens = getattr(rho, "unitary_generator_images", None)
    if G is None or gens is None or 8 * els.size > G.order or "matrices" in getattr(rho, "_cache", {}):
        return np.asarray(rho.matrices)[els].astype(np.complex128, copy=False)
    gens = np.asarray(gens, dtype=np.complex128)
    letters = np.empty((2 * gens.shape[0],) + gens.shape[1:], np.complex128)
    letters[0::2] = gens
    letters[1::2] = np.conj(np.swapaxes(gens, 1, 2))
    out = np.empty((els.size,) + gens.shape[1:], np.complex128)
    for pos, x in enumerate(els.tolist()):
        m = np.eye(gens.shape[1], dtype=np.complex128)
        for t in G.letter_word(x):
            m = m @ letters[t]
        out[pos] = m
    return out


def memo(G: Any, key: str, build: Any) -> Any:
    """Per-group cache (in the group's own memo dictionary, so it lives as long as ``G``)."""
    return G.memo(f"fourier.{key}", build)


def check_function(G: Any, f: Any) -> np.ndarray:
    """``f`` as an array ``(..., |G|)`` of float64 or complex128."""
    check_group(G)
    try:
        arr = np.asarray(f)
    except (TypeError, ValueError):  # ragged nested sequences
        raise InvalidGroupError(f"a function on G must be a regular numeric array, got {quote(f)}") from None
    if arr.ndim < 1 or arr.shape[-1] != G.order:
        raise InvalidGroupError(f"a function on G needs a last axis of length {G.order}, got shape {arr.shape}")
    if np.iscomplexobj(arr):
        return arr.astype(np.complex128, copy=False)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InvalidGroupError(f"a function on G must be numeric, got dtype {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def check_blocks(G: Any, blocks: Any) -> FourierBlocks:
    """``blocks`` as :class:`FourierBlocks` matching the degrees of ``G.irreps()``."""
    check_group(G)
    if not isinstance(blocks, FourierBlocks):
        blocks = FourierBlocks(blocks)
    expected = degrees(G)
    if blocks.dims != expected:
        raise InvalidGroupError(
            f"{len(blocks.dims)} blocks (sum d^2 = {blocks.order}) do not match the "
            f"{len(expected)} irreps of G (order {G.order})"
        )
    return blocks


def norm_scale(G: Any, norm: str | None) -> np.ndarray | None:
    """Per-irrep factor of ``norm``: ``None`` (unnormalized) or ``sqrt(d/|G|)`` ("unitary")."""
    check_choice(norm, "norm", (None, "backward", "unitary"))
    if norm is None or norm == "backward":
        return None
    return np.sqrt(np.asarray(degrees(G), dtype=float) / G.order)


def _degree_groups(dims: tuple[int, ...]) -> list[tuple[int, np.ndarray]]:
    return [(d, np.array([r for r, e in enumerate(dims) if e == d], dtype=np.int64)) for d in sorted(set(dims))]


# ---------------------------------------------------------------------------------------------
# dense method
# ---------------------------------------------------------------------------------------------
def _dense_mats(G: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per degree d: (irrep indices, matrices (|G|, R*d*d)) with rows ``rho(g)`` flattened."""

    def build() -> list[tuple[np.ndarray, np.ndarray]]:
        irr = group_irreps(G)
        out = []
        for d, idx in _degree_groups(degrees(G)):
            mats = np.stack([np.asarray(irr[r].matrices, dtype=np.complex128) for r in idx], axis=1)
            out.append((idx, mats.reshape(G.order, idx.size * d * d)))
        return out

    if G.order <= DENSE_CACHE_ORDER:
        return memo(G, "dense", build)
    return build()


def transform_dense(G: Any, f: np.ndarray) -> FourierBlocks:
    """``f_hat(rho) = sum_g f(g) rho(g)`` evaluated with the irrep matrices (``O(|G|^2)``)."""
    batch = f.shape[:-1]
    x = f.reshape(-1, G.order)
    dims = degrees(G)
    groups = []
    for idx, mats in _dense_mats(G):
        d = dims[int(idx[0])]
        if np.iscomplexobj(x):
            y = x @ mats
        else:  # two real products: half the work of a complex one
            y = (x @ np.ascontiguousarray(mats.real)) + 1j * (x @ np.ascontiguousarray(mats.imag))
        groups.append((idx, y.reshape(batch + (idx.size, d, d))))
    return FourierBlocks._from_groups(dims, groups)


def inverse_dense(G: Any, blocks: FourierBlocks, real: bool) -> np.ndarray:
    """``f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho))`` with the irrep matrices."""
    batch = blocks.batch_shape
    out = np.zeros((int(np.prod(batch, dtype=np.int64)), G.order), np.complex128)
    data = dict((int(i[0]), a) for i, a in blocks.grouped())
    for idx, mats in _dense_mats(G):
        a = data[int(idx[0])]
        d = a.shape[-1]
        coef = (a.reshape(-1, idx.size * d * d)) * d
        out += coef @ np.conj(mats).T
    out /= G.order
    out = out.reshape(batch + (G.order,))
    return np.ascontiguousarray(out.real) if real else out


def fourier_matrix(G: Any, norm: str | None = None, *, max_order: int = 8192) -> np.ndarray:
    """The matrix ``F`` of the Fourier transform: ``transform(G, f).flatten() == F @ f``.

    Row ``offset_r + i d_r + j`` (see :meth:`FourierBlocks.flatten`) is ``g -> rho_r(g)[i, j]``,
    scaled by ``sqrt(d_r/|G|)`` for ``norm="unitary"`` (then ``F`` is unitary).

    Parameters
    ----------
    G : FiniteGroup
    norm : {None, "unitary"}
    max_order : int
        Largest order for which the dense ``(|G|, |G|)`` complex matrix (``16 |G|^2`` bytes) is built.

    Raises
    ------
    GroupTooLargeError
        If ``G.order > max_order``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import fourier_matrix
    >>> F = fourier_matrix(gt.cyclic(4), norm="unitary")
    >>> bool(np.allclose(F @ F.conj().T, np.eye(4)))
    True
    """
    check_group(G)
    max_order = check_limit("max_order", max_order)
    n = G.order
    if n > max_order:
        raise GroupTooLargeError(
            f"the Fourier matrix of a group of order {n} needs {16 * n * n / 2**30:.1f} GiB (max_order={max_order})"
        )
    rows = []
    scale = norm_scale(G, norm)
    for r, rho in enumerate(group_irreps(G)):
        d = int(rho.dim)
        m = np.asarray(rho.matrices, dtype=np.complex128).reshape(n, d * d).T
        rows.append(m * scale[r] if scale is not None else m)
    return np.ascontiguousarray(np.concatenate(rows, axis=0))


# ---------------------------------------------------------------------------------------------
# dispatch
# ---------------------------------------------------------------------------------------------
def choose_method(G: Any, method: str) -> str:
    """Resolve ``method="auto"`` and check that a forced fast method applies to ``G``."""
    from . import _abelian, _clifford

    check_group(G)
    check_choice(method, "method", METHODS)
    if method == "auto":
        if _abelian.applies(G):
            return "abelian"
        if _clifford.applies(G):
            return "clifford"
        # --- generic route (_generic.py): abelian normal subgroup found from the multiplication ---
        from . import _discovered as _generic

        if G.structure is None and _generic.pays(G):
            return "generic"
        # --- end generic route ---
        return "dense"
    if method == "abelian" and not _abelian.applies(G):
        raise InvalidGroupError("method='abelian' needs a group with an AbelianStructure")
    if method == "clifford" and not _clifford.applies(G):
        raise InvalidGroupError(
            "method='clifford' needs a semidirect product N : H with N abelian, or a direct product "
            "with an abelian factor"
        )
    if method == "generic":  # --- generic route ---
        from . import _discovered as _generic

        if not _generic.applies(G):
            raise InvalidGroupError("method='generic' needs a group with a nontrivial abelian normal subgroup")
    return method


def transform(G: Any, f: Any, norm: str | None = None, *, method: str = "auto") -> FourierBlocks:
    """The group Fourier transform ``f_hat(rho) = sum_g f(g) rho(g)`` for every irrep of ``G``.

    Parameters
    ----------
    G : FiniteGroup
        The group; its ``irreps()`` fix the order and the basis of the blocks.
    f : array_like, shape (..., |G|)
        Real or complex functions on ``G`` (element order), batched along leading axes.
    norm : {None, "unitary"}
        ``None``: the unnormalized transform above. ``"unitary"``: block ``rho`` scaled by
        ``sqrt(d_rho/|G|)``, an isometry from ``C^|G|`` (Plancherel).
    method : {"auto", "dense", "abelian", "clifford", "generic"}
        ``"dense"`` evaluates the definition (``O(|G|^2)`` per function). ``"abelian"`` (groups with
        an :class:`~grouptools.AbelianStructure`) is a multidimensional FFT. ``"clifford"``
        (semidirect products ``N : H`` with ``N`` abelian, and direct products with abelian factors)
        is an FFT over ``N`` for each coset followed by a Clifford-theoretic assembly of the blocks
        (``O(|G| log|N| + |H| sum_rho d_rho^2)`` per function). ``"generic"`` (any group with a
        nontrivial abelian normal subgroup ``A``, found from the multiplication) is the same
        Clifford route over ``A`` and a transversal; ``"auto"`` uses it for groups without
        ``structure`` when ``|A| >= 4``. ``"auto"`` picks the fastest that applies.

    Returns
    -------
    FourierBlocks
        Block ``r`` has shape ``(..., d_r, d_r)``, in the order and basis of ``G.irreps()``.

    Raises
    ------
    InvalidGroupError
        If ``f`` has the wrong length, ``norm`` or ``method`` is unknown, or a forced method does
        not apply to ``G``.

    Notes
    -----
    The FFT paths follow Cooley and Tukey (1965) over ``N`` and the Clifford (1937) decomposition
    of ``rho`` restricted to an abelian normal subgroup, as in the FFTs for solvable groups of
    Clausen and Baum (*Fast Fourier Transforms*, 1993) and Rockmore (1995).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> G = gt.cyclic(4)
    >>> np.round(transform(G, [1.0, 0.0, 0.0, 0.0]).flatten().real, 12)
    array([1., 1., 1., 1.])
    """
    x = check_function(G, f)
    m = choose_method(G, method)
    if m == "abelian":
        from ._abelian import transform_abelian

        blocks = transform_abelian(G, x)
    elif m == "clifford":
        from ._clifford import transform_clifford

        blocks = transform_clifford(G, x)
    elif m == "generic":  # --- generic route ---
        from ._discovered import transform_generic

        blocks = transform_generic(G, x)
    else:
        blocks = transform_dense(G, x)
    scale = norm_scale(G, norm)
    return blocks.scaled(scale) if scale is not None else blocks


def inverse(
    G: Any, blocks: Any, norm: str | None = None, *, method: str = "auto", real: bool = False
) -> np.ndarray:
    """The inverse transform ``f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho))``.

    Parameters
    ----------
    G : FiniteGroup
    blocks : FourierBlocks or sequence of arrays ``(..., d, d)``
        In the order and basis of ``G.irreps()``.
    norm : {None, "unitary"}
        Must match the ``norm`` of the forward transform.
    method : {"auto", "dense", "abelian", "clifford", "generic"}
        As in :func:`transform`.
    real : bool
        Return the real part only (computed with real-output FFTs on the fast paths).

    Returns
    -------
    ndarray, shape (..., |G|)
        complex128, or float64 if ``real``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform, inverse
    >>> G = gt.dihedral(3)
    >>> f = np.arange(6.0)
    >>> bool(np.allclose(inverse(G, transform(G, f), real=True), f))
    True
    """
    b = check_blocks(G, blocks)
    if not isinstance(real, (bool, np.bool_)):
        raise ParameterTypeError(f"real must be a bool, got {quote(real)}")
    scale = norm_scale(G, norm)
    if scale is not None:
        b = b.scaled(1.0 / scale)
    m = choose_method(G, method)
    if m == "abelian":
        from ._abelian import inverse_abelian

        return inverse_abelian(G, b, real)
    if m == "clifford":
        from ._clifford import inverse_clifford

        return inverse_clifford(G, b, real)
    if m == "generic":  # --- generic route ---
        from ._discovered import inverse_generic

        return inverse_generic(G, b, real)
    return inverse_dense(G, b, real)
