// "My sessions": the guided sessions and check-ins this browser kept in localStorage, with
// export (JSON, CSV) and delete. Nothing here, or in the session player, is ever sent anywhere.

const CSV_COLUMNS = [
  ["started_at", "startedAt"],
  ["finished_at", "finishedAt"],
  ["guide", "guide"],
  ["url", "url"],
  ["language", "language"],
  ["duration_seconds", "durationSeconds"],
  ["steps_completed", "stepsCompleted"],
  ["steps_total", "stepsTotal"],
  ["finished", "finished"],
  ["relaxed", "relaxed"],
  ["milk_flow", "milkFlow"],
];

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}

export function readSessions(key) {
  const store = storage();
  if (!store) return [];
  try {
    const value = JSON.parse(store.getItem(key) || "[]");
    return Array.isArray(value) ? value.filter((item) => item && typeof item === "object") : [];
  } catch {
    return [];
  }
}

/** Add the session, or replace the one with the same id; false when the browser refused. */
export function saveSession(key, record) {
  const store = storage();
  if (!store) return false;
  const sessions = readSessions(key).filter((item) => item.id !== record.id);
  sessions.push(record);
  try {
    store.setItem(key, JSON.stringify(sessions));
    return true;
  } catch {
    return false;
  }
}

export function clearSessions(key) {
  const store = storage();
  if (store) store.removeItem(key);
}

function csvField(value) {
  if (value === null || value === undefined) return '""';
  let text = String(value);
  // A cell starting with = + - @ is a formula to spreadsheet programs; keep it plain text.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function sessionsToCsv(sessions) {
  const lines = [CSV_COLUMNS.map(([name]) => csvField(name)).join(",")];
  for (const session of sessions) {
    lines.push(CSV_COLUMNS.map(([, field]) => csvField(session[field])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function formatDuration(seconds, language) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if ("DurationFormat" in Intl) {
    const parts = minutes ? { minutes, seconds: rest } : { seconds: rest };
    return new Intl.DurationFormat(language, { style: "long" }).format(parts);
  }
  const unit = (value, name) =>
    new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
  return minutes ? `${unit(minutes, "minute")} ${unit(rest, "second")}` : unit(rest, "second");
}

const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));

class SessionList {
  constructor(root, config) {
    this.root = root;
    this.key = config.storageKey;
    this.language = config.language;
    this.text = config.strings;
    this.refs = {};
    for (const element of root.querySelectorAll("[data-ref]")) this.refs[element.dataset.ref] = element;
    this.dates = new Intl.DateTimeFormat(this.language, { dateStyle: "long", timeStyle: "short" });
  }

  mount() {
    this.refs.nojs.hidden = true;
    this.refs.app.hidden = false;
    if (!storage()) this.say(this.text.unavailable);
    this.root.addEventListener("click", (event) => {
      const control = event.target.closest("[data-action]");
      if (!control) return;
      const action = control.dataset.action;
      if (action === "export-json") this.exportJson();
      else if (action === "export-csv") this.exportCsv();
      else if (action === "delete") this.askDelete();
      else if (action === "confirm-delete") this.deleteAll();
      else if (action === "cancel-delete") this.closeConfirm(true);
    });
    // Another tab that finishes a session updates this list.
    window.addEventListener("storage", (event) => {
      if (event.key === this.key || event.key === null) this.render();
    });
    this.render();
  }

  sessions() {
    return readSessions(this.key).sort((a, b) =>
      String(b.startedAt || "").localeCompare(String(a.startedAt || "")),
    );
  }

  render() {
    const sessions = this.sessions();
    const list = this.refs.list;
    list.replaceChildren(...sessions.map((session) => this.item(session)));
    list.hidden = sessions.length === 0;
    this.refs.empty.hidden = sessions.length > 0;
    this.refs.actions.hidden = sessions.length === 0;
  }

  item(session) {
    const item = document.createElement("li");
    item.className = "record";
    const heading = document.createElement("h2");
    heading.className = "record__date";
    const time = document.createElement("time");
    const started = new Date(session.startedAt);
    if (!Number.isNaN(started.getTime())) {
      time.dateTime = started.toISOString();
      time.textContent = this.dates.format(started);
    }
    heading.append(time);
    const guide = document.createElement("p");
    guide.className = "record__guide";
    const link = document.createElement("a");
    link.textContent = session.guide || "";
    if (/^https?:\/\//.test(session.url || "")) link.href = session.url;
    guide.append(link);

    const milk = this.text.milk[session.milkFlow];
    const rows = [
      [this.text.duration, formatDuration(Math.max(0, Number(session.durationSeconds) || 0), this.language)],
      [
        this.text.steps,
        fill(this.text.stepsValue, { done: session.stepsCompleted ?? 0, total: session.stepsTotal ?? 0 }) +
          (session.finished ? "" : ` (${this.text.unfinished})`),
      ],
      [this.text.relaxed, session.relaxed ? fill(this.text.relaxedValue, { n: session.relaxed }) : this.text.noAnswer],
      [this.text.milkFlow, milk || this.text.noAnswer],
    ].filter(([label]) => {
      // A guide asks only its own check-in questions; records from before that show both.
      if (!Array.isArray(session.asked)) return true;
      if (label === this.text.relaxed) return session.asked.includes("relaxed");
      if (label === this.text.milkFlow) return session.asked.includes("milk_flow");
      return true;
    });
    const facts = document.createElement("dl");
    facts.className = "record__facts";
    for (const [label, value] of rows) {
      const row = document.createElement("div");
      const term = document.createElement("dt");
      const detail = document.createElement("dd");
      term.textContent = label;
      detail.textContent = value;
      row.append(term, detail);
      facts.append(row);
    }
    item.append(heading, guide, facts);
    return item;
  }

  download(name, type, content) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    this.root.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  fileName(extension) {
    return `asih-sessions-${new Date().toISOString().slice(0, 10)}.${extension}`;
  }

  exportJson() {
    const body = { format: this.key, exportedAt: new Date().toISOString(), sessions: this.sessions() };
    this.download(this.fileName("json"), "application/json", `${JSON.stringify(body, null, 2)}\n`);
  }

  exportCsv() {
    // The byte-order mark lets spreadsheet programs read the file as UTF-8.
    this.download(this.fileName("csv"), "text/csv;charset=utf-8", `\ufeff${sessionsToCsv(this.sessions())}`);
  }

  askDelete() {
    const count = this.sessions().length;
    if (!count) return;
    this.refs["confirm-text"].textContent = fill(this.text.confirmDelete, { count });
    this.refs.confirm.hidden = false;
    this.refs.actions.hidden = true;
    this.refs.confirm.querySelector("[data-action='cancel-delete']").focus();
  }

  closeConfirm(restoreFocus) {
    this.refs.confirm.hidden = true;
    this.render();
    if (restoreFocus) this.root.querySelector("[data-action='delete']").focus();
  }

  deleteAll() {
    clearSessions(this.key);
    this.closeConfirm(false);
    this.say(this.text.deleted);
    this.refs.status.focus();
  }

  say(message) {
    this.refs.status.textContent = message;
  }
}

export function init(root) {
  if (root.hasAttribute("data-sessions-ready")) return null;
  const source = document.getElementById(root.dataset.sessionsData);
  if (!source) return null;
  root.setAttribute("data-sessions-ready", "");
  const list = new SessionList(root, JSON.parse(source.textContent));
  list.mount();
  return list;
}
