"""The one convention of grouptools' numba kernels: written once in plain Python, compiled on first use.

A kernel is a plain Python function over arrays, decorated with :func:`kernel`. The decorated
object runs the numba compilation of that function (``numba.njit(cache=True)``, with
``parallel=True`` where asked) when called, and the very same source, uncompiled, through its
:attr:`Kernel.py` attribute; the tests compare the two. Both variants are built on first use, so
importing a kernel module imports neither numba nor anything compiled.

Each variant is a new function object with the kernel's code object and a namespace of its own
(as in galois's ``galois/_domains/_function.py``, which recompiles one Python source per
field): a global name that refers to another :class:`Kernel` resolves to the callee's variant of
the same kind (compiled callees inside compiled kernels, plain ones inside plain kernels), and the
placeholder :data:`prange` to ``numba.prange`` when compiled and to ``range`` when plain.
Modules (``np``, ``math``) are the only other globals a kernel may read: data and constants are
passed as arguments or written as literals, so both variants compute with the same values
(numba would freeze a global's value at compile time, the interpreter would not).

Examples
--------
>>> import numpy as np
>>> from grouptools._kernels._function import kernel, prange
>>> @kernel
... def _square(x):
...     return x * x
>>> @kernel(parallel=True)
... def sum_squares(a):
...     total = 0.0
...     for i in prange(a.shape[0]):
...         total += _square(a[i])
...     return total
>>> float(sum_squares.py(np.arange(4.0)))   # plain Python: prange is range, _square is _square.py
14.0
"""

from __future__ import annotations

import builtins
import dis
import functools
import sys
import types
from typing import Any, Callable, Iterator

__all__ = ["COLD_WORK", "PLAIN_BUDGET", "SMALL_WORK", "Kernel", "choose_plain", "kernel", "prange"]

#: Calls of about this many inner-loop iterations or fewer run faster in plain Python (~1 us an
#: iteration) than numba's first use costs (~0.5-1 s to import it and load even a warm disk
#: cache): :meth:`Kernel.for_work` picks the plain variant for them ...
SMALL_WORK = 1 << 13
#: ... until the plain calls so chosen add up to this many iterations in the process (~0.5 s):
#: from then on the compiled variants run, so that many small calls cost at most about twice what
#: compiling at once would have.
PLAIN_BUDGET = 1 << 19
#: While numba is not yet loaded in the process, calls of up to this many iterations run plain
#: too: loading numba and a warm disk cache costs ~1 s, a plain call of this size ~0.1 s (the
#: first group of order 10^4 built in a process used to pay the whole load for a spanning tree).
COLD_WORK = 1 << 17

_plain_work = 0  # iterations run so far by plain variants chosen by choose_plain


def choose_plain(work: int) -> bool:
    """Whether a kernel call of about ``work`` inner-loop iterations should run the plain variant:
    ``work <= SMALL_WORK`` (:data:`COLD_WORK` while numba is not loaded) and less than
    :data:`PLAIN_BUDGET` iterations so chosen before in this process (``work`` is then charged
    to the budget). Used by :meth:`Kernel.for_work` and by
    drivers that call kernels repeatedly (the coset enumeration).

    Examples
    --------
    >>> choose_plain(10**9)
    False
    """
    global _plain_work
    limit = SMALL_WORK if "numba" in sys.modules else COLD_WORK
    if work <= limit and _plain_work < PLAIN_BUDGET:
        _plain_work += work
        return True
    return False

#: Placeholder for ``numba.prange`` in kernel sources: ``range`` in the plain variant (and when a
#: kernel source is read as ordinary Python), ``numba.prange`` in the compiled one.
prange = range


class Kernel:
    """A plain Python function with a lazily compiled numba twin built from the same code.

    Parameters
    ----------
    func : function
        The kernel source: arguments are arrays and scalars; its globals may only be modules,
        other kernels and :data:`prange`.
    parallel : bool
        Compile with ``parallel=True`` (loops over :data:`prange` run on numba's threads).

    Notes
    -----
    ``kernel(*args)`` runs the compiled variant (:attr:`compiled`, a numba dispatcher that
    compiles, or loads from numba's disk cache, on its first call per argument types);
    ``kernel.py(*args)`` runs the plain variant. A global that is neither a module, a kernel nor
    :data:`prange` raises :class:`TypeError` when a variant is built; so does a closure (at
    decoration).
    """

    def __init__(self, func: Callable[..., Any], *, parallel: bool = False) -> None:
        if not isinstance(func, types.FunctionType):
            raise TypeError(f"a kernel must be a plain Python function, got {type(func).__name__}")
        if func.__code__.co_freevars:
            raise TypeError(
                f"kernel {func.__qualname__} is a closure: define kernels at module level and "
                "pass data as arguments"
            )
        self.func = func
        self.parallel = bool(parallel)
        self._variants: dict[bool, Callable[..., Any]] = {}
        functools.update_wrapper(self, func)

    def __repr__(self) -> str:
        return f"<kernel {self.func.__module__}.{self.func.__qualname__}>"

    def __call__(self, *args: Any) -> Any:
        return self.compiled(*args)

    @property
    def py(self) -> Callable[..., Any]:
        """The plain Python variant (``prange`` is ``range``, callees are their ``.py``)."""
        return self._variant(compiled=False)

    def for_work(self, work: int) -> Callable[..., Any]:
        """The variant for a call of about ``work`` inner-loop iterations: :attr:`py` up to
        :data:`SMALL_WORK` (so that small inputs never import numba) while the process has run
        fewer than :data:`PLAIN_BUDGET` iterations so, else :attr:`compiled`. Both compute the
        same results.

        Examples
        --------
        >>> import numpy as np
        >>> from grouptools._kernels.group import tree_apply
        >>> tree = [np.array(a, np.int32) for a in ([0, 1, 2], [-1, 0, 1], [-1, 0, 0])]
        >>> perms = np.array([[1, 2, 0]], np.int32)              # C3, one letter
        >>> tree_apply.for_work(3)(*tree, perms, 1).tolist()     # left multiplication by g_1
        [1, 2, 0]
        """
        return self.py if choose_plain(work) else self.compiled

    @property
    def compiled(self) -> Callable[..., Any]:
        """The numba variant, ``njit(cache=True[, parallel=True])`` (imports numba when first built)."""
        return self._variant(compiled=True)

    def _variant(self, compiled: bool) -> Callable[..., Any]:
        fn = self._variants.get(compiled)
        if fn is None:
            fn = self._build(compiled)
            self._variants[compiled] = fn
        return fn

    def _build(self, compiled: bool) -> Callable[..., Any]:
        func = self.func
        namespace: dict[str, Any] = {"__builtins__": builtins}
        module_globals = func.__globals__
        for name in sorted(set(_global_names(func.__code__))):
            if name not in module_globals:
                continue  # a builtin such as range, len or min
            value = module_globals[name]
            if value is prange:
                value = _numba().prange if compiled else range
            elif isinstance(value, Kernel):
                value = value._variant(compiled)
            elif not isinstance(value, types.ModuleType):
                raise TypeError(
                    f"kernel {func.__qualname__} reads the module global {name!r} "
                    f"({type(value).__name__}): pass it as an argument or write it as a literal"
                )
            namespace[name] = value
        clone = types.FunctionType(
            func.__code__, namespace, func.__name__, func.__defaults__, func.__closure__
        )
        clone.__qualname__ = func.__qualname__
        clone.__module__ = func.__module__
        clone.__doc__ = func.__doc__
        if not compiled:
            return clone
        return _numba().njit(cache=True, parallel=self.parallel)(clone)


def kernel(func: Callable[..., Any] | None = None, *, parallel: bool = False) -> Any:
    """Decorator: ``@kernel`` or ``@kernel(parallel=True)`` turns a function into a :class:`Kernel`.

    Examples
    --------
    >>> import numpy as np
    >>> from grouptools._kernels._function import kernel
    >>> @kernel
    ... def cumulative(a, out):
    ...     s = 0
    ...     for i in range(a.shape[0]):
    ...         s += a[i]
    ...         out[i] = s
    ...     return out
    >>> cumulative.py(np.arange(4), np.empty(4, np.int64))
    array([0, 1, 3, 6])
    """
    if func is None:
        return functools.partial(Kernel, parallel=parallel)
    return Kernel(func, parallel=parallel)


def _global_names(code: types.CodeType) -> Iterator[str]:
    """Names loaded as globals by ``code`` and the code objects nested in it."""
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            yield ins.argval
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _global_names(const)


def _numba() -> types.ModuleType:
    import numba

    return numba
