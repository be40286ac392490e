"""The vectorised engine's event handlers, called one at a time on a batch (for the unit tests of :mod:`test_at_sea`).

The engine runs them inside the compiled phases of an hour (:mod:`model.vector_engine.phases`); the
tests drive one handler at a time on a real batch, through the same compiled functions and columns.
"""

from __future__ import annotations

import numpy as np

from model.vector_engine import coordination, phases
from model.vector_engine.purposes import EV, ST, U_ACCEPT
from model.vector_engine.state import N_TYPES
from model.vector_engine.step import Batch


def distress(batch: Batch, rows: np.ndarray) -> None:
    """Boats fall into distress; draw whether and when a call reaches an RCC (compiled: :func:`.phases.distress`)."""
    ev = batch._event_rows("distress", rows.size)
    streams, boats, ledger = batch._at_sea()
    k = phases.distress(
        batch.hour,
        rows,
        *batch._distress_args,
        streams,
        boats,
        ledger,
        batch.bdetect_at,
        batch.bthr_cap,
        batch._srr,
        ev.ints,
        ev.floats,
    )
    batch._events_from(ev, k)


def open_case(batch: Batch, rows: np.ndarray) -> None:
    """Distress cases reach an RCC.

    Who is alerted first, and who coordinates (compiled: :func:`.coordination.open_cases`).
    """
    ev = batch._event_rows("alert", 2 * rows.size)
    cols = batch._cols()
    k = coordination.open_cases(
        batch.hour, rows, batch.case_counter, cols["streams"], cols["boats"], *cols["open"], ev.ints, ev.floats
    )
    batch.case_counter += rows.size
    batch._events_from(ev, k)


def rescue(batch: Batch, v: np.ndarray, b: np.ndarray) -> None:
    """Vessels on scene: risk of capsizing on approach, then people taken aboard up to capacity.

    Those that now want a port ask (compiled: :func:`.phases.rescue`).
    """
    cols = batch._cols()
    ev = batch._event_rows(
        "rescue", (2 + 2 * batch.c.S) * v.size
    )  # at most a capsize and a rescue (or a return), then a request and its answer per state
    go, accepted = batch._scratch("to_port", v.size), batch._scratch("accepted", v.size)
    code, k, n_acc = phases.rescue(
        batch.hour,
        v,
        b,
        batch._rescue_purposes,
        cols["streams"],
        cols["boats"],
        cols["ledger"],
        cols["vessels"],
        cols["rescue"],
        batch.first_request,
        U_ACCEPT,
        cols["request"],
        ev.ints,
        ev.floats,
        go,
        accepted,
    )
    batch._rescue_outcome(code)
    batch._events_from(ev, k)
    batch._wait_ends(accepted[:n_acc])


def go_to_port(batch: Batch, v: np.ndarray) -> None:
    """Stop searching and ask for a place of safety (compiled: :func:`.phases.to_port`)."""
    ev = batch._event_rows("request", 2 * batch.c.S * v.size)  # a request and its answer per state asked
    accepted = batch._scratch("accepted", v.size)
    n_acc, k = phases.to_port(
        batch.hour,
        v,
        batch.first_request,
        batch._cols()["vessels"],
        batch.rs.keys,
        U_ACCEPT,
        batch._cols()["request"],
        ev.ints,
        ev.floats,
        accepted,
    )
    batch._events_from(ev, k)
    batch._wait_ends(accepted[:n_acc])


def disembark(batch: Batch, v: np.ndarray) -> None:
    """Land everyone aboard at the accepted port, then return to the station.

    (or rest in port at the end of the endurance; compiled: :func:`.phases.disembark`).
    """
    cols = batch._cols()
    people = batch._scratch("landing_people", v.size, width=N_TYPES)
    run, port, case = (batch._scratch(key, v.size) for key in ("landing_run", "landing_port", "landing_case"))
    reloc = batch._scratch("landing_relocate", v.size, bool)
    ev = batch._event_rows("land", v.size)
    k = phases.disembark(
        batch.hour,
        v,
        cols["vessels"],
        cols["unload"],
        ST["aboard_vessel"],
        EV["landing"],
        cols["land"],
        people,
        run,
        port,
        case,
        reloc,
        ev.ints,
        ev.floats,
    )
    batch._events_from(ev, k)
    batch._relocations(run, port, people, case, v, reloc)
