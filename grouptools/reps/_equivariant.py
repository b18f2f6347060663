"""Equivariant linear maps between representations, and Clebsch-Gordan decompositions.

``Hom_G(R_in, R_out) = {X : R_out(g) X = X R_in(g)}`` is read off the decompositions of both
representations (Schur's lemma; Serre 1977, 2.2 and 2.6): with ``Q_in``, ``Q_out`` carrying the
same unitary irreps in their blocks, the maps ``X = Phi_j Psi_k``, ``Phi_j`` the columns of
``Q_out`` of the ``j``-th copy of an irrep ``rho`` and ``Psi_k`` the rows of ``Q_in^-1`` of its
``k``-th copy in ``R_in``, form a basis: ``k = sum_rho m_in(rho) m_out(rho)`` maps, orthonormal
in the Frobenius inner product (divided by ``sqrt(dim rho)``) when both representations are
unitary. Only the generators are used (no linear system of size ``|G|`` nor of size
``dim_in * dim_out``): the cost is the two decompositions plus ``k dim_in dim_out``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import ParameterError, VerificationError
from ._decompose import Decomposition
from ._representation import as_representation

__all__ = ["clebsch_gordan", "equivariant_basis"]


def _blocks(dec: Decomposition) -> dict[int, list[slice]]:
    out: dict[int, list[slice]] = {}
    col = 0
    for i, _ in dec.blocks:
        d = dec.irreps[i].dim
        out.setdefault(i, []).append(slice(col, col + d))
        col += d
    return out


def equivariant_basis(rep_in: Any, rep_out: Any, *, real: bool | None = None) -> np.ndarray:
    """An orthonormal basis of the equivariant maps ``Hom_G(rep_in, rep_out)``.

    Parameters
    ----------
    rep_in, rep_out : Representation
        Representations of the same group (an :class:`~grouptools.Irrep` is one).
    real : bool, optional
        Return a real basis (default: when both representations have real matrices). Then the
        complex space is spanned by real maps and the real basis has the same size ``k``.

    Returns
    -------
    ndarray, shape (k, dim_out, dim_in)
        ``k = sum over irreps of m_in * m_out``; orthonormal for the Frobenius inner product.

    Raises
    ------
    ParameterError
        Representations of different groups, or ``real=True`` for a complex representation.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(4)
    >>> R = G.regular_representation()
    >>> B = gt.equivariant_basis(R, R)              # the right translations: |G| maps
    >>> B.shape, B.dtype
    ((8, 8, 8), dtype('float64'))
    >>> bool(np.allclose(R("r") @ B, B @ R("r")))
    True
    """
    rin, rout = as_representation(rep_in), as_representation(rep_out)
    if rin.group != rout.group:
        raise ParameterError("the representations are of different groups")
    U_in = np.asarray(rin.numeric_generator_images)
    U_out = np.asarray(rout.numeric_generator_images)
    both_real = bool(np.abs(U_in.imag).max(initial=0) < 1e-13 and np.abs(U_out.imag).max(initial=0) < 1e-13)
    if real is None:
        real = both_real
    elif real and not both_real:
        raise ParameterError("real=True needs two representations with real matrices")
    din = rin.decompose(exact=False)
    dout = rin.decompose(exact=False) if rout is rin else rout.decompose(exact=False)
    Qo = dout.change_of_basis
    unitary_in = rin.is_unitary
    Pi = np.conj(din.change_of_basis.T) if unitary_in else np.linalg.inv(din.change_of_basis)
    bi, bo = _blocks(din), _blocks(dout)
    mats = []
    for i in sorted(set(bi) & set(bo)):
        d = din.irreps[i].dim
        Phi = np.stack([Qo[:, s] for s in bo[i]])     # (b, n_out, d)
        Psi = np.stack([Pi[s, :] for s in bi[i]])     # (a, d, n_in)
        X = np.einsum("jod,kdi->jkoi", Phi, Psi) / np.sqrt(d)
        mats.append(X.reshape(-1, rout.dim, rin.dim))
    k = sum(m.shape[0] for m in mats)
    B = np.concatenate(mats) if mats else np.zeros((0, rout.dim, rin.dim), complex)
    if not (unitary_in and rout.is_unitary) and k:
        Qf, _ = np.linalg.qr(B.reshape(k, -1).T)
        B = Qf.T.reshape(k, rout.dim, rin.dim)
    if real and k:
        # real and imaginary parts span the real form (dimension k): orthonormal basis of their
        # span from the eigenvectors of the (2k x 2k) Gram matrix
        flat = np.concatenate([B.real, B.imag]).reshape(2 * k, -1)
        w, V = np.linalg.eigh(flat @ flat.T)
        if w[-k] < 1e-8 * w[-1] or (k < 2 * k and w[-k - 1] > 1e-8 * w[-1]):
            raise VerificationError("the real parts do not span the equivariant maps")
        top = V[:, -k:][:, ::-1] / np.sqrt(w[-k:][::-1])
        B = (top.T @ flat).reshape(k, rout.dim, rin.dim)
    return B


def clebsch_gordan(r1: Any, r2: Any, *, exact: bool | None = None) -> Decomposition:
    """The decomposition of the tensor product ``r1 (x) r2`` (basis ``e_i (x) f_j`` at
    ``i * r2.dim + j``): its change of basis holds the Clebsch-Gordan coefficients, exact when
    both factors are exact.

    Examples
    --------
    >>> import grouptools as gt
    >>> rho = gt.irreps(gt.symmetric(4))[3]            # a 3-dimensional irrep
    >>> D = gt.clebsch_gordan(rho, rho)
    >>> D.multiplicities.tolist(), D.is_exact
    ([1, 0, 1, 1, 1], True)
    """
    return as_representation(r1).tensor(as_representation(r2)).decompose(exact=exact)
