"""Export and import of irreducible representations: JSON, GAP and text.

JSON layout (:func:`irreps_to_json`)::

    {"order": n, "generators": ["a", ...], "classes": ["1a", ...],
     "class_representatives": ["1", "a", ...],
     "irreps": [{"index": i, "dim": d, "frobenius_schur": 1, "monomial": true,
                 "exact_unitary": true, "field": M,
                 "character": ["3", "-1", ...],
                 "images": {"a": [[[re, im], ...], ...], ...},
                 "exact": {"a": [["E(4)", "0"], ...], ...},
                 "change_of_basis": [[[re, im], ...], ...]}, ...]}

``images`` are the unitary matrices of the generators; ``exact`` the exact matrices in GAP
notation. When ``exact_unitary`` is true they are the same matrices; otherwise
``images = C^-1 exact C`` with ``C = change_of_basis`` (present only then).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..arith._cycmatrix import CycMatrix
from ..arith._cyclotomic import Cyclotomic
from .._errors import CyclotomicError, InvalidGroupError, VerificationError, check_type, quote
from ..groups._group import FiniteGroup
from ._induce import MonomialRep, verify_monomial
from ._api import irreps
from ._irrep import Irrep
from ._project import CyclotomicRep
from ._serialize import irrep_dict, irrep_gap
from ._subgroups import tree_levels

__all__ = ["irreps_to_json", "irreps_from_json", "irreps_to_gap", "format_irreps",
           "irrep_to_json", "irrep_to_gap"]

#: Largest ``|G| * d^3`` for which imported cyclotomic irreps are checked exactly on every
#: Cayley-graph edge when the group has no stored presentation.
MAX_EXACT_EDGE_WORK = 200_000


def irrep_to_json(rho: Irrep) -> dict:
    """One irrep as a JSON-ready dict (see the module docstring).

    Raises :class:`~grouptools.ParameterTypeError` unless ``rho`` is an :class:`Irrep`.
    """
    check_type("rho", rho, Irrep, "an Irrep")
    return irrep_dict(rho)


def irreps_to_json(G: FiniteGroup) -> dict:
    """All irreps of ``G`` as a JSON-ready dict.

    Examples
    --------
    >>> import grouptools as gt
    >>> data = irreps_to_json(gt.cyclic(3))
    >>> data["order"], data["generators"], [r["exact"]["a"] for r in data["irreps"]]
    (3, ['a'], [[['1']], [['E(3)']], [['E(3)^2']]])
    """
    from ._api import character_table

    reps = irreps(G)
    table = character_table(G)
    return {
        "order": G.order,
        "generators": list(G.generator_names),
        "classes": list(table.class_names),
        "class_representatives": [G.word(c.representative) for c in G.conjugacy_classes()],
        "irreps": [irrep_to_json(r) for r in reps],
    }


def _parse_complex(rows: Any, d: int, what: str) -> np.ndarray:
    try:
        arr = np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidGroupError(f"{what}: not a matrix of [re, im] pairs") from exc
    if arr.shape != (d, d, 2):
        raise InvalidGroupError(f"{what}: expected shape ({d}, {d}, 2), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InvalidGroupError(f"{what}: non-finite entries")
    return arr[..., 0] + 1j * arr[..., 1]


def _as_monomial(mats: list[CycMatrix], M: int) -> tuple[np.ndarray, np.ndarray] | None:
    """``(perms, exps)`` over ``E(M)`` if every matrix is monomial with root-of-unity entries."""
    roots = {Cyclotomic.root_of_unity(k, M): k for k in range(M)}
    perms, exps = [], []
    for X in mats:
        d = X.shape[0]
        p, e = np.zeros(d, np.int64), np.zeros(d, np.int64)
        for j in range(d):
            nz = [i for i in range(d) if X.entry(i, j)]
            if len(nz) != 1:
                return None
            k = roots.get(X.entry(nz[0], j))
            if k is None:
                return None
            p[j], e[j] = nz[0], k
        if sorted(p.tolist()) != list(range(d)):
            return None
        perms.append(p)
        exps.append(e)
    return np.array(perms), np.array(exps)


def irreps_from_json(G: FiniteGroup, data: dict, *, install: bool = False) -> tuple[Irrep, ...]:
    """Import irreps written by :func:`irreps_to_json`, validated against ``G``.

    Checks: shapes and names; the exact images define a homomorphism (exactly on the stored
    presentation's relators, or -- without one -- exactly on every Cayley-graph edge for
    monomial data and when ``|G| d^3 <= MAX_EXACT_EDGE_WORK``, else numerically to 1e-9 on
    every edge); the exact characters at the class representatives equal the table's row of
    the same index; the unitary images equal ``C^-1 X C`` (1e-9) and are unitary.

    Parameters
    ----------
    install : bool
        Make the imported irreps the memoized ``irreps(G)`` (only if none are memoized yet).

    Raises
    ------
    InvalidGroupError
        If the data are malformed or do not describe the irreps of ``G``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> back = irreps_from_json(gt.dihedral(3), irreps_to_json(G))
    >>> [r.dim for r in back], back[2].generator_images[0] == irreps(G)[2].generator_images[0]
    ([1, 1, 2], True)
    """
    from ._api import character_table

    check_type("G", G, FiniteGroup, "a FiniteGroup")
    if not isinstance(data, dict) or not isinstance(data.get("irreps"), list):
        raise InvalidGroupError(f"irreps JSON must be a dict with an 'irreps' list, got {type(data).__name__}")
    if data.get("order") != G.order:
        raise InvalidGroupError(f"irreps JSON is for order {quote(data.get('order'))}, not {G.order}")
    names = list(G.generator_names)
    if data.get("generators") != names:
        raise InvalidGroupError(f"irreps JSON generators {quote(data.get('generators'))} != {quote(names)}")
    table = character_table(G)
    if len(data["irreps"]) != len(table.degrees):
        raise InvalidGroupError(f"expected {len(table.degrees)} irreps, got {len(data['irreps'])}")
    out = []
    for i, item in enumerate(data["irreps"]):
        out.append(_import_one(G, table, i, item, names))
    if sum(r.dim ** 2 for r in out) != G.order:
        raise InvalidGroupError("sum of squared degrees differs from |G|")
    result = tuple(out)
    for rho in result:
        rho.matrices  # noqa: B018 - builds and checks the unitary matrices
    if install:
        G.memo("irreps", lambda: result)
    return result


def _import_one(G: FiniteGroup, table: Any, i: int, item: Any, names: list[str]) -> Irrep:
    if not isinstance(item, dict):
        raise InvalidGroupError(f"irrep {i}: not a dict")
    d = item.get("dim")
    if d != table.degrees[i]:
        raise InvalidGroupError(f"irrep {i}: dim {quote(d)} but the table's degree is {table.degrees[i]}")
    exact, images = item.get("exact"), item.get("images")
    if not isinstance(exact, dict) or not isinstance(images, dict) or \
            sorted(exact) != sorted(names) or sorted(images) != sorted(names):
        raise InvalidGroupError(f"irrep {i}: 'exact' and 'images' need one entry per generator")
    try:
        X = [CycMatrix.from_gap(exact[s]) for s in names]
    except (CyclotomicError, TypeError, ValueError, IndexError) as exc:
        raise InvalidGroupError(f"irrep {i}: bad exact matrix ({quote(str(exc))})") from exc
    if any(x.shape != (d, d) for x in X):
        raise InvalidGroupError(f"irrep {i}: exact matrices must be {d} x {d}")
    M = 1
    for x in X:
        M = math.lcm(M, x.m)
    X = [x.to_field(M) for x in X]
    U = np.stack([_parse_complex(images[s], d, f"irrep {i} image {s}") for s in names]) \
        if names else np.zeros((0, d, d), complex)
    unit = bool(item.get("exact_unitary", False))
    C = None
    if not unit:
        if "change_of_basis" not in item:
            raise InvalidGroupError(f"irrep {i}: non-unitary exact images need change_of_basis")
        C = _parse_complex(item["change_of_basis"], d, f"irrep {i} change_of_basis")
    try:
        Cinv = None if C is None else np.linalg.inv(C)
    except np.linalg.LinAlgError:
        raise InvalidGroupError(f"irrep {i}: change_of_basis is singular") from None
    for s, (x, u) in enumerate(zip(X, U)):
        xn = x.to_complex()
        want = xn if C is None else Cinv @ xn @ C
        if np.abs(want - u).max() > 1e-9 or np.abs(u @ u.conj().T - np.eye(d)).max() > 1e-9:
            raise InvalidGroupError(f"irrep {i}: images of {names[s]} do not match the exact ones")
    M2 = M if M % 2 == 0 else 2 * M  # -E(M) is a (2M)-th root of unity for odd M
    mono = _as_monomial(X, M2) if item.get("monomial") else None
    try:
        if mono is not None:
            perms, exps = mono
            verify_monomial(G, table, perms, exps[None], [i], M2)
            rep = MonomialRep(perms, exps, M2, "imported")
            return Irrep(G, i, d, mono=rep)
        _verify_cyclotomic(G, table, i, X, M, U)
    except VerificationError as exc:
        raise InvalidGroupError(f"irrep {i}: {exc}") from exc
    return Irrep(G, i, d, cyc=CyclotomicRep(X, U, C, unit, M, "imported"))


def _word_product(X: list[CycMatrix], Xinv: list[CycMatrix], word: list[int], d: int,
                  M: int) -> CycMatrix:
    P = CycMatrix.identity(d, M)
    for t in word:
        P = P @ (X[t // 2] if t % 2 == 0 else Xinv[t // 2])
    return P


def _verify_cyclotomic(G: FiniteGroup, table: Any, i: int, X: list[CycMatrix], M: int,
                       U: np.ndarray) -> None:
    """Homomorphism and character checks of exact images ``X`` (see irreps_from_json)."""
    d = X[0].shape[0] if X else table.degrees[i]
    Xinv = [x.inverse() for x in X]
    pres = G.defining_presentation
    if pres is not None:
        for rel in pres.relators:
            word = [2 * (c - 1) if c > 0 else 2 * (-c - 1) + 1 for c in rel]
            if not _word_product(X, Xinv, word, d, M).is_identity():
                raise VerificationError("a relator does not map to the identity")
    elif G.order * d ** 3 <= MAX_EXACT_EDGE_WORK:
        _, parent, letter, _ = G.spanning_tree
        mats: dict[int, CycMatrix] = {0: CycMatrix.identity(d, M)}
        for lvl in tree_levels(G):
            for x in lvl:
                t = int(letter[x])
                mats[int(x)] = mats[int(parent[x])] @ (X[t // 2] if t % 2 == 0 else Xinv[t // 2])
        for s in range(len(X)):
            for x in range(G.order):
                if not mats[x] @ X[s] == mats[int(G.right_perms[s, x])]:
                    raise VerificationError("the images are not multiplicative on an edge")
    else:
        from ._irrep import tree_products

        mats_n = tree_products(G, U)
        for s in range(len(X)):
            if np.abs(mats_n @ U[s] - mats_n[G.right_perms[s]]).max() > 1e-9:
                raise VerificationError("the images are not multiplicative on an edge")
    for c, cls in enumerate(G.conjugacy_classes()):
        word = G.letter_word(cls.representative)
        if _word_product(X, Xinv, word, d, M).trace() != table.value(i, c):
            raise VerificationError(f"character differs from the table at class {c}")


def irrep_to_gap(rho: Irrep) -> str:
    """The exact generator images of one irrep as a GAP list of matrices.

    Examples
    --------
    >>> import grouptools as gt
    >>> irreps(gt.cyclic(4))[2].to_gap()
    '[ [ [ E(4) ] ] ]'
    """
    check_type("rho", rho, Irrep, "an Irrep")
    return irrep_gap(rho)


def irreps_to_gap(G: FiniteGroup) -> str:
    """All irreps as a GAP list (one entry per irrep: the list of generator images), readable
    by GAP's ``EvalString`` (in the order of ``G.generator_names``).

    Examples
    --------
    >>> import grouptools as gt
    >>> print(irreps_to_gap(gt.cyclic(2)))
    [
      [ [ [ 1 ] ] ],
      [ [ [ -1 ] ] ]
    ]
    """
    body = ",\n".join("  " + irrep_to_gap(r) for r in irreps(G))
    return "[\n" + body + "\n]"


def format_irreps(G: FiniteGroup) -> str:
    """Human-readable description of all irreps (characters and exact generator images).

    Examples
    --------
    >>> import grouptools as gt
    >>> print(format_irreps(gt.cyclic(2)))  # doctest: +NORMALIZE_WHITESPACE
    Irreducible representations of <C2: order 2, generators a>: 2 irreps, degrees 1, 1
    classes: 1a 2a
    rho_0: dim 1, indicator +1, monomial, exactly unitary, over Q(E(1))
      character: 1 1
      a -> [ [ 1 ] ]
    rho_1: dim 1, indicator +1, monomial, exactly unitary, over Q(E(2))
      character: 1 -1
      a -> [ [ -1 ] ]
    """
    from ._api import character_table

    reps = irreps(G)  # ParameterTypeError unless G is a FiniteGroup
    table = character_table(G)
    fs = {1: "+1", 0: "0", -1: "-1"}
    lines = [f"Irreducible representations of {G!r}: {len(reps)} irreps, degrees "
             + ", ".join(str(r.dim) for r in reps),
             "classes: " + " ".join(table.class_names)]
    for rho in reps:
        kind = "monomial" if rho.is_monomial else "cyclotomic"
        unit = "exactly unitary" if rho.exact_unitary else "unitarized numerically"
        lines.append(f"{rho.label}: dim {rho.dim}, indicator {fs[rho.frobenius_schur]}, "
                     f"{kind}, {unit}, over Q(E({rho.field}))")
        lines.append("  character: " + " ".join(v.to_gap() for v in rho.character))
        for name, X in zip(G.generator_names, rho.generator_images):
            rows = ["[ " + ", ".join(r) + " ]" for r in X.to_gap()]
            lines.append(f"  {name} -> [ " + ", ".join(rows) + " ]")
    return "\n".join(lines)
