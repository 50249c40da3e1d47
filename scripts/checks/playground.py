"""The sandbox's web playground in a real browser (headless Chromium through Selenium).

Starts `anankor sandbox` on free ports, opens the URL it prints first, and acts as members do:
alice joins Lounge, runs /play through the composer, sees a bot join Lounge and the now-playing
message appear, pauses with its button and sees that message edited; bob does not see alice's
ephemeral reply; killing the playing worker from the fault panel brings the notice. Screenshots
of each step go to .build/playground/. Every wait is bounded; the sandbox is always stopped.
"""
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/anankor"
SHOTS = os.path.join(".build", "playground")


class Sandbox:
    """`anankor sandbox` as a child process whose output lines are collected as they come."""

    def __init__(self):
        self.log_path = os.path.join(SHOTS, "sandbox.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [BINARY, "sandbox", "--discord-port", "0", "--lavalink-port", "0"],
            stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1)
        self.lines = queue.Queue()
        self.output = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the sandbox printed nothing within {timeout} s (log: {self.log_path})")

    def wait_for_line(self, prefix, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.next_line(max(0.1, deadline - time.monotonic()))
            if line.startswith(prefix):
                return line
        raise AssertionError(f"the sandbox never printed a line starting {prefix!r}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                print("the sandbox ignored SIGINT for 40 s; killing it")
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,950",
                     "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
    driver_path = next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if os.path.exists(p)), None)
    service = Service(executable_path=driver_path) if driver_path else Service()
    return webdriver.Chrome(options=options, service=service)


def main():
    # `timeout` ends a hung run with SIGTERM: turn it into an exception so the sandbox is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("playground: terminated"))
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        if old.endswith(".png"):
            os.remove(os.path.join(SHOTS, old))  # only this run's steps are left to look at
    sandbox = Sandbox()
    driver = None
    step = [0]

    def shot(name):
        step[0] += 1
        path = os.path.join(SHOTS, f"{step[0]:02d}-{name}.png")
        driver.save_screenshot(path)
        print(f"  screenshot {path}")

    def wait(description, condition, timeout=30):
        def guarded(d):
            try:
                return condition(d)
            except StaleElementReferenceException:
                return False  # the live view re-rendered that part; look again
        try:
            return WebDriverWait(driver, timeout, poll_frequency=0.2).until(guarded)
        except TimeoutException:
            shot("failed-" + re.sub(r"[^a-z]+", "-", description.lower())[:40])
            raise AssertionError(f"timed out after {timeout} s waiting for: {description}")

    def click(description, locator):
        # Retried within the bound: the live view may replace the element between find and click.
        wait(description, lambda d: d.find_element(*locator).click() or True)

    def voice_members(channel, bots):
        return [e.get_attribute("data-name") for e in
                driver.find_elements(By.CSS_SELECTOR, f'li[data-voice-channel="{channel}"] .voice-member')
                if (e.get_attribute("data-bot") == "true") == bots]

    def messages():
        return driver.find_elements(By.CSS_SELECTOR, "#messages .message")

    try:
        first = sandbox.next_line(120)
        match = re.fullmatch(r"Playground: (http://127\.0\.0\.1:\d+/playground)", first)
        assert match, f"the sandbox's first line is not the playground URL: {first!r}"
        url = match.group(1)
        print(f"  first line: {first}")
        sandbox.wait_for_line("Anankor sandbox is up", 90)

        driver = browser()
        driver.get(url)
        wait("the guild to show", lambda d: d.find_element(By.ID, "guild-name").text == "Anankor Sandbox")
        wait("the live stream", lambda d: d.find_element(By.ID, "live-status").text == "live")

        print("- act as alice and join Lounge")
        Select(driver.find_element(By.ID, "act-as")).select_by_visible_text("alice")
        click("the Lounge voice channel", (By.CSS_SELECTOR, 'li[data-voice-channel="Lounge"] button[data-voice-id]'))
        wait("alice in Lounge", lambda d: "alice" in voice_members("Lounge", bots=False))
        shot("alice-in-lounge")

        print("- /play through the composer")
        composer = driver.find_element(By.ID, "composer-input")
        composer.click()
        composer.send_keys("/pla")
        wait("/play in the command list", lambda d: d.find_element(By.ID, "command-option-play").is_displayed())
        shot("command-list")
        click("/play in the command list", (By.ID, "command-option-play"))
        query = wait("the query option", lambda d: d.find_element(By.ID, "option-query"))
        query.send_keys("lofi beats")
        wait("the bot's autocomplete suggestions",
             lambda d: d.find_element(By.ID, "option-query-suggestions").is_displayed()
             and d.find_elements(By.CSS_SELECTOR, "#option-query-suggestions li"), 15)
        shot("composer-autocomplete")
        query.send_keys(Keys.ENTER)
        wait("a bot joining Lounge", lambda d: voice_members("Lounge", bots=True), 45)
        bot = voice_members("Lounge", bots=True)[0]
        print(f"  {bot} joined Lounge")

        def now_playing(d):
            for message in messages():
                if "Now playing" in message.text and message.find_elements(By.CSS_SELECTOR, '[data-custom-id^="np:toggle"]'):
                    return message
            return False
        message = wait("the now-playing message", now_playing, 45)
        message_id = message.get_attribute("data-message-id")
        wait("the track playing in the player panel",
             lambda d: "playing" in d.find_element(By.CSS_SELECTOR, '[data-player-channel="Lounge"] .player-state').text)
        shot("now-playing")

        print("- pause with the now-playing message's button")
        selector = f'#messages .message[data-message-id="{message_id}"]'
        click("the pause button", (By.CSS_SELECTOR, selector + ' [data-custom-id^="np:toggle"]'))

        def edited_to_paused(d):
            same = d.find_element(By.CSS_SELECTOR, selector)
            embed = " ".join(e.text for e in same.find_elements(By.CSS_SELECTOR, ".embed"))
            return "⏸" in embed and "▶" not in embed and same.get_attribute("data-edited") == "true"
        wait("the same now-playing message edited to paused", edited_to_paused)
        assert len([m for m in messages() if "Now playing" in m.text]) == 1, "the pause posted a second now-playing message"
        wait("alice's ephemeral answer", lambda d: any(
            "Only you can see this" in m.text and "Paused" in m.text for m in d.find_elements(By.CSS_SELECTOR, "#messages .message.ephemeral")))
        wait("the player panel showing paused",
             lambda d: "paused" in d.find_element(By.CSS_SELECTOR, '[data-player-channel="Lounge"] .player-state').text)
        shot("paused")

        print("- bob does not see alice's ephemeral reply")
        Select(driver.find_element(By.ID, "act-as")).select_by_visible_text("bob")
        wait("the ephemeral reply gone for bob", lambda d: not d.find_elements(By.CSS_SELECTOR, "#messages .message.ephemeral"))
        assert "Paused." not in driver.find_element(By.ID, "messages").text, "bob sees alice's ephemeral reply"
        assert driver.find_elements(By.CSS_SELECTOR, selector), "bob does not see the public now-playing message"
        shot("bob-view")

        print("- bob picks German: the composer offers the localized command names")
        Select(driver.find_element(By.ID, "locale")).select_by_value("de")
        wait("bob's locale in the member list", lambda d: any(
            m.find_element(By.CSS_SELECTOR, ".member-name").text == "bob"
            and m.find_element(By.CSS_SELECTOR, ".member-detail").text.endswith("· de")
            for m in d.find_elements(By.CSS_SELECTOR, "#member-list .member")))
        composer = driver.find_element(By.ID, "composer-input")
        composer.click()
        composer.send_keys("/absp")
        wait("/abspielen in the command list", lambda d: "/abspielen" in d.find_element(By.ID, "command-option-play").text)
        shot("bob-german-commands")
        composer.send_keys(Keys.ESCAPE)
        composer.clear()

        print("- skip the playback clock ahead and run a typed scenario from the panel")
        def virtual_seconds(d):
            found = re.search(r"Virtual time (?:(\d+):)?(\d+):(\d+)", d.find_element(By.ID, "clock-status").text)
            hours, minutes, seconds = (int(x or 0) for x in found.groups())
            return hours * 3600 + minutes * 60 + seconds
        before = virtual_seconds(driver)
        click("the +1 min button", (By.CSS_SELECTOR, '[data-advance="60000"]'))
        wait("the virtual clock a minute on", lambda d: virtual_seconds(d) >= before + 60)
        Select(driver.find_element(By.ID, "scenario-select")).select_by_value("")
        driver.find_element(By.ID, "scenario-text").send_keys("carol joins Study\nsay the panel plays scripts")
        click("Run scenario", (By.ID, "scenario-run"))
        wait("the scenario's transcript", lambda d: "finished, 0 step(s) failed" in d.find_element(By.ID, "scenario-status").text
             and "carol joins 🔊 Study" in d.find_element(By.ID, "scenario-transcript").text)
        wait("carol in Study", lambda d: "carol" in voice_members("Study", bots=False))
        driver.execute_script("document.getElementById('scenario-panel').scrollIntoView()")
        shot("scenario")

        print(f"- kill the worker holding {bot} from the fault panel")
        worker = wait("the worker that holds the Lounge bot", lambda d: next(
            (w for w in d.find_elements(By.CSS_SELECTOR, "[data-worker]") if f"holds {bot}" in w.text), False))
        name = worker.get_attribute("data-worker")
        driver.execute_script("arguments[0].scrollIntoView()", worker)
        click(f"Kill {name}", (By.CSS_SELECTOR, f'[data-worker="{name}"] [data-host-action="kill-worker"]'))
        wait(f"{name} shown as killed", lambda d: "killed" in d.find_element(By.CSS_SELECTOR, f'[data-worker="{name}"]').text)

        def notice_or_takeover(d):
            text = d.find_element(By.ID, "messages").text
            if "Playback crashed" in text:
                return "notice"
            others = [m for m in voice_members("Lounge", bots=True) if m != bot]
            return "takeover" if others else False
        outcome = wait("the crash notice or another bot taking over", notice_or_takeover, 90)
        print(f"  outcome: {outcome}")
        driver.execute_script("document.getElementById('messages').scrollTop = 1e9")
        shot("worker-killed")

        print("- the page on a phone")
        driver.set_window_size(390, 844)
        wait("the phone layout's tabs", lambda d: d.find_element(By.CSS_SELECTOR, ".tabs").is_displayed())
        shot("phone-chat")
        click("the Members & tools tab", (By.CSS_SELECTOR, '.tabs [data-show="side"]'))
        shot("phone-controls")

        errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        assert not errors, f"the page logged errors: {errors}"
        print("PASS playground")
    finally:
        if driver is not None:
            driver.quit()
        sandbox.stop()


if __name__ == "__main__":
    main()
