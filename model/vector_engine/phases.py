"""The vessels' phase of the hour as one compiled call, composed of the handlers of :mod:`.at_sea` and :mod:`.kernels`.

Why: at batches of a few hundred runs, the Python between the compiled handlers (passing dozens of
columns to each call, small gathers, work arrays) cost about as much as the handlers themselves.
Here the vessels' hour, the rescues, the requests for a port and the landings run in one call, in
the order :class:`.step.Batch` runs them one by one (:meth:`~.step.Batch.rescue`,
:meth:`~.step.Batch.go_to_port`, :meth:`~.step.Batch.disembark` call the same functions below), so
the draws, the ledgers and the event log are the same.

The columns come in tuples, in the order of the handlers' own arguments (see
:meth:`.step.Batch._build_columns`): ``hour_cols`` those of :func:`.kernels.vessels_hour` between
the hour and its outputs; ``rescue_cols`` the vessel columns of :func:`.at_sea.rescue`;
``request_cols`` those of :func:`.at_sea.request` between its purpose and its outputs;
``unload_cols`` those of :func:`.at_sea.unload` between the ship rows and its outputs;
``land_cols`` those of :func:`.at_sea.land` between the vessel rows and the event buffers.
"""

from __future__ import annotations

import numba
import numpy as np

from model.vector_engine import at_sea
from model.vector_engine.kernels import vessels_hour
from model.vector_engine.state import WAITING


@numba.njit(cache=True)
def to_port(h, v, first_request, refused_days, vstatus, keys, u_accept, request_cols, ev_i, ev_f, accepted):  # noqa: ANN001
    """Ships ``v`` stop searching and ask for a place of safety (:func:`.at_sea.request`); returns (ships accepted, event rows)."""
    for vi in v:
        vstatus[vi] = WAITING
        first_request[vi] = h
        refused_days[vi] = 0
    return at_sea.request(h, v, keys, u_accept, *request_cols, ev_i, ev_f, accepted)


@numba.njit(cache=True)
def rescue(h, v, b, u, streams, boats, ledger, rescue_cols, first_request, refused_days, vstatus, u_accept, request_cols, ev_i, ev_f, go, accepted):  # noqa: ANN001
    """Vessels ``v`` on scene of boats ``b`` (:func:`.at_sea.rescue`; ``u`` its five purposes), then those that now want a port ask for one.

    Returns (0, FAILED or STILL_SAILING; event rows; ships accepted, written to ``accepted``).
    """
    n_go, k = at_sea.rescue(h, v, b, u[0], u[1], u[2], u[3], u[4], streams, boats, ledger, *rescue_cols, ev_i, ev_f, go)
    if n_go < 0:
        return n_go, 0, 0
    n_acc = 0
    if n_go:
        n_acc, n_ev = to_port(h, go[:n_go], first_request, refused_days, vstatus, streams[0], u_accept, request_cols, ev_i[k:], ev_f[k:], accepted)
        k += n_ev
    return 0, k, n_acc


@numba.njit(cache=True)
def disembark(h, v, unload_cols, src, code, land_cols, people, run, port, case, reloc, ev_i, ev_f):  # noqa: ANN001
    """Ships ``v`` land everyone aboard at their port (:func:`.at_sea.unload`, :func:`.at_sea.land`); returns the event rows.

    The landed groups stay in the outputs (people, run, port, case, relocation owed) for the
    relocations that :class:`.step.Batch` schedules.
    """
    at_sea.unload(h, v, *unload_cols, people, run, port, case, reloc)
    return at_sea.land(h, run, port, people, src, code, case, v, *land_cols, ev_i, ev_f)


@numba.njit(cache=True)
def vessels(h, hour_cols, out, u, streams, boats, ledger, rescue_cols, first_request, refused_days, vstatus, vtarget, u_accept, request_cols, unload_cols, src, code, land_cols, n_states, n_types):  # noqa: ANN001
    """The vessels' phase of the hour: every vessel's hour, then rescues, requests for a port (rescuers first) and landings.

    ``out`` holds :func:`.kernels.vessels_hour`'s four row arrays. Returns (0, FAILED or
    STILL_SAILING; the event buffers and their rows written; the ships whose wait ended, in order;
    the landings: people, run, port, case, relocation owed, ship).
    """
    n_rescue, n_patrol, n_landing = vessels_hour(h, *hour_cols, out[0], out[1], out[2], out[3])
    rows = 2 * n_rescue + 2 * n_states * (n_rescue + n_patrol) + n_landing  # at most: a capsize and a rescue, a request and an answer per state, a landing
    ev_i, ev_f = np.empty((rows, 7), dtype=np.int64), np.empty((rows, 3))
    accepted = np.empty(n_rescue + n_patrol, dtype=np.int64)
    people, run, port, case = np.empty((n_landing, n_types), dtype=np.int64), np.empty(n_landing, dtype=np.int64), np.empty(n_landing, dtype=np.int64), np.empty(n_landing, dtype=np.int64)
    reloc, landed = np.empty(n_landing, dtype=np.bool_), out[2][:n_landing].copy()
    k = n_acc = 0
    if n_rescue:
        v = out[0][:n_rescue]
        b = np.empty(n_rescue, dtype=np.int64)
        for i in range(n_rescue):
            b[i] = vtarget[v[i]]
        code_r, k, n_acc = rescue(h, v, b, u, streams, boats, ledger, rescue_cols, first_request, refused_days, vstatus, u_accept, request_cols, ev_i, ev_f, out[3], accepted)
        if code_r < 0:
            return code_r, 0, ev_i, ev_f, accepted[:0], people, run, port, case, reloc, landed
    if n_patrol:
        n, n_ev = to_port(h, out[1][:n_patrol], first_request, refused_days, vstatus, streams[0], u_accept, request_cols, ev_i[k:], ev_f[k:], accepted[n_acc:])
        k += n_ev
        n_acc += n
    if n_landing:
        k += disembark(h, landed, unload_cols, src, code, land_cols, people, run, port, case, reloc, ev_i[k:], ev_f[k:])
    return 0, k, ev_i, ev_f, accepted[:n_acc], people, run, port, case, reloc, landed
