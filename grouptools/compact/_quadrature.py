r"""Quadrature grids on SO(3) and S^2 that are exact for band-limited functions.

Band limit ``B`` means degrees ``l = 0..B-1`` (the SOFT convention). Integrals use the normalized
Haar measure on SO(3) (total mass 1),
``int f dg = (1 / (8 pi^2)) int int int f(alpha, beta, gamma) sin(beta) dalpha dbeta dgamma``, and
the area measure on S^2 (total mass ``4 pi``).

Grids (angles as in :mod:`grouptools.compact._wigner`; samples are stored ``[beta, alpha]`` on S^2
and ``[beta, alpha, gamma]`` on SO(3)):

- ``"soft"``: the Driscoll-Healy / SOFT grid (Driscoll and Healy 1994; Kostelec and Rockmore 2008):
  ``2B`` equiangular ``alpha_j = 2 pi j / (2B)`` (and ``gamma``), ``beta_k = pi (2k+1) / (4B)``,
  ``k = 0..2B-1``, with the weights
  ``w_k = (2/B) sin(beta_k) sum_{j<B} sin((2j+1) beta_k) / (2j+1)``
  (``sum_k w_k g(beta_k) = int_0^pi g(beta) sin(beta) dbeta`` for the relevant ``g``).
- ``"gauss"``: ``B`` Gauss-Legendre nodes ``cos(beta_k) = x_k`` with their weights (exact for
  polynomials in ``cos(beta)`` of degree ``<= 2B - 1``) and ``2B`` equiangular ``alpha``, ``gamma``.

Both are exact for ``int f(g) conj(D^l_{mn}(g)) dg`` whenever ``f`` has band limit ``B`` and
``l < B``: the ``alpha`` and ``gamma`` sums are exact for frequencies ``|k| < 2B``, and
``d^l_{mn} d^{l'}_{mn}`` is ``((1-x)/2)^{|m-n|} ((1+x)/2)^{|m+n|}`` times a polynomial, of total
degree ``l + l' <= 2B - 2`` in ``x = cos(beta)``.

References
----------
J. R. Driscoll, D. M. Healy. Computing Fourier transforms and convolutions on the 2-sphere.
Adv. Appl. Math. 15 (1994) 202-250.
P. J. Kostelec, D. N. Rockmore. FFTs on the rotation group. J. Fourier Anal. Appl. 14 (2008) 145-179.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import GroupTooLargeError, InvalidGroupError, quote

__all__ = ["SO3Grid", "S2Grid", "so3_grid", "s2_grid", "MAX_BANDLIMIT", "GRID_KINDS"]

MAX_BANDLIMIT = 512
"""Largest band limit accepted by the grids (a SOFT grid at B = 512 has 2^30 points)."""

GRID_KINDS = ("soft", "gauss")


def check_bandlimit(B: object, *, limit: int = MAX_BANDLIMIT) -> int:
    """Validate a band limit (an integer ``1 <= B <= limit``)."""
    if isinstance(B, bool) or not isinstance(B, (int, np.integer)) or B < 1:
        raise InvalidGroupError(f"band limit B must be an integer >= 1, got {quote(B)}")
    if B > limit:
        raise GroupTooLargeError(f"band limit B={B} exceeds the limit {limit}")
    return int(B)


def _beta_rule(B: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Nodes ``beta_k`` and weights normalized to ``sum_k w_k g(beta_k) = (1/2) int_0^pi g sin``."""
    if kind == "soft":
        k = np.arange(2 * B)
        beta = np.pi * (2 * k + 1) / (4 * B)
        j = np.arange(B)
        w = (2.0 / B) * np.sin(beta) * (np.sin(np.outer(beta, 2 * j + 1)) / (2 * j + 1)).sum(axis=1)
        return beta, w / 2.0
    if kind == "gauss":
        x, w = np.polynomial.legendre.leggauss(B)
        order = np.argsort(-x)  # increasing beta
        return np.arccos(x[order]), w[order] / 2.0
    raise InvalidGroupError(f"grid kind must be one of {GRID_KINDS}, got {quote(kind)}")


@dataclass(frozen=True)
class SO3Grid:
    """A quadrature grid on SO(3) (see the module docstring).

    Attributes
    ----------
    B : int
        Band limit (degrees ``l < B`` are integrated exactly against each other).
    kind : str
        ``"soft"`` or ``"gauss"``.
    alpha, beta, gamma : numpy.ndarray
        The angles; samples of a function are stored as an array of shape
        ``(..., beta.size, alpha.size, gamma.size)``.
    beta_weights : numpy.ndarray
        Weights of the ``beta`` rule, summing to 1.
    weights : numpy.ndarray
        Full weights ``beta_weights[k] / (alpha.size * gamma.size)``, shape ``shape``, summing to 1.
    """

    B: int
    kind: str
    alpha: np.ndarray
    beta: np.ndarray
    gamma: np.ndarray
    beta_weights: np.ndarray

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(n_beta, n_alpha, n_gamma)``."""
        return (self.beta.size, self.alpha.size, self.gamma.size)

    @property
    def weights(self) -> np.ndarray:
        nb, na, ng = self.shape
        return np.broadcast_to(self.beta_weights[:, None, None] / (na * ng), self.shape)

    def angles(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Broadcast ``(alpha, beta, gamma)`` arrays of shape :attr:`shape`."""
        b, a, g = np.meshgrid(self.beta, self.alpha, self.gamma, indexing="ij")
        return a, b, g

    def integrate(self, samples: np.ndarray) -> np.ndarray:
        """``sum_grid w f`` over the last three axes (the Haar integral for band-limited integrands)."""
        samples = np.asarray(samples)
        if samples.shape[-3:] != self.shape:
            raise InvalidGroupError(f"samples must end with the grid shape {self.shape}, got {samples.shape}")
        return np.einsum("...kij,k->...", samples, self.beta_weights) / (self.alpha.size * self.gamma.size)


@dataclass(frozen=True)
class S2Grid:
    """A quadrature grid on the sphere: polar angles ``beta`` (theta), azimuths ``alpha`` (phi).

    Samples are stored with shape ``(..., beta.size, alpha.size)``; ``integrate`` uses the area
    measure (total ``4 pi``).
    """

    B: int
    kind: str
    alpha: np.ndarray
    beta: np.ndarray
    beta_weights: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_beta, n_alpha)``."""
        return (self.beta.size, self.alpha.size)

    @property
    def weights(self) -> np.ndarray:
        """Area weights of the points (shape :attr:`shape`, summing to ``4 pi``)."""
        return np.broadcast_to(4 * np.pi * self.beta_weights[:, None] / self.alpha.size, self.shape)

    def points(self) -> np.ndarray:
        """Unit vectors of the grid points, shape ``shape + (3,)``."""
        b, a = np.meshgrid(self.beta, self.alpha, indexing="ij")
        return np.stack([np.sin(b) * np.cos(a), np.sin(b) * np.sin(a), np.cos(b)], axis=-1)

    def integrate(self, samples: np.ndarray) -> np.ndarray:
        """``int_{S^2} f dx`` over the last two axes (exact for band-limited integrands)."""
        samples = np.asarray(samples)
        if samples.shape[-2:] != self.shape:
            raise InvalidGroupError(f"samples must end with the grid shape {self.shape}, got {samples.shape}")
        return 4 * np.pi * np.einsum("...ki,k->...", samples, self.beta_weights) / self.alpha.size


def so3_grid(B: int, kind: str = "soft") -> SO3Grid:
    """The SO(3) quadrature grid of band limit ``B`` (``"soft"``: ``(2B)^3`` points, ``"gauss"``: ``4 B^3``).

    Examples
    --------
    >>> g = so3_grid(4)
    >>> g.shape, round(float(g.weights.sum()), 12)
    ((8, 8, 8), 1.0)
    >>> so3_grid(4, "gauss").shape
    (4, 8, 8)
    """
    B = check_bandlimit(B)
    beta, w = _beta_rule(B, kind)
    eq = 2 * np.pi * np.arange(2 * B) / (2 * B)
    return SO3Grid(B, kind, eq, beta, eq.copy(), w)


def s2_grid(B: int, kind: str = "soft") -> S2Grid:
    """The S^2 quadrature grid of band limit ``B`` (``"soft"``: Driscoll-Healy ``2B x 2B``).

    Examples
    --------
    >>> g = s2_grid(3, "gauss")
    >>> g.shape, round(float(g.integrate(np.ones(g.shape))), 10) == round(4 * np.pi, 10)
    ((3, 6), True)
    """
    B = check_bandlimit(B)
    beta, w = _beta_rule(B, kind)
    return S2Grid(B, kind, 2 * np.pi * np.arange(2 * B) / (2 * B), beta, w)
