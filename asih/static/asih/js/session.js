// The hands-free guided session: safety check, one step at a time with a timer that moves on
// by itself, aftercare, and a check-in kept only in this browser (never sent anywhere).
import { saveSession } from "./my-sessions.js";

const TICK_MS = 250;
const EXTEND_MS = 60_000;
const RING_LENGTH = 2 * Math.PI * 52;
// Some Android voices still report Indonesian with the old ISO code "in".
const LANGUAGE_ALIASES = { id: ["id", "in"] };

const now = () => Date.now();
const PREFERENCE_NAMES = ["speech", "sound", "auto"];

/** The remembered switches; auto-advance is off by default for people who asked for less motion. */
export function readPreferences(key, reducedMotion = false) {
  const defaults = { speech: true, sound: true, auto: !reducedMotion };
  try {
    const stored = JSON.parse(window.localStorage.getItem(key) || "{}");
    for (const name of PREFERENCE_NAMES) {
      if (typeof stored[name] === "boolean") defaults[name] = stored[name];
    }
  } catch {
    /* storage off or unreadable: the defaults hold for this visit */
  }
  return defaults;
}

function writePreferences(key, preferences) {
  try {
    window.localStorage.setItem(key, JSON.stringify(preferences));
  } catch {
    /* storage off: the switches still work until the page is left */
  }
}

export function formatClock(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));
}

/** A voice for the page language, or null: never read Indonesian with an English voice. */
export function pickVoice(voices, language) {
  const codes = LANGUAGE_ALIASES[language] || [language];
  const matching = voices.filter((voice) => {
    const code = String(voice.lang || "").toLowerCase().replace("_", "-");
    return codes.some((prefix) => code === prefix || code.startsWith(`${prefix}-`));
  });
  return matching.find((voice) => voice.localService) || matching[0] || null;
}

class Speaker {
  constructor(language) {
    this.language = language;
    this.enabled = true;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    // Chromium fills the voice list asynchronously; asking once starts the loading.
    if (this.synth) this.synth.getVoices();
  }

  hasVoice() {
    return Boolean(this.synth && pickVoice(this.synth.getVoices(), this.language));
  }

  say(text) {
    if (!this.enabled || !this.synth || !text) return;
    const voice = pickVoice(this.synth.getVoices(), this.language);
    this.synth.cancel();
    if (!voice) return;
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.95;
    this.synth.speak(utterance);
  }

  stop() {
    if (this.synth) this.synth.cancel();
  }
}

class Chime {
  enabled = true;

  // Created on the Start tap: browsers only let a page make sound after a gesture.
  unlock() {
    const AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!AudioContext) return;
    try {
      this.context = this.context || new AudioContext();
      if (this.context.state === "suspended") this.context.resume().catch(() => {});
    } catch {
      this.context = null;
    }
  }

  play() {
    const context = this.context;
    if (!this.enabled || !context) return;
    const start = context.currentTime + 0.02;
    [660, 880].forEach((frequency, index) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      const at = start + index * 0.18;
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.32);
    });
  }
}

class ScreenLock {
  constructor() {
    this.sentinel = null;
    this.wanted = false;
  }

  async acquire() {
    this.wanted = true;
    if (!("wakeLock" in navigator) || (this.sentinel && !this.sentinel.released)) return;
    try {
      this.sentinel = await navigator.wakeLock.request("screen");
    } catch {
      this.sentinel = null; // refused (battery saver, not visible): the session still works
    }
  }

  async release() {
    this.wanted = false;
    const sentinel = this.sentinel;
    this.sentinel = null;
    if (sentinel && !sentinel.released) {
      try {
        await sentinel.release();
      } catch {
        /* already gone */
      }
    }
  }

  // The browser drops the lock when the page is hidden; take it again when it comes back.
  onVisible() {
    if (this.wanted) this.acquire();
  }
}

class SessionPlayer {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.steps = data.steps;
    this.text = data.strings;
    this.refs = {};
    for (const element of root.querySelectorAll("[data-ref]")) {
      if (!(element.dataset.ref in this.refs)) this.refs[element.dataset.ref] = element;
    }
    this.panels = Object.fromEntries(
      [...root.querySelectorAll("[data-panel]")].map((panel) => [panel.dataset.panel, panel]),
    );
    this.gate = root.querySelector("[data-ref='gate-none']") ? null : "none";
    this.switches = [...root.querySelectorAll("[data-pref]")];
    this.noVoiceNotes = [...root.querySelectorAll("[data-ref='no-voice']")];
    this.speaker = new Speaker(data.language);
    this.chime = new Chime();
    this.lock = new ScreenLock();
    this.phase = "safety";
    this.timer = null;
    const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.preferences = readPreferences(data.preferencesKey, reduced);
  }

  mount() {
    this.refs.static.hidden = true;
    this.refs.player.hidden = false;
    this.show("safety");
    this.root.addEventListener("click", (event) => this.onClick(event));
    this.root.addEventListener("change", (event) => {
      if (event.target.name === "gate") this.answerGate(event.target.value);
      else if (event.target.dataset.pref) this.setPreference(event.target.dataset.pref, event.target.checked);
    });
    if (this.speaker.synth && this.speaker.synth.addEventListener) {
      // Voices arrive late on some phones: say honestly whether the steps will be read.
      this.speaker.synth.addEventListener("voiceschanged", () => this.renderPreferences());
    }
    this.refs.checkin.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveCheckin();
    });
    document.addEventListener("keydown", (event) => this.onKey(event));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        if (this.phase === "steps" || this.phase === "aftercare") this.lock.onVisible();
        this.tick();
      }
    });
    // Leaving mid-session still keeps what was done (steps completed, time spent).
    window.addEventListener("pagehide", () => {
      if (this.phase === "steps" || this.phase === "help") this.store();
    });
    this.renderPreferences();
    this.updateStart();
  }

  // -- remembered switches -----------------------------------------------------------------
  setPreference(name, value) {
    this.preferences[name] = value;
    writePreferences(this.data.preferencesKey, this.preferences);
    if (name === "speech" && !value) this.speaker.stop();
    if (name === "auto" && value && this.waiting) this.next();
    this.renderPreferences();
  }

  renderPreferences() {
    for (const input of this.switches) input.checked = this.preferences[input.dataset.pref];
    this.speaker.enabled = this.preferences.speech;
    this.chime.enabled = this.preferences.sound;
    const silent = this.preferences.speech && !this.speaker.hasVoice();
    for (const note of this.noVoiceNotes) note.hidden = !silent;
  }

  // -- panels ----------------------------------------------------------------------------
  show(phase) {
    this.phase = phase;
    this.root.dataset.state = phase;
    for (const [name, panel] of Object.entries(this.panels)) panel.hidden = name !== phase;
  }

  focus(element) {
    if (element) element.focus({ preventScroll: false });
  }

  // The safety question: "none applies" lets the session start, "yes" says what to do instead.
  answerGate(answer) {
    this.gate = answer;
    this.updateStart();
    if (answer === "applies") this.focus(this.refs["gate-stop"]);
  }

  updateStart() {
    const ready = this.gate === "none";
    const stopped = this.gate === "applies";
    const button = this.root.querySelector("[data-action='start']");
    button.disabled = !ready;
    if (this.refs["start-hint"]) this.refs["start-hint"].hidden = ready;
    if (this.refs["gate-stop"]) this.refs["gate-stop"].hidden = !stopped;
    this.refs["ready-area"].hidden = stopped;
  }

  onClick(event) {
    const control = event.target.closest("[data-action]");
    if (control && this.root.contains(control)) {
      const action = control.dataset.action;
      if (action === "start") this.start();
      else if (action === "toggle") this.toggle();
      else if (action === "back") this.back();
      else if (action === "next") this.next();
      else if (action === "extend") this.extend();
      else if (action === "finish") this.finish();
      else if (action === "help") this.openHelp();
      else if (action === "help-close") this.closeHelp();
      return;
    }
    // Tap anywhere on the stage (not on a control or link) to pause or resume.
    if (this.phase === "steps" && !event.target.closest("a, button, input, label, details")) {
      if (event.target.closest("[data-panel='steps']")) this.toggle();
    }
  }

  onKey(event) {
    if (this.phase !== "steps" || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const typing = target.closest && target.closest("input, select, textarea");
    if (typing) return;
    if (event.key === " " || event.key === "Spacebar") {
      // On a button, Space presses that button, as everywhere else.
      if (target.closest && target.closest("button, a, summary")) return;
      event.preventDefault();
      this.toggle();
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      this.back();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      this.next();
    }
  }

  // -- the session ---------------------------------------------------------------------
  start() {
    if (this.phase !== "safety" || this.root.querySelector("[data-action='start']").disabled) return;
    this.chime.unlock();
    this.lock.acquire();
    this.record = {
      id: `${now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      guide: this.data.guide.title,
      url: new URL(this.data.guide.url, window.location.href).href,
      language: this.data.language,
      startedAt: new Date(now()).toISOString(),
      finishedAt: null,
      durationSeconds: 0,
      stepsCompleted: 0,
      stepsTotal: this.steps.length,
      finished: false,
      relaxed: null,
      milkFlow: null,
      asked: this.data.texts.checkin.map((question) => question.answer),
    };
    this.completed = new Set();
    this.activeMs = 0;
    this.paused = false;
    this.waiting = false;
    this.resumedAt = now();
    this.show("steps");
    this.goTo(0);
    this.focus(this.refs.stage);
    this.timer = window.setInterval(() => this.tick(), TICK_MS);
  }

  goTo(index) {
    this.index = Math.max(0, Math.min(index, this.steps.length - 1));
    this.waiting = false;
    this.stepMs = this.steps[this.index].duration * 1000;
    if (this.paused) this.remainingMs = this.stepMs;
    else this.deadline = now() + this.stepMs;
    this.showStep();
  }

  remaining() {
    if (this.waiting) return 0;
    return this.paused ? this.remainingMs : Math.max(0, this.deadline - now());
  }

  tick() {
    if (this.phase !== "steps" || this.paused || this.waiting) return;
    const time = now();
    let moved = false;
    if (!this.preferences.auto && time >= this.deadline) {
      // "Move on when I tap": the step's time is up, and it waits for Next.
      this.completed.add(this.index);
      this.waiting = true;
      this.chime.play();
      this.renderPaused();
      this.renderTime();
      this.announce(this.text.announceTimeUp);
      return;
    }
    // Count from the stored deadline, so a tab the browser throttled catches up exactly.
    while (time >= this.deadline) {
      this.completed.add(this.index);
      if (this.index + 1 >= this.steps.length) {
        this.chime.play();
        this.endSteps();
        return;
      }
      this.index += 1;
      this.stepMs = this.steps[this.index].duration * 1000;
      this.deadline += this.stepMs;
      moved = true;
    }
    if (moved) {
      this.chime.play();
      this.showStep();
    } else {
      this.renderTime();
    }
  }

  toggle() {
    if (this.phase !== "steps") return;
    if (this.waiting) {
      this.next();
      return;
    }
    if (this.paused) {
      this.paused = false;
      this.deadline = now() + this.remainingMs;
      this.resumedAt = now();
      this.announce(this.text.announceResumed);
    } else {
      this.remainingMs = this.remaining();
      this.activeMs += now() - this.resumedAt;
      this.paused = true;
      this.speaker.stop();
      this.announce(this.text.announcePaused);
    }
    this.renderPaused();
    this.renderTime();
  }

  back() {
    if (this.phase === "steps") this.goTo(this.index - 1);
  }

  // "Stop / Need help?": pause, and show what to do and whom to ask, with the way back.
  openHelp() {
    if (this.phase !== "steps") return;
    if (!this.paused && !this.waiting) this.toggle();
    this.speaker.stop();
    this.show("help");
    this.announce(this.text.announceHelp);
    this.focus(this.panels.help.querySelector("h2"));
  }

  closeHelp() {
    if (this.phase !== "help") return;
    this.show("steps");
    this.renderPaused();
    this.focus(this.refs.toggle);
  }

  next() {
    if (this.phase !== "steps") return;
    this.completed.add(this.index);
    if (this.index + 1 >= this.steps.length) this.endSteps();
    else this.goTo(this.index + 1);
  }

  extend() {
    if (this.phase !== "steps") return;
    if (this.waiting) {
      // A minute more on a step that waited: it runs again for that minute.
      this.waiting = false;
      this.completed.delete(this.index);
      this.stepMs = EXTEND_MS;
      if (this.paused) this.remainingMs = EXTEND_MS;
      else this.deadline = now() + EXTEND_MS;
      this.renderPaused();
      this.renderTime();
      this.announce(this.text.announceExtended);
      return;
    }
    this.stepMs += EXTEND_MS;
    if (this.paused) this.remainingMs += EXTEND_MS;
    else this.deadline += EXTEND_MS;
    this.renderTime();
    this.announce(this.text.announceExtended);
  }

  endSteps() {
    window.clearInterval(this.timer);
    if (!this.paused) this.activeMs += now() - this.resumedAt;
    this.paused = false;
    this.show("aftercare");
    this.record.finished = this.completed.size === this.steps.length;
    this.store();
    const heading = this.panels.aftercare.querySelector("h2");
    const text = this.panels.aftercare.querySelector(".session__instruction").textContent.trim();
    this.announce(`${this.text.announceAftercare} ${text}`);
    this.speaker.say(text);
    this.focus(heading);
  }

  finish() {
    if (this.phase !== "aftercare") return;
    this.speaker.stop();
    this.lock.release();
    this.show("checkin");
    this.focus(this.panels.checkin.querySelector("h2"));
  }

  // -- rendering -------------------------------------------------------------------------
  showStep() {
    const step = this.steps[this.index];
    const total = this.steps.length;
    const values = { n: this.index + 1, total, title: step.title };
    this.refs.count.textContent = fill(this.text.stepOf, values);
    this.refs.title.textContent = step.title;
    this.refs.instruction.textContent = step.instruction;
    this.renderImage(step.image, step.imageAlt);
    this.renderPaused();
    this.renderTime();
    // The live region says what to do, not just the step's name.
    this.announce(`${fill(this.text.announceStep, values)}. ${step.instruction}`);
    if (!this.paused) this.speaker.say(`${step.title}. ${step.instruction}`);
  }

  renderImage(image, alt = "") {
    let element = this.refs.image;
    if (!image) {
      if (element) element.hidden = true;
      return;
    }
    if (!element) {
      element = document.createElement("img");
      element.className = "session__image";
      element.alt = "";
      element.decoding = "async";
      this.refs.visual.prepend(element);
      this.refs.image = element;
    }
    // Each picture shows where the hands go: its short description, or none if not written.
    element.alt = alt || "";
    element.width = image.width;
    element.height = image.height;
    element.src = image.url;
    element.hidden = false;
  }

  renderPaused() {
    this.refs.paused.hidden = !this.paused || this.waiting;
    this.refs.waiting.hidden = !this.waiting;
    // The label says what the button does next; no aria-pressed on top of a changing label.
    this.refs.toggle.textContent = this.waiting
      ? this.text.goOn
      : this.paused
        ? this.text.resume
        : this.text.pause;
    this.root.classList.toggle("is-paused", this.paused || this.waiting);
  }

  renderTime() {
    const left = this.remaining();
    const later = this.steps.slice(this.index + 1).reduce((sum, step) => sum + step.duration, 0);
    this.refs.clock.textContent = formatClock(left);
    this.refs.left.textContent = formatClock(left + later * 1000);
    const done = this.stepMs ? 1 - left / this.stepMs : 1;
    this.refs.ring.setAttribute("stroke-dashoffset", (RING_LENGTH * done).toFixed(2));
    this.refs.overall.max = this.steps.length;
    this.refs.overall.value = this.index + done;
  }

  announce(message) {
    // Re-set the text so the same words are announced again when they repeat.
    this.refs.live.textContent = "";
    window.setTimeout(() => {
      this.refs.live.textContent = message;
    }, 50);
  }

  // -- keeping it, in this browser only ---------------------------------------------------
  store() {
    const running = this.phase === "steps" && !this.paused;
    const spent = this.activeMs + (running ? now() - this.resumedAt : 0);
    Object.assign(this.record, {
      finishedAt: new Date(now()).toISOString(),
      durationSeconds: Math.round(spent / 1000),
      stepsCompleted: this.completed.size,
    });
    return saveSession(this.data.storageKey, this.record);
  }

  saveCheckin() {
    const form = this.refs.checkin;
    const relaxed = form.querySelector("input[name='relaxed']:checked");
    const milk = form.querySelector("input[name='milk_flow']:checked");
    this.record.relaxed = relaxed ? Number(relaxed.value) : null;
    this.record.milkFlow = milk ? milk.value : null;
    const saved = saveSession(this.data.storageKey, this.record);
    this.refs.status.textContent = saved ? this.text.saved : this.text.notSaved;
    this.refs.saved.hidden = false;
    if (saved) form.hidden = true;
    this.focus(this.refs.status);
  }
}

export function init(root) {
  if (root.hasAttribute("data-session-ready")) return null;
  const source = document.getElementById(root.dataset.sessionData);
  if (!source) return null;
  root.setAttribute("data-session-ready", "");
  const player = new SessionPlayer(root, JSON.parse(source.textContent));
  player.mount();
  return player;
}
