"""scipy's logit and expit as functions that compiled rules can call (the same C code as the ufuncs).

Rules that the vectorised engine's loops call must compile with numba, which cannot call a numpy
ufunc on scalars. scipy exports the C functions behind its special functions for Cython
(``scipy.special.cython_special``); registered here under fixed symbol names, they can be called
from compiled code, and numba can still cache it. Values are those of ``scipy.special.logit`` and
``expit`` to the bit (tests/model/rules/test_rules.py).
"""

from __future__ import annotations

from llvmlite import binding as llvm
from numba import types
from numba.extending import get_cython_function_address

# the double versions ("__pyx_fuse_0"), which take a trailing ``int skip_dispatch`` (pass 0)
llvm.add_symbol("seamig_logit", get_cython_function_address("scipy.special.cython_special", "__pyx_fuse_0logit"))
llvm.add_symbol("seamig_expit", get_cython_function_address("scipy.special.cython_special", "__pyx_fuse_0expit"))
c_logit = types.ExternalFunction("seamig_logit", types.float64(types.float64, types.int32))
c_expit = types.ExternalFunction("seamig_expit", types.float64(types.float64, types.int32))
