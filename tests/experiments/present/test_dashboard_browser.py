"""The dashboard in a real browser: served on 127.0.0.1, fully offline, levers and buttons work.

Starts ``python -m experiments.present.dashboard`` on a free loopback port and drives it with Playwright
and the system's Chromium (``apt-get install chromium``; Playwright's own browser download is never
used). Every request the page makes is recorded: the test fails on a failed request, an HTTP error
or any request (or websocket) to a host other than 127.0.0.1/localhost. A screenshot of the page is
saved under pytest's tmp_path and its path printed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from experiments.present import dashboard
from model.errors import ConfigError

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[3]
LOCAL = {"127.0.0.1", "localhost", "::1"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUMMARY = re.compile(
    r"Day (\d+) of (\d+).*arrivals ([\d,]+) \| dead and missing ([\d,]+) \| intercepted "
    r"([\d,]+) \| people waiting at sea ([\d,]+) \| refusals ([\d,]+)"
)
TIMEOUT_MS = 60_000


# --------------------------------------------------------------------------- without a browser


@pytest.mark.parametrize("port", [0, -1, 65536, 100000])
def test_port_out_of_range_is_a_config_error(port):
    with pytest.raises(ConfigError, match="port"):
        dashboard.serve("127.0.0.1", port)
    assert dashboard.main(["--port", str(port)]) == 2


def test_empty_host_is_a_config_error():
    with pytest.raises(ConfigError, match="host"):
        dashboard.serve("", 8765)


def test_labels_plurals_and_historical_presets():
    assert (
        dashboard.plural(1, "ship") == "1 ship"
        and dashboard.plural(0, "ship") == "0 ships"
        and dashboard.plural(1200, "boat") == "1,200 boats"
    )
    assert dashboard.CHOICE_LABELS["ad_hoc"] == "Ad hoc deals"
    mare_nostrum = dashboard.preset_levers("2014: Mare Nostrum")
    assert (
        mare_nostrum["ngo_ships"] == 0 and mare_nostrum["policy.sar.fleets.italy_navy.count"] == 5
    )  # before MOAS; Mare Nostrum's navy ships
    assert dashboard.preset_levers("Winter 2014-15: Triton near Italy")["policy.sar.fleets.italy_navy.count"] == 0
    # after the code of conduct: the timeline's count
    assert dashboard.preset_levers("Late 2017: after the NGO code of conduct")["ngo_ships"] == 7
    assert dashboard.matching_preset(mare_nostrum) == "2014: Mare Nostrum"
    run = dashboard.Run(mare_nostrum, seed=2)
    try:
        assert not [v for v in run.model.vessels if v.kind == "ngo"]
        assert "policy of 2014: Mare Nostrum" in run.settings_line()
    finally:
        run.release()


def test_hourly_frames_show_boats_at_sea_between_day_boundaries():
    """At whole days the map showed mostly no boats; in hourly frames boats are at sea at some hours."""
    run = dashboard.Run(dashboard.default_levers(), seed=1, speed="1 hour per frame")
    try:
        boats = []
        for _ in range(72):
            run.step_frame()
            boats.append(dashboard.sea_now(run)["boats"])
        assert run.hour == 72
        assert max(boats) > 0
        caption = dashboard.map_caption(run)
        assert caption.startswith("Day 3, 00:00: ")
        run.speed = "6 hours per frame"
        run.step_frame()
        assert run.hour == 78 and dashboard.map_caption(run).startswith("Day 3, 06:00")
    finally:
        run.release()


def test_levers_presets_and_summary():
    levers = dashboard.default_levers()
    assert set(levers) == {c.name for c in dashboard.CONTROLS}
    assert dashboard.matching_preset(levers) == "2016 status quo"
    assert dashboard.preset_levers("No NGO ships")["ngo_ships"] == 0
    assert dashboard.matching_preset({**levers, "ngo_ships": levers["ngo_ships"] + 1}) == dashboard.CUSTOM
    # a standing framework chosen on the page has participants, or it would change nothing
    assert dashboard.overrides({**levers, "framework": "standing"})["policy.cooperation.participants"] == list(
        dashboard.STANDING_PARTICIPANTS
    )
    run = dashboard.Run(dashboard.preset_levers("No NGO ships"), seed=3)
    try:
        assert not [v for v in run.model.vessels if v.kind == "ngo"]
        assert SUMMARY.search(run.summary_line()).group(1) == "0"
        for _ in range(12):
            run.step_day()
        m = SUMMARY.search(run.summary_line())
        assert m.group(1) == "12"
        assert int(m.group(3).replace(",", "")) == run.model.ledger.total("arrivals")
        assert dashboard.draw_map(run)[:8] == b"\x89PNG\r\n\x1a\n"
        assert dashboard.draw_charts(run)[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        run.release()


# --------------------------------------------------------------------------- in a browser


def in_ci(env: dict[str, str] | None = None) -> bool:
    """Whether this is a CI run: ``CI`` (set by CI services) or ``SEAMIG_CI``.

    (set by .ci/run) is set and not 0/false.
    """
    env = os.environ if env is None else env
    return any(env.get(k, "").strip().lower() not in ("", "0", "false", "no") for k in ("CI", "SEAMIG_CI"))


def browser_missing(reason: str) -> None:
    """Fail in CI, where the browser tests must run; elsewhere skip, with the reason shown (``-ra``)."""
    if in_ci():
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


def test_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch):
    assert in_ci({"CI": "true"}) and in_ci({"SEAMIG_CI": "1"})
    assert not in_ci({}) and not in_ci({"CI": "false", "SEAMIG_CI": "0"})
    monkeypatch.setenv("SEAMIG_CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        browser_missing("no chromium")
    monkeypatch.delenv("SEAMIG_CI")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        browser_missing("no chromium")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard in a subprocess on a free loopback port; its URL. Always stopped after."""
    if not os.path.exists(CHROMIUM):
        browser_missing(f"{CHROMIUM} is absent (CI installs it: apt-get install -y chromium)")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("dashboard") / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "experiments.present.dashboard", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dashboard exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dashboard did not answer at {url} within 120 s:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        print(f"dashboard server log: {log_path}")


def _local(url: str) -> bool:
    """Whether a request URL stays on this machine (data: and blob: URLs of a local page do)."""
    u = urlparse(url)
    if u.scheme == "data":
        return True
    if u.scheme == "blob":
        return _local(url[len("blob:") :])
    return u.hostname in LOCAL


def _option(page, name: str):
    """An entry of the select menu that is open now."""
    return page.locator(".v-menu__content.menuable__content__active").get_by_role("option", name=name, exact=True)


def _numbers(text: str) -> tuple[int, ...]:
    m = SUMMARY.search(text)
    assert m, f"summary line not understood: {text!r}"
    return tuple(int(g.replace(",", "")) for g in m.groups())


@pytest.mark.slow
def test_dashboard_in_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # (a loaded machine takes more than the default 5 s for a simulated day)
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    shot = tmp_path / "dashboard.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.on("request", lambda r: requests.append(r.url))
            page.on("websocket", lambda ws: requests.append(ws.url))
            page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
            page.on("response", lambda r: failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server, timeout=TIMEOUT_MS)

            summary = page.locator(".seamig-summary")
            settings = page.locator(".seamig-settings")
            charts = page.locator("img.seamig-charts")
            expect(summary).to_contain_text("Day 0 of 60", timeout=TIMEOUT_MS)
            expect(page.locator("img.seamig-map")).to_be_visible()
            expect(charts).to_be_visible()
            assert page.locator("img.seamig-map").evaluate("img => img.naturalWidth") > 0
            expect(settings).to_contain_text("NGO ships 2;")

            # a preset, then a slider and a select: each starts a new run with that setting
            page.locator(".seamig-preset .v-select__slot").click()
            _option(page, "No NGO ships").click()
            expect(settings).to_contain_text("NGO ships 0;")
            thumb = page.locator(".seamig-lever-ngo_ships [role=slider]")
            # The settings line and the slider are separate widgets: wait until the slider itself shows
            # the preset's value, and for each key's run, or a key pressed on a stale slider (2 here)
            # sends 3, 4, 5 and the test would pass on a passing 3 (CI, stop 34).
            expect(thumb).to_have_attribute("aria-valuenow", "0")
            thumb.focus()
            for n in range(1, 4):
                thumb.press("ArrowRight")
                expect(settings).to_contain_text(f"NGO ships {n};")
                expect(thumb).to_have_attribute("aria-valuenow", str(n))
            expect(page.locator(".seamig-lever-ngo_ships")).to_contain_text("NGO ships: 3")
            expect(page.locator(".seamig-preset")).to_contain_text("(custom)")
            page.locator(".seamig-lever-framework .v-select__slot").click()
            _option(page, "Standing framework").click()  # labels, not codes
            expect(settings).to_contain_text("Disembarkation framework: Standing framework")
            expect(settings).to_contain_text("NGO ships 3;")
            expect(summary).to_contain_text("Day 0 of 60")

            # a frame of a day for the stepping and playing below
            page.locator(".seamig-speed .v-select__slot").click()
            _option(page, "1 day per frame").click()
            expect(page.locator(".seamig-speed")).to_contain_text("1 day per frame")

            # Step a day at a time until something has happened at sea
            before_summary = summary.inner_text()
            before_src = charts.get_attribute("src")
            before_png = charts.screenshot()
            step = page.get_by_role("button", name="Step", exact=True)
            day = 0
            while day < 20:
                step.click()
                day += 1
                expect(summary).to_contain_text(f"Day {day} of 60")
                if any(_numbers(summary.inner_text())[2:]):
                    break
            after = _numbers(summary.inner_text())
            assert after[0] == day and any(after[2:]), f"nothing happened in {day} days: {summary.inner_text()}"
            assert summary.inner_text() != before_summary
            expect(charts).not_to_have_attribute("src", before_src or "")
            assert charts.screenshot() != before_png, "the charts did not change"

            # Play runs on by itself; Pause stops it
            page.get_by_role("button", name="Play", exact=True).click()
            page.wait_for_function(
                "([sel, d]) => { const m = document.querySelector(sel).innerText.match(/Day (\\d+) "
                "of/); return m && +m[1] >= d; }",
                arg=[".seamig-summary", day + 3],
                timeout=TIMEOUT_MS,
            )
            page.get_by_role("button", name="Pause", exact=True).click()
            expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
            paused = _numbers(summary.inner_text())[0]
            page.wait_for_timeout(1500)
            assert _numbers(summary.inner_text())[0] == paused, "the run went on after Pause"
            assert paused >= day + 3
            page.get_by_role("button", name="Step", exact=True).click()
            expect(summary).to_contain_text(f"Day {paused + 1} of 60")
            page.wait_for_timeout(500)  # let the last image arrive before the picture
            page.screenshot(path=str(shot), full_page=True)
            print(f"dashboard screenshot: {shot}")

            # Reset: day 0 again, with the same levers
            page.get_by_role("button", name="Reset", exact=True).click()
            expect(summary).to_contain_text("Day 0 of 60")
            expect(settings).to_contain_text("NGO ships 3;")

            # Hourly frames: boats at sea are drawn at some hour (at day boundaries they had mostly landed)
            page.locator(".seamig-speed .v-select__slot").click()
            _option(page, "1 hour per frame").click()
            sea = page.locator(".seamig-sea")
            seen = 0
            for hour in range(1, 97):  # (the first launch may come on day 2; the loop stops at the first boat)
                src = page.locator("img.seamig-map").get_attribute("src")
                step.click()
                expect(sea).to_contain_text(f"Day {hour // 24}, {hour % 24:02d}:00")
                expect(page.locator("img.seamig-map")).not_to_have_attribute("src", src or "")
                seen = int(re.search(r"([\d,]+) boats? at sea", sea.inner_text()).group(1).replace(",", ""))
                if seen:
                    break
            assert seen > 0, f"no boat at sea in 96 hourly frames: {sea.inner_text()}"
            assert "1 boats" not in sea.inner_text() and "1 ships" not in sea.inner_text()
            page.screenshot(path=str(tmp_path / "dashboard_hourly.png"), full_page=True)
        finally:
            browser.close()

    assert requests, "no request recorded"
    assert not failed, f"failed requests: {failed}"
    outside = sorted({u for u in requests if not _local(u)})
    assert not outside, f"requests to other hosts: {outside}"
    assert not errors, f"errors in the page: {errors}"
    assert shot.stat().st_size > 10_000
