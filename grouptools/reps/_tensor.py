"""Irreps of direct products as outer tensor products of the factors' irreps.

``Irr(G_1 x ... x G_r) = {rho_1 # ... # rho_r}`` (Curtis & Reiner 1962, 43.2): the generator
``s`` of factor ``f`` maps to ``I (x) rho_f(s) (x) I``. Monomial factors give monomial products
(index arithmetic); otherwise the exact Kronecker products are formed over the common cyclotomic
field. The character of a product is the product of the factors' characters, which identifies its
row in the table of ``G`` (and is checked exactly).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Callable

import numpy as np

from ..arith._cycmatrix import CycMatrix
from .._errors import VerificationError
from ..groups import DirectProductStructure, FiniteGroup
from ._induce import MonomialRep, verify_monomial
from ._project import CyclotomicRep

__all__ = ["cyclotomic_product", "direct_product_irreps", "kron_identity", "monomial_product", "outer_unitary"]


def direct_product_irreps(
    G: FiniteGroup, table: Any, search_limit: int, irreps: Callable[..., tuple]
) -> dict[int, Any]:
    """``{table row: representation}`` for a group built by ``direct_product`` (else ``{}``).

    ``irreps`` computes the irreps of each factor (the caller passes
    :func:`~grouptools.reps.irreps`, so this module stays below it).
    """

    st = G.structure
    if not isinstance(st, DirectProductStructure):
        return {}
    facs = st.factors
    firr = [irreps(F, search_limit=search_limit) for F in facs]
    orders = [F.order for F in facs]
    classes = G.conjugacy_classes()
    reps = np.asarray(classes.representatives, np.int64)
    coords = np.unravel_index(reps, orders)
    values = np.asarray(table.values)
    m = int(table.exponent)
    kf = [len(F.generator_names) for F in facs]
    out: dict[int, Any] = {}
    for combo in itertools.product(*firr):
        chi = np.ones(reps.size, complex)
        for f, rho in enumerate(combo):
            chi = chi * rho.character_values[coords[f]]
        dist = np.abs(values - chi[None, :]).max(axis=1)
        i = int(np.argmin(dist))
        if dist[i] > 1e-6 or i in out:
            raise VerificationError("a tensor product of factor irreps is not in the table")
        dims = [rho.dim for rho in combo]
        if math.prod(dims) == 1:
            continue  # linear characters come from the table directly
        if all(rho.is_monomial for rho in combo):
            out[i] = monomial_product(combo, dims, kf, m)
            verify_monomial(G, table, out[i].perms, out[i].exps[None], [i], out[i].m)
        else:
            out[i] = cyclotomic_product(combo, dims)
            for c in range(reps.size):
                val = 1
                for f, rho in enumerate(combo):
                    val = val * rho.character[int(facs[f].class_index[coords[f][c]])]
                if val != table.value(i, c):
                    raise VerificationError("tensor product character differs from the table")
    return out


def monomial_product(combo: tuple, dims: list[int], kf: list[int], m: int) -> MonomialRep:
    """Exact monomial images of the outer tensor product of the monomial irreps ``combo`` (one
    per factor, degrees ``dims``, ``kf`` generators per factor) over ``E(m)``; ``m`` is a
    multiple of every factor's field."""
    J = np.indices(dims).reshape(len(dims), -1)
    perms, exps = [], []
    for f, rho in enumerate(combo):
        p, e, mf = rho.monomial_data
        if m % mf:
            raise VerificationError("factor exponent does not divide the group exponent")
        for s in range(kf[f]):
            J2 = J.copy()
            J2[f] = p[s][J[f]]
            perms.append(np.ravel_multi_index(tuple(J2), dims))
            exps.append(e[s][J[f]] * (m // mf))
    return MonomialRep(np.array(perms), np.array(exps), m, "tensor product of factor irreps")


def kron_identity(X: CycMatrix, before: int, after: int, M: int) -> CycMatrix:
    """Exact ``I_before (x) X (x) I_after`` over Q(zeta_M)."""
    Y = X.to_field(M)
    c = np.asarray(Y.coefficients)
    d = c.shape[0]
    n = before * d * after
    a = np.arange(before)[:, None, None, None]
    x = np.arange(d)[None, :, None, None]
    y = np.arange(d)[None, None, :, None]
    b = np.arange(after)[None, None, None, :]
    rows = ((a * d + x) * after + b) + 0 * y
    cols = ((a * d + y) * after + b) + 0 * x
    coef = np.zeros((n, n, c.shape[2]), dtype=c.dtype)
    coef[rows, cols] = np.broadcast_to(c[None, :, :, None, :], (before, d, d, after, c.shape[2]))
    return CycMatrix.from_coefficients(coef, M, Y.denominator)


def cyclotomic_product(combo: tuple, dims: list[int]) -> CyclotomicRep:
    """Exact images ``I (x) X_s (x) I`` of the outer tensor product of the irreps ``combo`` over
    their common field, with the Kronecker products of their unitary images and changes of basis."""
    M = 1
    for rho in combo:
        M = math.lcm(M, rho.field)
    images = []
    for f, rho in enumerate(combo):
        before, after = math.prod(dims[:f]), math.prod(dims[f + 1:])
        images.extend(kron_identity(X, before, after, M) for X in rho.generator_images)
    unitary, change, exact = outer_unitary(combo, dims)
    return CyclotomicRep(images, unitary, change, exact, M, "tensor product of factor irreps")


def outer_unitary(combo: tuple, dims: list[int]) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """The numeric side of the outer tensor product of the irreps ``combo``: the unitary images
    ``I (x) U_s (x) I`` (stacked, ``(k, d, d)``), the Kronecker product of the changes of basis
    (``None`` when every factor is exactly unitary) and whether every factor is."""
    unitary = []
    for f, rho in enumerate(combo):
        before, after = math.prod(dims[:f]), math.prod(dims[f + 1:])
        for U in rho.unitary_generator_images:
            unitary.append(np.kron(np.kron(np.eye(before), U), np.eye(after)))
    exact = all(rho.exact_unitary for rho in combo)
    change = None
    if not exact:
        change = np.ones((1, 1), complex)
        for rho in combo:
            C = rho.change_of_basis
            change = np.kron(change, np.eye(rho.dim) if C is None else C)
    d = math.prod(dims)
    stacked = np.stack(unitary) if unitary else np.zeros((0, d, d), complex)
    return stacked, change, exact
