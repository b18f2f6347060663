"""Kernels of group convolution and of the Clifford-theoretic Fourier assembly.

Every kernel takes all its data as arguments and follows :mod:`grouptools._kernels._function`:
``conv_direct(...)`` runs the numba compilation (``parallel=True``, built on first use) and
``conv_direct.py(...)`` the same source in plain Python, which the tests compare. Public entry
points are :mod:`grouptools.fourier._convolution` and :mod:`grouptools.fourier`.

Convolution over the Cayley table
---------------------------------
``(f * w)(u) = sum_v f(u v^-1) w(v) = sum_v' f(u v') w(v'^-1)``. With ``wt = w[inverse]`` given
sparsely as ``(vidx, wval)`` (the nonzero ``v'`` and ``w(v'^-1)``), row ``u`` of the Cayley table
``T`` is read once and the batch is the innermost, contiguous axis:
``out[u, :] += f[T[u, v'], :] * w(v'^-1)``. Memory: the inputs and the output, ``O(|G| batch)``.
Parallel over ``u`` (``prange``); each thread writes its own rows.

The G-correlation ``(x star w)(g) = sum_h w(h) x(g h)`` (the G-CNN layer, Cohen & Welling 2016)
is the same loop with ``(vidx, wval)`` the nonzero ``h`` and ``w(h)`` themselves (no inversion):
``out[g, :] += x[T[g, h], :] * w(h)``.

Clifford assembly (see :mod:`grouptools.fourier._clifford`)
-----------------------------------------------------------
For an irrep ``rho`` of degree ``d`` in a basis where the abelian normal subgroup ``N`` acts
diagonally with characters at spectrum positions ``pos[r, i]``, and ``Hs[t] = Z^H rho(t) Z`` for
the coset representatives ``t`` stored sparsely by rows (``ptr``, ``tt``, ``jj``, ``val``: row
``r*d + i`` holds the nonzero entries ``Hs[t][i, j]``),
``f_hat(rho) = Z M Z^H`` with ``M[i, j] = sum_t F_t(chi_i) Hs[t][i, j]`` and ``F_t`` the FFT of
``f`` on the coset ``N t``. The kernels compute the sparse part ``M`` (and its adjoint); the basis
change ``Z . Z^H`` is a batched ``numpy.matmul`` in the caller.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from ._function import kernel, prange

__all__ = [
    "SERIAL_WORK",
    "clifford_forward",
    "clifford_inverse",
    "conv_direct",
    "conv_direct_channels",
    "run",
    "threads_for",
]

#: Below this many inner-loop operations a kernel runs on one thread: waking the other threads of
#: a parallel region costs more than it saves, and on a loaded machine it can stall for a
#: scheduler time slice.
SERIAL_WORK = 1 << 21


@contextmanager
def threads_for(work: int) -> Iterator[None]:
    """Run the enclosed kernel calls on one thread if ``work`` is below :data:`SERIAL_WORK`.

    Examples
    --------
    >>> import numba
    >>> with threads_for(10):
    ...     numba.get_num_threads()
    1
    """
    if work >= SERIAL_WORK:
        yield
        return
    import numba

    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(old)


def run(k: Any, *args: Any, work: int, python: bool = False) -> Any:
    """Call kernel ``k`` on ``args``: compiled, inside :func:`threads_for` ``(work)``, or with
    ``python=True`` its plain variant ``k.py``.

    Examples
    --------
    >>> table = np.array([[0, 1], [1, 0]])                  # C2
    >>> run(conv_direct, table, np.array([1]), np.array([1.0]), np.eye(2), np.zeros((2, 2)),
    ...     work=4, python=True)
    array([[0., 1.],
           [1., 0.]])
    """
    if python:
        return k.py(*args)
    with threads_for(work):
        return k(*args)


@kernel(parallel=True)
def conv_direct(table, vidx, wval, ft, out):
    """``out[u, b] = sum_e ft[table[u, vidx[e]], b] * wval[e]`` (``out`` is overwritten).

    ``ft`` is ``(|G|, batch)`` (the functions as columns), ``out`` likewise. With
    ``wval[e] = w(vidx[e])`` this is the G-correlation ``sum_h w(h) f(u h)``, with
    ``wval[e] = w(vidx[e]^-1)`` the convolution ``sum_v f(u v^-1) w(v)``.

    Examples
    --------
    >>> table = np.array([[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1], [3, 0, 1, 2]])   # C4
    >>> f = np.array([[1.0], [0.0], [0.0], [0.0]])       # delta at the identity, as a column
    >>> conv_direct.py(table, np.array([1]), np.array([2.0]), f, np.zeros((4, 1)))[:, 0]
    array([0., 0., 0., 2.])
    """
    n = table.shape[0]
    nb = ft.shape[1]
    for u in prange(n):
        for b in range(nb):
            out[u, b] = 0
        for e in range(vidx.shape[0]):
            t = table[u, vidx[e]]
            c = wval[e]
            for b in range(nb):
                out[u, b] += ft[t, b] * c
    return out


@kernel(parallel=True)
def conv_direct_channels(table, vidx, wmat, ft, out):
    """Multi-channel convolution ``out[u, b, o] = sum_e sum_i ft[table[u, vidx[e]], b, i] * wmat[e, i, o]``.

    ``ft`` is ``(|G|, batch, c_in)``, ``wmat`` is ``(nnz, c_in, c_out)``, ``out`` ``(|G|, batch, c_out)``.
    """
    n = table.shape[0]
    nb = ft.shape[1]
    cin = ft.shape[2]
    cout = wmat.shape[2]
    for u in prange(n):
        for b in range(nb):
            for o in range(cout):
                out[u, b, o] = 0
        for e in range(vidx.shape[0]):
            t = table[u, vidx[e]]
            for b in range(nb):
                for i in range(cin):
                    x = ft[t, b, i]
                    if x != 0:
                        for o in range(cout):
                            out[u, b, o] += x * wmat[e, i, o]
    return out


@kernel(parallel=True)
def clifford_forward(spec, rpos, rconj, ptr, tt, jj, val, out):
    """Assemble ``M = sum_t diag(F_t(chi_i)) Hs_t`` for the irreps of one degree.

    ``spec`` ``(B, T, P)`` complex: spectrum of ``f`` on each coset; ``rpos``/``rconj`` ``(R, d)``:
    where to read ``F_t(chi_i)`` (conjugated if ``rconj``); ``ptr``, ``tt``, ``jj``, ``val``: the
    sparse rows of ``Hs``. ``out`` ``(B, R, d, d)`` receives ``M`` (the caller applies ``Z . Z^H``).
    """
    nb = spec.shape[0]
    nr = rpos.shape[0]
    d = rpos.shape[1]
    for b in prange(nb):
        for r in range(nr):
            for i in range(d):
                for j in range(d):
                    out[b, r, i, j] = 0
                p = rpos[r, i]
                row = r * d + i
                for e in range(ptr[row], ptr[row + 1]):
                    v = spec[b, tt[e], p]
                    if rconj[r, i]:
                        v = np.conj(v)
                    out[b, r, i, jj[e]] += v * val[e]
    return out


@kernel(parallel=True)
def clifford_inverse(blocks, ptr, tt, jj, val, q1, c1, q2, c2, w, out):
    """Scatter ``M' = Z^H f_hat Z`` of the irreps of one degree into coset spectra.

    ``blocks`` ``(B, R, d, d)`` holds ``M'``. For row ``(r, i)`` and coset ``t``,
    ``v_t = sum_j M'[i, j] conj(Hs_t[i, j])`` is added as ``w[r] * (conj(v) if c1 else v)`` at
    ``out[b, t, q1[r, i]]`` (if ``q1 >= 0``) and likewise with ``q2``, ``c2``
    (``out`` ``(B, T, P)`` is accumulated into).
    """
    nb = blocks.shape[0]
    nr = blocks.shape[1]
    d = blocks.shape[2]
    nt = out.shape[1]
    for b in prange(nb):
        v = np.zeros(nt, np.complex128)
        for r in range(nr):
            for i in range(d):
                row = r * d + i
                for e in range(ptr[row], ptr[row + 1]):
                    v[tt[e]] += blocks[b, r, i, jj[e]] * np.conj(val[e])
                for e in range(ptr[row], ptr[row + 1]):
                    t = tt[e]
                    x = v[t]
                    if x != 0:
                        v[t] = 0
                        if q1[r, i] >= 0:
                            out[b, t, q1[r, i]] += w[r] * (np.conj(x) if c1[r, i] else x)
                        if q2[r, i] >= 0:
                            out[b, t, q2[r, i]] += w[r] * (np.conj(x) if c2[r, i] else x)
    return out
