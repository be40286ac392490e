"""The day of a batch: what happens once a day rather than every hour, over all runs at once.

At hour 0: dated policy changes, smugglers' adaptation, the day's decisions to leave and the
launches; ships waiting for a port get medical evacuations, deals and new requests; framework
membership. At hour 23: the crisis outflow, screening after landing and the day's row of the
ledgers. :class:`.step.Batch` inherits these methods; they work on its columns.
"""

from __future__ import annotations

import numpy as np

from model.outcomes import PROTECTION_PERSONS
from model.params import PROFILES
from model.rules import (
    burden,
    crisis,
    departure,
    disembarkation,
    legal,
    protection,
    reception,
    rescue,
    smuggling,
    weather,
)
from model.vector_engine import launches
from model.vector_engine.purposes import (
    CM,
    PM,
    ST,
    U_ARRIVALS,
    U_BOAT_LOAD,
    U_BOAT_TYPE,
    U_CELLS,
    U_CHOICE,
    U_CHOICE_TYPE,
    U_CRISIS,
    U_CRISIS_NET,
    U_DEAL,
    U_DEAL_STATE,
    U_DISTRESS,
    U_FLEET_A,
    U_FLEET_R,
    U_INTERCEPT,
    U_LEGAL,
    U_MEDEVAC,
    U_MEDSPLIT,
    U_QUEUE,
    U_SCREEN,
    U_STOP,
    U_WAIT_DEATH,
    U_WAIT_DEATH_SPLIT,
    U_WANTS,
    U_WEATHER,
)
from model.vector_engine.state import (
    IN_PORT,
    MEDICAL_TYPES,
    N_PROFILES,
    N_TYPES,
    PATROL,
    TO_HOME,
    VESSEL_COLUMNS,
    VULNERABLE_TYPE,
    WAITING,
    Constants,
    restack,
    to_profiles,
)
from model.vector_engine.streams import allot, binomial, poisson, take


class Day:
    """The once-a-day phases of :class:`.step.Batch` (a mixin: the columns are the batch's)."""

    def _apply_changes(self, h: int) -> None:
        """At 00:00 of a change day: runs whose scenario changes today take up the scenario in force.

        Their constants are rebuilt (with the same vessel rows) and written in place over their
        rows of every stacked constant, then the vessels' columns follow; the compiled handlers'
        column tuples are rebuilt.
        """
        c = self.c
        day = h // 24
        todo = [(j, v.changes[day]) for j, v in enumerate(c.variants) if day in v.changes]
        if not todo:
            return
        for j, change in todo:
            runs = np.flatnonzero(c.variant == j)
            old = c.variants[j]
            new = Constants.build(change.scenario, old.rows, c.geo)
            if new.arrest_cut != old.arrest_cut:
                self.arrests_since_day[runs] = day  # (a new cut: its recovery counts from today)
            new.changes, new.rows = old.changes, old.rows
            restack(c, new, runs)
            c.variants[j] = new
            steps = [disembarkation.STEP_CODES[step] for step in new.request_order]
            self.request_n_steps[j] = len(steps)
            self.request_steps[j] = -1
            self.request_steps[j, : len(steps)] = steps
            for e in change.entries:
                self.event("policy_change", runs, aux=np.full(runs.size, float(self.change_names.index(e.name))))
        self._refit_vessels()
        self.p_go[...] = 1.0 - c.p_wait
        self._columns = None

    def _refit_vessels(self) -> None:
        """Every vessel row takes up its constants in force: station, speed, capacity, service status, lane."""
        c, vr, vi, m = self.c, self.vrun, self.vidx, self.vmerchant
        for row, col in VESSEL_COLUMNS.items():
            getattr(self, row)[...] = getattr(c, col)[vr, vi]
        self.vmax_hours[...] = c.max_hours[vr]
        self._hunters = None  # (vhunt may have changed)
        r = c.v_radius[vr, vi] * np.sqrt(self.rs.uniform(U_FLEET_R, self.vrun, 0, vi))
        a = 2 * np.pi * self.rs.uniform(U_FLEET_A, self.vrun, 0, vi)
        sx, sy = c.v_cx[vr, vi] + r * np.cos(a), c.v_cy[vr, vi] + r * np.sin(a)
        moved = ~m & ((sx != self.sx) | (sy != self.sy))
        self.sx[moved], self.sy[moved] = sx[moved], sy[moved]
        self.at_station[moved] = False
        self.vhome[~m] = c.v_home[vr, vi][~m]
        if m.any():  # merchants keep their place along the lane and their heading
            x0, x1, y = c.lane[vr[m], 0], c.lane[vr[m], 1], c.lane[vr[m], 2]
            east = self.lane_to > self.lane_back
            self.lane_to[...], self.lane_back[...] = np.where(east, x1, x0), np.where(east, x0, x1)
            self.lane_y[...] = y
            self.sy[m] = y

    def _daily(self, h: int) -> None:
        self._schedule_relocations()  # (yesterday's, under yesterday's terms)
        self._apply_changes(h)
        if self.c.follows_presence.any():
            self._adapt_to_presence()
        c, R = self.c, self.R
        wt = np.flatnonzero(self.vstatus == WAITING)
        delay = rescue.expected_delay_days(h - self.first_request[wt], self.vrun[wt], R)
        self.compliance_today[...] = rescue.merchant_compliance(c.compliance, delay, c.delay_aversion)
        day = h // 24
        if day > 0 and c.day_new_year[day]:
            self.slots[:] = 0.0
            self.fw_year[:] = 0.0  # a framework's caps start again
        if day > 0 and c.dates[day].day == 1 and np.any(c.membership_cost):
            self._membership(day)
        self.L.member_days += c.participants
        self.slots += legal.daily_slots(c.quotas, int(c.day_year_days[day]))
        month = int(c.day_month[day])
        self.anomaly = weather.anomaly_step(
            self.anomaly, c.persistence, c.noise_sd, self.rs.normal(U_WEATHER, self.runs, day)
        )
        self.sea = weather.sea_state(c.monthly_sea[:, month], self.anomaly)
        self.wmult = weather.hazard_multiplier(self.sea, c.hazard_per_unit)
        self.water_p[...] = c.water_p[
            :, month
            # chance of drowning per hour in the water, this month (in place: a contiguous column keeps one compiled
            # version)
        ]
        # states: reception drains, the 7-day window of arrivals rolls
        self.occ -= reception.daily_outflow(self.occ, c.processing_days)
        self.recent_sum += self.today - self.recent[:, :, day % 7]
        self.recent[:, :, day % 7] = self.today
        self.today[:] = 0
        self.precedent[...] = disembarkation.precedent_decay(self.precedent, c.precedent_half_life)
        self._relocate_due(h)
        legal_now = self.legal_due[:, day % self.legal_due.shape[1]]
        if legal_now.any():
            self.move(self.runs, "legal_process", "legal_arrived", legal_now.sum(axis=1))
            self.persons_by_profile("legal_arrivals", self.runs, legal_now)
            legal_now[:] = 0
        launches.release_detained(
            day % self.detained_due.shape[1],
            self.detained_due,
            self.waiting,
            self.L.status,
            ST["intercepted"],
            ST["waiting_at_origin"],
        )
        # new people on the coast, by network and type
        mean = departure.daily_mean(c.day_people[:, day], int(c.day_days_in_month[day]))
        nets = np.arange(c.N)[None, :]
        by_net = poisson(
            mean[:, None] * c.net_p, self.rs.uniform(U_ARRIVALS, self.runs[:, None], day, nets)
        ).ravel()  # independent Poisson per network
        rr, nn = np.repeat(self.runs, c.N), np.tile(np.arange(c.N), R)
        type_p = (
            c.variants[0].type_p if len(c.variants) == 1 else c.type_p[rr]
        )  # shares of person types, per row if scenarios differ
        cells = allot(by_net, type_p, lambda i: self.rs.uniform(U_CELLS, rr[i], day, nn[i]))
        n = by_net.reshape(R, c.N).sum(axis=1)
        if n.any():
            self.waiting += cells.reshape(R, c.N, N_TYPES)
            self.L.created += n
            self.L.status[:, ST["waiting_at_origin"]] += n
        self._crisis_day(day)
        self._decide(day)
        self._renew_boats(self._launch(h, day))  # yesterday's empty boats go, today's launches come
        self._vessels_daily(h)

    def _adapt_to_presence(self) -> None:
        """Smugglers adapt to the share of rescue capacity at sea today.

        In the runs where adaptation follows it (:func:`model.rules.smuggling.presence_share`).

        Rewrites those runs' adapted boat mix, load factor, fuel and chance of waiting in place, as
        :meth:`.state.Constants.build` sets them at the start, with the stations' proximity weighted
        by the share.
        """
        c = self.c
        runs = np.flatnonzero(c.follows_presence)
        rescuing = ~self.vmerchant & ~self.vreturns & ~self.vblocked
        at_sea = (self.vstatus != IN_PORT) & (self.vstatus != TO_HOME)
        share = smuggling.presence_share(self.vcap, rescuing, at_sea, self.vrun, self.R)
        enf_share = c.stop_share
        for r in runs:
            strength, ref, reach, rubber, load, fuel, dep = c.ad[r]
            shift = smuggling.present_shift(strength, c.net_station_km[r], ref, reach, share[r])
            c.net_shift[r] = shift
            for n in range(c.N):
                mix = smuggling.adapted_mix(c.net_base_mix[r, n], float(shift[n]), rubber)
                c.net_mix[r, n] = smuggling.displaced_mix(mix, float(enf_share[r]), bool(c.stop_displaces[r]))
                c.net_load_factor[r, n] = smuggling.adapted_load_factor(
                    float(c.net_base_load[r, n]), float(shift[n]), load
                )
                c.net_fuel[r, n] = [
                    float(smuggling.adapted_fuel(fr, float(shift[n]), fuel))
                    for fr in c.variants[c.variant[r]].fuel_range
                ]
            base, campaign, effect = c.wait_terms[r]
            c.p_wait[r] = departure.wait_probability(base, campaign, effect, shift, dep)
            self.p_go[r] = 1.0 - c.p_wait[r]

    def _decide(self, day: int) -> None:
        """Everyone waiting chooses: a legal channel (if eligible and offered), wait, or a smuggler."""
        c, R = self.c, self.R
        W = self.waiting.reshape(R, -1)  # (runs, networks x types)
        if not W.any():
            return
        ncell = W.shape[1]
        chosen = np.zeros_like(W)
        if (self.slots >= 1).any():
            up = c.uptake
            wants = W
            if (up < 1.0).any():
                wants = np.where(
                    (up >= 1.0)[:, None],
                    W,
                    binomial(
                        W, up[:, None], self.rs.uniform(U_WANTS, self.runs[:, None], day, np.arange(ncell)[None, :])
                    ),
                )
            launches.legal_choices(
                day,
                self.rs.keys,
                U_LEGAL,
                self.slots,
                wants,
                chosen,
                c.type_eligible,
                c.channel_delay_h,
                self.legal_due,
                self.L.status,
                ST["waiting_at_origin"],
                ST["legal_process"],
                N_TYPES,
            )
        if (c.risk_resp != 0).any() or (c.int_resp != 0).any():  # demand that responds to what people hear
            self.p_go[...] = 1.0 - departure.responsive_wait(
                c.p_wait, self.perceived, c.risk_resp, c.risk_ref, c.int_resp, c.int_ref, c.campaign_risk
            )
        if (
            launches.departures(day, self.rs.keys, U_CHOICE, U_CHOICE_TYPE, self.waiting, chosen, self.p_go, self.queue)
            < 0
        ):  # who goes, by type
            raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")

    def _launch(self, h: int, day: int) -> tuple[np.ndarray, ...]:
        """Every network launches today's boats from its queue.

        (weather, arrests and prevention permitting; compiled: :func:`.launches.launch`).

        Returns the new boats (run, network, type, people by type, id, distress and interception
        thresholds) for :meth:`_renew_boats` (nothing if none sails).
        """
        c, R = self.c, self.R
        cut = smuggling.arrests_cut_today(c.arrest_cut, day - self.arrests_since_day, c.arrest_half_life)
        allowed = smuggling.boats_allowed(
            c.net_max_boats, cut[:, None], self.sea[:, None], c.no_launch_above[:, None]
        )  # (runs, networks)
        size = int(allowed.sum())  # at most (networks with nobody queued launch nothing)
        if not size:
            return ()
        run, net, typ, load, bj = (np.empty(size, dtype=np.int64) for _ in range(5))
        stopped, people = np.empty(size, dtype=bool), np.empty((size, N_TYPES), dtype=np.int64)
        nb = launches.launch(
            day,
            self.rs.keys,
            U_BOAT_TYPE,
            U_BOAT_LOAD,
            U_STOP,
            U_QUEUE,
            allowed,
            self.queue,
            c.net_mix,
            c.typical_load,
            c.net_load_factor,
            c.stop_share,
            c.stop_displaces,
            smuggling.LOAD_NOISE_SD,
            run,
            net,
            typ,
            load,
            bj,
            stopped,
            people,
        )
        run, net, typ, load, stopped, people = run[:nb], net[:nb], typ[:nb], load[:nb], stopped[:nb], people[:nb]
        if self.record_events and stopped.any():
            rs, ns = run[stopped], net[stopped]
            self.event(
                "stopped",
                rs,
                state=c.net_state[rs, ns],
                persons=load[stopped],
                x=c.net_x[rs, ns],
                y=c.net_y[rs, ns],
                aux=ns,
            )
        bid, n = self._scratch("launch_bid", nb), self._scratch("launch_n", nb)
        L = self.L
        nb = launches.depart(
            run,
            net,
            typ,
            stopped,
            people,
            self.next_bid,
            L.status,
            ST["waiting_at_origin"],
            ST["at_sea"],
            L.case,
            L.day_case,
            CM["boats_stopped"],
            CM["boats_launched"],
            CM["smuggler_revenue_usd"],
            L.boats_by_type,
            c.net_price,
            bid,
            n,
            self._scratch("launch_revenue", R, float),
        )
        if not nb:
            return ()
        run, net, typ, people, bid, n = run[:nb], net[:nb], typ[:nb], people[:nb], bid[:nb].copy(), n[:nb]
        bthr, bthr_int = self.rs.exponential(U_DISTRESS, run, 0, bid), self.rs.exponential(U_INTERCEPT, run, 0, bid)
        self.persons("departures", run, people)
        if self.record_events:
            self.event(
                "launch",
                run,
                case=bid,
                state=c.net_state[run, net],
                persons=n,
                x=c.net_x[run, net],
                y=c.net_y[run, net],
                aux=net * 8 + typ,
            )
        return run, net, typ, people, bid, bthr, bthr_int

    def _membership(self, day: int) -> None:
        """At a month's start, states join or leave the framework by their costs (``burden.membership``), run by run."""
        c, L = self.c, self.L
        for r in np.flatnonzero(c.membership_cost):
            sc = c.variants[c.variant[r]].scenario
            was = c.participants[r].copy()
            new = burden.membership(
                sc,
                c.states,
                was,
                L.left_day[r] >= 0,
                L.arrivals_by_state[r] + L.relocated_in[r] - L.relocated_out[r],
                L.standoff_days[r],
            )
            if (new == was).all():
                continue
            L.joined_day[r, new & ~was & (L.joined_day[r] < 0)] = day
            L.left_day[r, was & ~new] = day
            c.participants[r] = new  # (in place: the compiled handlers' columns hold this array)
            neg = disembarkation.relocation_weights(
                sc.policy.cooperation.relocation_key, c.states, new, int(c.framework[r]), c.capacity[r], c.safe_state[r]
            )
            c.reloc_weights[r] = burden.relocation_weights(sc, c.states, neg, new)
            rows = self.vrun == r
            self.vpart_flag[rows] = (self.vflag[rows] >= 0) & new[np.maximum(self.vflag[rows], 0)]

    def _deaths_waiting(self, wt: np.ndarray, h: int) -> None:
        """Medical cases still aboard the waiting ships ``wt`` may die today (:func:`.disembarkation.deaths_waiting`).

        Their bodies are landed with the others: dead, not missing.
        """
        c = self.c
        med = self.aboard[wt] * MEDICAL_TYPES[None, :]
        live = (c.wait_death_p[self.vrun[wt]] > 0) & (med.sum(axis=1) > 0)
        if not live.any():
            return
        v, med = wt[live], med[live]
        r = self.vrun[v]
        k = disembarkation.deaths_waiting(
            med.sum(axis=1), c.wait_death_p[r], self.rs.uniform(U_WAIT_DEATH, r, h, self.vidx[v])
        )
        e = k > 0
        if not e.any():
            return
        v, k, r, med = v[e], k[e], r[e], med[e]
        died = take(med, k, lambda i: self.rs.uniform(U_WAIT_DEATH_SPLIT, r[i], h, self.vidx[v][i]))
        self.aboard[v] -= died
        self.vn[v] -= k
        self.move(r, "aboard_vessel", "dead", k)
        self.persons("dead", r, died)
        self.count("died_waiting", r, k)

    def _vessels_daily(self, h: int) -> None:
        """Once a day: days at sea; a ship waiting for a port gets medevacs, deals, new requests."""
        c = self.c
        self.days_at_sea += self.vstatus != IN_PORT
        n = self.vn
        home = rescue.heads_home((self.vstatus == PATROL) & (n == 0), self.vendurance, self.days_at_sea, self.vblocked)
        self.vstatus[home], self.vport[home] = TO_HOME, self.vhome[home]
        wt = np.flatnonzero(self.vstatus == WAITING)
        if not wt.size:
            return
        run = self.vrun[wt]
        self.count("people_days_waiting", run, n[wt])
        co = self.rescue_coord[
            wt
        ]  # a standoff's cost to the state whose RCC coordinated the rescue (burden.membership)
        np.add.at(self.L.standoff_days, (run[co >= 0], co[co >= 0]), n[wt][co >= 0])
        med = self.aboard[wt] * MEDICAL_TYPES[None, :]
        mi = np.flatnonzero(med.sum(axis=1) > 0)
        if mi.size:
            dist, ports = c.geo.state_ports(self.vx[wt[mi]], self.vy[wt[mi]])
            s = disembarkation.medevac_states(dist, c.evacuates[run[mi]])
            mi, port_by_state = mi[s >= 0], ports[s >= 0]
            s = s[s >= 0]
        if mi.size:
            vm = wt[mi]
            k = disembarkation.medevacs(
                med[mi].sum(axis=1), c.medevac_p[run[mi]], self.rs.uniform(U_MEDEVAC, run[mi], h, self.vidx[vm])
            )
            e = k > 0
            if e.any():
                vm, k = vm[e], k[e]
                evac = take(med[mi][e], k, lambda i: self.rs.uniform(U_MEDSPLIT, self.vrun[vm][i], h, self.vidx[vm][i]))
                self.aboard[vm] -= evac
                self.vn[vm] -= k
                port = port_by_state[e, s[e]]
                self.persons("medevacs", self.vrun[vm], evac)
                self.event(
                    "medevac",
                    self.vrun[vm],
                    case=self.vcase[vm],
                    vessel=vm,
                    state=c.geo.port_state[port],
                    persons=k,
                    x=self.vx[vm],
                    y=self.vy[vm],
                )
                self.land(self.vrun[vm], port, evac, "aboard_vessel", self.vcase[vm], vm)
        self._deaths_waiting(wt, h)
        empty = wt[self.vn[wt] == 0]
        if empty.size:
            self.vstatus[empty] = PATROL
            self.hours_with_people[empty] = 0
            self.vcase[empty] = -1
            self._wait_ends(empty)
        wt = wt[self.vn[wt] > 0]
        if not wt.size:
            return
        self.refused_days[wt] += 1
        ask = wt
        adhoc = c.framework[self.vrun[wt]] == disembarkation.AD_HOC
        if adhoc.any():
            asked = self.asked[wt].any(axis=1)
            d = wt[asked & adhoc]
            if d.size:
                dr = self.vrun[d]
                n, asked_d = self.vn[d], self.asked[d]
                vuln = (self.aboard[d] * VULNERABLE_TYPE[None, :]).sum(axis=1) / np.maximum(n, 1)
                positions = (c.accept_base[dr] * asked_d).sum(axis=1) / np.maximum(asked_d.sum(axis=1), 1)
                p = disembarkation.deal_probability(
                    self.refused_days[d] - 1,
                    c.deal_p[dr],
                    c.deal_growth[dr],
                    n,
                    vuln,
                    positions,
                    c.deal_aboard[dr],
                    c.deal_vulnerable[dr],
                    c.deal_position[dr],
                    self.pledged[d],
                )
                deal = self.rs.uniform(U_DEAL, dr, h, self.vidx[d]) < p
                dv = d[deal]
                if dv.size:
                    ds = c.deal_states[self.vrun[dv]]
                    cands = disembarkation.deal_candidates(ds, self.asked[dv])
                    s = disembarkation.deal_state(
                        np.maximum(0.0, c.capacity[self.vrun[dv]] - self.occ[self.vrun[dv]]),
                        self.rs.uniform(U_DEAL_STATE, self.vrun[dv], h, self.vidx[dv]),
                        cands,
                    )
                    self.count("deals", self.vrun[dv])
                    self.event(
                        "deal",
                        self.vrun[dv],
                        case=self.vcase[dv],
                        vessel=dv,
                        state=s,
                        persons=self.vn[dv],
                        x=self.vx[dv],
                        y=self.vy[dv],
                    )
                    self.relocate[dv] = True
                    self.accept(dv, s)
                ask = np.setdiff1d(wt, dv, assume_unique=True)
        if ask.size:
            self.request(ask)

    def _crisis_day(self, day: int) -> None:
        """A crisis's day in every run (:func:`model.rules.crisis.crisis_day`).

        Workers reach the coast, are evacuated, or join those waiting for a smuggler.
        """
        c, L = self.c, self.L
        if not crisis.active(c.crisis, self.crisis_waiting, day):
            return
        u = self.rs.uniform(U_CRISIS, self.runs[:, None], day, 0, np.arange(crisis.N_UNIFORMS)[None, :])
        out = crisis.crisis_day(day, self.crisis_waiting, c.crisis, u)
        L.crisis += out
        new, evacuated, gave_up = (out[:, crisis.FL[k]] for k in ("reached_coast", "evacuated", "gave_up"))
        L.created += new
        L.status[:, ST["awaiting_evacuation"]] += new - evacuated - gave_up
        L.status[:, ST["evacuated"]] += evacuated
        L.status[:, ST["waiting_at_origin"]] += gave_up
        if gave_up.any():
            weights = crisis.network_weights(c.net_p, c.net_state, c.crisis_state)
            per_net = crisis.to_networks(
                gave_up, weights, self.rs.uniform(U_CRISIS_NET, self.runs[:, None], day, 0, np.arange(c.N)[None, :])
            )
            self.waiting[:, :, 2 * PROFILES.index("economic_migrant")] += per_net  # type: economic migrant without family ties

    def _screen_day(self, day: int) -> None:
        """The day's screening and referral after landing in every run.

        (:func:`model.rules.protection.screen_day`), into the ledgers.
        """
        c, R = self.c, self.R
        u = self.rs.uniform(
            U_SCREEN,
            self.runs[:, None, None],
            day,
            np.arange(c.S)[None, :, None],
            np.arange(protection.N_UNIFORMS)[None, None, :],
        )
        out = protection.screen_day(self.screening, to_profiles(self.landed), c.protection_staff, c.protection_facts, u)
        self.landed[:] = 0
        self.L.protection += out
        self.screening_queued[...] = protection.queued(self.screening)
        np.maximum(self.screening_queue_max, self.screening.screen.sum(axis=(1, 2, 3)), out=self.screening_queue_max)
        for metric, prof in PROTECTION_PERSONS:
            by_profile = np.zeros((R, N_PROFILES), dtype=np.int64)
            by_profile[:, PROFILES.index(prof)] = out[:, :, protection.OUT[metric]].sum(axis=1)
            self.persons_by_profile(metric, self.runs, by_profile)

    def _close_day(self, day: int) -> None:
        self._screen_day(day)
        L = self.L
        L.daily_person[:, day] = L.day_person
        L.daily_case[:, day] = L.day_case
        L.daily_status[:, day] = L.status
        L.daily_sea[:, day] = self.sea
        waiting = (self.vstatus == WAITING).reshape(self.R, self.c.V)
        L.daily_vessels_waiting[:, day] = waiting.sum(axis=1)
        L.daily_people_waiting[:, day] = (self.vn.reshape(self.R, self.c.V) * waiting).sum(axis=1)
        L.daily_occupancy[:, day] = (self.occ * self.c.safe_state).sum(axis=1)
        L.reception_days += self.occ  # burden: person-days in reception, by state
        dp = L.day_person
        self.perceived = departure.perceived_update(
            self.perceived,
            dp[:, PM["dead"]] + dp[:, PM["missing"]],
            dp[:, PM["intercepted"]],
            dp[:, PM["departures"]],
            self.c.perception_days,
        )
        L.day_person[:] = 0
        L.day_case[:] = 0
