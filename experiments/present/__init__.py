"""The presentation side of experiments.

Charts, the printed table, the report, the dashboard, case replays and history.
"""
