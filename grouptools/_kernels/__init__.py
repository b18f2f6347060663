"""numba kernels of grouptools (private): coset enumeration, group tables, convolution, Wigner-d.

Every module here takes its data as arrays (never module globals). Callers import the module they
need; importing this package loads no kernel and no numba.
"""
