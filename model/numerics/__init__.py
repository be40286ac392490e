"""Numerics that compiled code calls: scipy's C functions registered for numba, exact inverse CDFs.

Engine plumbing rather than model: the rules in :mod:`model.rules` and both engines import from
here, so that a rule can draw an exact binomial or call scipy's logit inside compiled code.
"""
