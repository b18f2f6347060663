"""Decomposition of a representation into irreducibles, with the change of basis.

``Q^-1 R(g) Q`` is block diagonal with the irreps of ``G.irreps()`` in their order, each repeated
by its multiplicity, and *exactly the toolkit's irrep matrices* in the blocks:

* an **exact** representation gets an exact ``Q`` (a :class:`~grouptools.CycMatrix`) and the
  blocks are the irreps' exact generator images ``Irrep.generator_images`` (for the few irreps
  whose exact images are not unitary these differ from ``Irrep.__call__`` by the irrep's
  ``change_of_basis``; :attr:`Decomposition.numeric_change_of_basis` absorbs it, so that its
  blocks are the unitary ``Irrep.__call__`` matrices);
* a **numeric** representation (or ``exact=False``) gets a complex ``Q`` whose blocks are the
  unitary matrices ``Irrep.__call__``; ``Q`` is unitary when ``R`` is.

Multiplicities come from the character (inner products with the character table, Serre 1977,
2.3); each isotypic component is spanned by a basis of ``Hom_G(rho, R)``
(:mod:`grouptools.reps._hom`: Frobenius reciprocity on the orbits of monomial representations,
else spinning; Dixon 1970; Serre 1977, 2.6-2.7), and ``R(s) Q = Q D(s)`` is verified on every
generator ``s`` (exactly, or to ``1e-8 n``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arith._cycmatrix import CycMatrix
from ..arith._cyclotomic import E
from .._errors import ParameterError, VerificationError, quote
from ._hom import IrrepImages, hom_generic, hom_monomial, monomial_orbits
from ._repdata import class_values
from ._repexport import decomposition_dict, decomposition_gap
from ._realdecompose import real_decomposition

__all__ = ["Decomposition", "decompose", "multiplicities"]


class Decomposition:
    """The result of :func:`decompose`.

    Attributes
    ----------
    representation : Representation
    multiplicities : ndarray of int
        Aligned with ``G.irreps()`` (or with ``G.real_irreps()`` for ``field="real"``).
    change_of_basis : CycMatrix or ndarray
        ``Q`` with ``Q^-1 R(g) Q = block_diag``; see the module docstring for the blocks.
    blocks : tuple of (int, int)
        ``(irrep index, copy)`` of each diagonal block, in order.
    irreps : sequence
        ``G.irreps()`` (or ``G.real_irreps()``).
    is_exact : bool
    field : str
        ``"complex"`` or ``"real"``.
    """

    def __init__(self, rep: Any, mult: np.ndarray, Q: Any, irreps: Any, exact: bool,
                 field: str = "complex") -> None:
        self.representation = rep
        mult = np.asarray(mult, np.int64)
        mult.setflags(write=False)
        self.multiplicities = mult
        self.change_of_basis = Q
        self.irreps = irreps
        self.is_exact = exact
        self.field = field
        self.blocks = tuple((int(i), j) for i in np.flatnonzero(mult) for j in range(int(mult[i])))

    def __repr__(self) -> str:
        parts = [f"{int(m)}x{self.irreps[i].dim}" if m > 1 else f"{self.irreps[i].dim}"
                 for i, m in enumerate(self.multiplicities) if m]
        return f"<Decomposition of dim {self.representation.dim} ({self.field}): " + " + ".join(parts) + ">"

    @property
    def numeric_change_of_basis(self) -> np.ndarray:
        """Complex ``Q`` whose blocks are the numeric matrices of the irreps (``Irrep.__call__``;
        ``.at`` of the real irreps): for an exact decomposition ``Q @ block_diag(C)`` with each
        irrep's ``change_of_basis`` ``C`` (identity when its exact images are unitary)."""
        Q = self.change_of_basis
        if not isinstance(Q, CycMatrix):
            return Q
        Qn = Q.to_complex()
        col = 0
        for i, _ in self.blocks:
            rho = self.irreps[i]
            C = rho.change_of_basis
            if C is not None:
                Qn[:, col:col + rho.dim] = Qn[:, col:col + rho.dim] @ C
            col += rho.dim
        return Qn

    def block_matrix(self, g: Any) -> np.ndarray:
        """The block-diagonal numeric matrix ``Qn^-1 R(g) Qn`` of element ``g`` (index or word),
        built from the irreps' own matrices (``Qn`` = :attr:`numeric_change_of_basis`)."""
        G = self.representation.group
        x = G.element(g)
        n = self.representation.dim
        out = np.zeros((n, n), complex)
        col = 0
        for i, _ in self.blocks:
            rho = self.irreps[i]
            out[col:col + rho.dim, col:col + rho.dim] = rho.at(x)
            col += rho.dim
        return out

    def to_json(self) -> dict:
        """JSON-ready dict: multiplicities, blocks and the change of basis (exact in GAP
        notation when exact, numeric as ``[re, im]`` pairs)."""
        return decomposition_dict(self)

    def to_gap(self) -> str:
        """GAP record text with the multiplicities and the exact change of basis."""
        return decomposition_gap(self)


def multiplicities(rep: Any) -> np.ndarray:
    """``<chi_R, chi_i>`` for every irreducible character ``chi_i`` of ``G.character_table()``
    (rounded; a :class:`VerificationError` if one is not within 1e-6 of an integer)."""
    G = rep.group
    T = G.character_table()
    chi = class_values(rep)
    ip = T.inner_product(chi, np.asarray(T.values))
    r = np.rint(ip.real)
    if np.abs(ip - r).max(initial=0) > 1e-6 or np.any(r < 0):
        raise VerificationError("the character of the representation is not a character of G")
    return r.astype(np.int64)


def decompose(rep: Any, *, exact: bool | None = None, field: str = "complex") -> Decomposition:
    """Decompose a representation into irreducibles.

    Parameters
    ----------
    rep : Representation
    exact : bool, optional
        Exact decomposition (default: whenever ``rep`` is exact); ``False`` computes a numeric
        unitary ``Q`` for an exact ``rep`` too.
    field : {"complex", "real"}
        ``"real"``: a real representation decomposed into ``G.real_irreps()`` with a real
        orthogonal ``Q`` (numeric).

    Raises
    ------
    ParameterError
        ``exact=True`` for a numeric representation, an unknown ``field``.
    VerificationError
        If a check fails (the representation's images are then not what they claim).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(3)
    >>> D = G.regular_representation().decompose()
    >>> D.multiplicities.tolist(), D.blocks
    ([1, 1, 2], ((0, 0), (1, 0), (2, 0), (2, 1)))
    >>> Qn = D.numeric_change_of_basis
    >>> R = D.representation
    >>> bool(np.allclose(np.linalg.inv(Qn) @ R("a*b") @ Qn, D.block_matrix("a*b")))
    True
    """
    if field not in ("complex", "real"):
        raise ParameterError(f"field must be 'complex' or 'real', got {quote(field)}")
    if field == "real":
        return real_decomposition(rep, Decomposition)
    if exact is None:
        exact = rep.is_exact
    elif exact and not rep.is_exact:
        raise ParameterError("exact=True needs an exact representation")
    G = rep.group
    irreps = G.irreps()
    mult = multiplicities(rep)
    n = rep.dim
    if int(sum(int(mult[i]) * irreps[i].dim for i in np.flatnonzero(mult))) != n:
        raise VerificationError("the multiplicities do not add up to the dimension")
    mono = rep.monomial_data
    orbits = monomial_orbits(G, *mono) if mono is not None else None
    R_exact = rep.exact_generator_images if exact and mono is None else None
    R_num = rep.numeric_generator_images if mono is None else None
    cols = []
    for i in np.flatnonzero(mult):
        ir = IrrepImages(irreps[int(i)], exact)
        if orbits is not None:
            cols.append(hom_monomial(G, orbits, mono[2], n, ir, int(mult[i])))
        else:
            cols.append(hom_generic(G, R_exact, R_num, ir, int(mult[i])))
    Q = CycMatrix.hstack(cols) if exact else np.concatenate(cols, axis=1)
    out = Decomposition(rep, mult, Q, irreps, exact)
    _verify(rep, out)
    return out


def _apply_monomial(perm: np.ndarray, exps: np.ndarray, m: int, Q: CycMatrix) -> CycMatrix:
    """``M Q`` for the monomial ``M e_i = E(m)^exps[i] e_perm[i]`` by row operations."""
    parts, idx = [], []
    for e in np.unique(exps):
        rows = np.flatnonzero(exps == e)
        P = Q.rows(rows.tolist())
        parts.append(P if e == 0 else P * E(m) ** int(e))
        idx.append(perm[rows])
    stacked = CycMatrix.vstack(parts)
    order = np.argsort(np.concatenate(idx))
    return stacked.rows(order.tolist())


def _verify(rep: Any, dec: Decomposition) -> None:
    G = rep.group
    Q = dec.change_of_basis
    n = rep.dim
    mono = rep.monomial_data
    for s in range(len(G.generators)):
        if dec.is_exact:
            if mono is not None:
                RQ = _apply_monomial(mono[0][s], mono[1][s], mono[2], Q)
            else:
                RQ = rep.exact_generator_images[s] @ Q
        elif mono is not None:
            RQ = np.empty_like(Q)
            RQ[mono[0][s]] = np.exp(2j * np.pi * mono[1][s] / mono[2])[:, None] * Q
        else:
            RQ = rep.numeric_generator_images[s] @ Q
        col = 0
        for i, _ in dec.blocks:
            rho = dec.irreps[i]
            d = rho.dim
            cs = list(range(col, col + d))
            if dec.is_exact:
                ok = RQ.cols(cs) == Q.cols(cs) @ rho.generator_images[s]
            else:
                err = np.abs(RQ[:, cs] - Q[:, cs] @ rho.unitary_generator_images[s]).max()
                ok = err <= 1e-8 * max(1, n)
            if not ok:
                raise VerificationError(f"the change of basis does not intertwine at generator {s}")
            col += d
