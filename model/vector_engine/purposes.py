"""Names the vectorised engine's phases share: ledger columns by name, and the purposes of random draws.

Every draw of a run's counter-based stream (:mod:`.streams`) is addressed by a purpose, so that
two draws never share a number; the purposes are listed here once, with what they draw.
"""

from __future__ import annotations

from model.outcomes import CASE_METRICS, EVENTS, PERSON_METRICS, STATUSES

ST = {name: i for i, name in enumerate(STATUSES)}
PM = {name: i for i, name in enumerate(PERSON_METRICS)}
CM = {name: i for i, name in enumerate(CASE_METRICS)}
EV = {name: i for i, name in enumerate(EVENTS)}

# Purposes of random draws (each (purpose, hour, entity, sub-index) is used once per run).
(
    U_FLEET_R,
    U_FLEET_A,
    U_ENDURANCE,
    U_LANE_X,
    U_LANE_DIR,
    U_WEATHER,
    U_ARRIVALS,
    U_CELLS,
    U_WANTS,
    U_LEGAL,
    U_CHOICE,
    U_BOAT_TYPE,
    U_BOAT_LOAD,
    U_STOP,
    U_QUEUE,
    U_INTERCEPT,
    U_DISTRESS,
    U_REPORT,
    U_DELAY,
    U_CAPSIZE,
    U_CAPSIZE_K,
    U_WATER_K,
    U_SIGHT,
    U_ALERT,
    U_WILLING,
    U_MERCHANT,
    U_APPROACH,
    U_TAKE,
    U_RETRY,
    U_ACCEPT,
    U_MEDEVAC,
    U_MEDSPLIT,
    U_DEAL,
    U_DEAL_STATE,
    U_RELOC_K,
    U_RELOC_PROF,
    U_RELOC_STATE,
    U_CHOICE_TYPE,
) = range(1, 39)
U_KILL = {
    "capsize": 40,
    "water": 43,
    "approach": 46,
    "aboard": 50,
}  # three purposes each: who, dead or missing, by type
U_DETAIN = 49  # an NGO ship held in port after a landing
U_ABOARD_K = 53  # how many die aboard a boat still afloat
U_SEIZE = 54  # an NGO ship seized after a landing
U_SILENT = 55  # an RCC that never responds to a case it coordinates
# 56-59 (U_HARM_K, and who dies, dead or missing, by type): deaths in an interception (.boats.harm)
U_WAIT_DEATH, U_WAIT_DEATH_SPLIT = 64, 65  # medical cases dying aboard a waiting ship: how many, which types
U_SCREEN = 60  # screening and referral after landing (model/rules/protection.py): (day, state, draw)
U_CRISIS, U_CRISIS_NET = (
    61,
    62,
)  # a crisis (model/rules/crisis.py): (day, 0, draw) and the networks of those who give up (day, 0, network)
