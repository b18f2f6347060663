"""numba kernels of grouptools (private): coset enumeration, group tables, convolution, Wigner-d.

Every kernel is a plain Python function over arrays (never module globals), decorated with
:func:`grouptools._kernels._function.kernel`: calling it runs the numba compilation, built on
first use, and its ``.py`` attribute runs the same source uncompiled. Callers import the module
they need; importing this package, or any kernel module, imports no numba.
"""
