// The plan, made in the browser: the days of a guide's schedule from the date the reader gives,
// and the .ics calendar file, without sending the date anywhere (issue: a birth date is
// personal). Without JavaScript the form posts instead, answered no-store.
const READY = "planReady";
const DAY_MS = 86_400_000;

const pad = (value) => String(value).padStart(2, "0");
const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));

// -- plain dates (days counted in UTC, so no zone or summer time can shift them) --------------
export function parseDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const value = Date.UTC(year, month - 1, day);
  const check = new Date(value);
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? value : null;
}

export const isoDate = (value) => new Date(value).toISOString().slice(0, 10);

/** Today's date in a time zone, as days since 1970 in UTC milliseconds. */
export function todayIn(zone, now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type) => parts.find((part) => part.type === type).value;
  return parseDate(`${get("year")}-${get("month")}-${get("day")}`);
}

function localIsoDate(now = new Date()) {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// -- time zones ------------------------------------------------------------------------------
/** The zone's offset from UTC in minutes at an instant. */
export function zoneOffset(zone, instant) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(new Date(instant))
    .find((part) => part.type === "timeZoneName").value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] || 0));
}

/** The instant a wall-clock time happens in a zone. */
export function wallToInstant(zone, day, minutes) {
  const guess = day + minutes * 60_000;
  let instant = guess - zoneOffset(zone, guess) * 60_000;
  const second = guess - zoneOffset(zone, instant) * 60_000;
  if (second !== instant) instant = second;
  return instant;
}

// -- the schedule on dates (the same rules as asih/guides/plan/schedule.py) ------------------
export function planDays(data, birth, today) {
  const schedule = data.schedule;
  const direction = data.reference.direction;
  const start = schedule.startDay;
  const end = schedule.lastDay;
  const step = Math.max(schedule.everyNDays || 1, 1);
  const elapsed = Math.round((today - birth) / DAY_MS) * direction;
  const numbers = [];
  if (direction > 0) {
    const lowest = Math.max(start, elapsed);
    let number = start + Math.ceil((lowest - start) / step) * step;
    while (numbers.length < data.limits.maxDays && number <= end) {
      numbers.push(number);
      number += step;
    }
  } else {
    const highest = Math.min(end, elapsed);
    if (highest < start) return [];
    let number = start + Math.floor((highest - start) / step) * step;
    while (numbers.length < data.limits.maxDays && number >= start) {
      numbers.push(number);
      number -= step;
    }
  }
  const focus = (n) =>
    schedule.focusStartDay !== null &&
    schedule.focusEndDay !== null &&
    schedule.focusStartDay <= n &&
    n <= schedule.focusEndDay;
  return numbers.map((number) => ({
    number,
    date: birth + direction * number * DAY_MS,
    focus: focus(number),
  }));
}

const toMinutes = (text) => {
  const [hours, minutes] = text.split(":").map(Number);
  return hours * 60 + minutes;
};
const clock = (minutes) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

export function sessionTimes(data, first) {
  const count = data.schedule.timesPerDay;
  if (count <= 1) return [first];
  const gap = Math.max(
    Math.floor((toMinutes(data.limits.evening) - first) / (count - 1)),
    data.limits.minGapMinutes,
  );
  return Array.from({ length: count }, (_, index) => first + index * gap);
}

export function latestFirstSession(data) {
  const count = data.schedule.timesPerDay;
  return toMinutes(data.limits.lastSession) - (count - 1) * data.limits.minGapMinutes;
}

/** The reader's values checked as the server checks them: {values} or {errors: {field: text}}. */
export function readPlan(data, fields, now = new Date()) {
  const errors = {};
  const zone = fields.time_zone || "Asia/Jakarta";
  const today = todayIn(zone, now);
  const text = data.strings.errors;
  let birth = today;
  if (fields.birth_date) {
    birth = parseDate(fields.birth_date);
    if (birth === null) errors.birth_date = text.invalid;
  }
  if (!errors.birth_date) {
    const offset = Math.round((birth - today) / DAY_MS);
    if (offset < data.reference.earliest) errors.birth_date = text.tooEarly;
    else if (offset > data.reference.latest) errors.birth_date = text.tooLate;
    else if (!planDays(data, birth, today).length) errors.birth_date = text.over;
  }
  let first = 9 * 60;
  if (fields.reminder_time) {
    const match = /^(\d{1,2})[:.](\d{2})$/.exec(fields.reminder_time);
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) errors.reminder_time = text.timeInvalid;
    else first = Number(match[1]) * 60 + Number(match[2]);
  }
  const latest = latestFirstSession(data);
  if (!errors.reminder_time && data.schedule.timesPerDay > 1 && first > latest) {
    errors.reminder_time = fill(text.timeTooLate, {
      count: data.schedule.timesPerDay,
      latest: clock(latest),
    });
  }
  if (Object.keys(errors).length) return { errors };
  return { values: { zone, today, birth, first, days: planDays(data, birth, today) } };
}

// -- the calendar file -----------------------------------------------------------------------
const escapeText = (value) =>
  String(value).replace(/[\\;,]/g, (match) => `\\${match}`).replace(/\r?\n/g, "\\n");

/** Lines of at most 75 octets, continued with a space (RFC 5545), never splitting a character. */
function fold(line) {
  const encoder = new TextEncoder();
  const out = [];
  let current = "";
  let size = 0;
  for (const character of line) {
    const length = encoder.encode(character).length;
    if (size + length > (out.length ? 74 : 75)) {
      out.push(current);
      current = "";
      size = 0;
    }
    current += character;
    size += length;
  }
  out.push(current);
  return out.join("\r\n ");
}

const stampOf = (instant) => new Date(instant).toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z";
const localStamp = (day, minutes) => `${isoDate(day).replaceAll("-", "")}T${clock(minutes).replace(":", "")}00`;
const offsetText = (minutes) =>
  `${minutes < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;

/** A VTIMEZONE for the span of the plan: one part per offset change found (hour by hour). */
function timezoneBlock(zone, from, to) {
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  let offset = zoneOffset(zone, from);
  const parts = [{ at: from, before: offset, after: offset }];
  for (let instant = from + 3_600_000; instant <= to; instant += 3_600_000) {
    const next = zoneOffset(zone, instant);
    if (next !== offset) {
      parts.push({ at: instant, before: offset, after: next });
      offset = next;
    }
  }
  // Summer time is whichever offset is ahead of the zone's lowest one in this span.
  const lowest = Math.min(...parts.map((part) => part.after));
  for (const part of parts) {
    const wall = part.at + part.after * 60_000;
    const kind = part.after > lowest ? "DAYLIGHT" : "STANDARD";
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${new Date(wall).toISOString().replace(/[-:]/g, "").slice(0, 11)}0000`,
      `TZOFFSETFROM:${offsetText(part.before)}`,
      `TZOFFSETTO:${offsetText(part.after)}`,
      `END:${kind}`,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

function dayLabel(data, number) {
  const template = number === 1 ? data.strings.dayLabel : data.strings.dayLabelPlural;
  return fill(template, { day: number });
}

export function buildCalendar(data, plan, now = Date.now()) {
  const { zone, days, first } = plan;
  const times = sessionTimes(data, first);
  const host = new URL(data.eventUrl).hostname || "asih";
  const note = data.schedule.note;
  const alarm = fill(data.strings.alarm, { title: data.title, minutes: data.alarmMinutes });
  const events = [];
  let earliest = Infinity;
  let latest = -Infinity;
  times.forEach((minutes, slot) => {
    const upcoming = days.filter((day) => wallToInstant(zone, day.date, minutes) > now);
    // Days in a row with the same emphasis make one repeating event.
    const runs = [];
    for (const day of upcoming) {
      const run = runs[runs.length - 1];
      if (run && run[0].focus === day.focus) run.push(day);
      else runs.push([day]);
    }
    for (const run of runs) {
      const firstDay = run[0];
      const lastDay = run[run.length - 1];
      let label = dayLabel(data, firstDay.number);
      if (run.length > 1) label += ` – ${dayLabel(data, lastDay.number)}`;
      const description = [label];
      if (firstDay.focus) description.push(data.strings.focusNote);
      if (note) description.push(note);
      description.push(fill(data.strings.guidedSession, { url: data.eventUrl }));
      const summary =
        times.length > 1
          ? fill(data.strings.numbered, { title: data.title, number: slot + 1, count: times.length })
          : data.title;
      const event = [
        "BEGIN:VEVENT",
        `UID:${data.guideKey}-${isoDate(firstDay.date).replaceAll("-", "")}-${slot + 1}@${host}`,
        `DTSTAMP:${stampOf(now)}`,
        `DTSTART;TZID=${zone}:${localStamp(firstDay.date, minutes)}`,
        // A duration, not an end: a late session may end after midnight.
        `DURATION:PT${data.sessionMinutes}M`,
      ];
      if (run.length > 1) {
        event.push(`RRULE:FREQ=DAILY;INTERVAL=${data.schedule.everyNDays};COUNT=${run.length}`);
      }
      event.push(
        `SUMMARY:${escapeText(summary)}`,
        `DESCRIPTION:${escapeText(description.join("\n\n"))}`,
        `URL:${data.eventUrl}`,
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        `TRIGGER:-PT${data.alarmMinutes}M`,
        `DESCRIPTION:${escapeText(alarm)}`,
        "END:VALARM",
        "END:VEVENT",
      );
      events.push(...event);
      earliest = Math.min(earliest, firstDay.date);
      latest = Math.max(latest, lastDay.date);
    }
  });
  const lines = [
    "BEGIN:VCALENDAR",
    `PRODID:-//Asih//Guide plan//${data.language.toUpperCase()}`,
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(data.title)}`,
    `X-WR-TIMEZONE:${zone}`,
  ];
  if (events.length) lines.push(...timezoneBlock(zone, earliest - DAY_MS, latest + 2 * DAY_MS));
  lines.push(...events, "END:VCALENDAR");
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

function download(data, text) {
  const blob = new Blob([text], { type: "text/calendar;charset=utf-8" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = data.filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  window.setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
}

// -- the page --------------------------------------------------------------------------------
function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

function preselectTimeZone(select, zone) {
  if (!select || !zone || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return;
  let option = [...select.options].find((candidate) => candidate.value === zone);
  if (!option && select.options.length <= 3) {
    // The short form on the guide lists Indonesia's zones; the plan page lists every zone.
    option = new Option(zone.replaceAll("_", " "), zone);
    select.add(option);
  }
  if (option) select.value = zone;
}

const fieldsOf = (form) => ({
  birth_date: (form.elements.birth_date?.value || "").trim(),
  time_zone: (form.elements.time_zone?.value || "").trim(),
  reminder_time: (form.elements.reminder_time?.value || "").trim(),
});

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class PlanPage {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.form = root.querySelector("form.plan-form");
    this.errorsArea = root.querySelector("[data-ref='errors']");
    this.resultArea = root.querySelector("[data-ref='result']");
    // The title without a server error's prefix; a script error puts it back (WCAG 3.3.1).
    this.title = document.title.replace(`${data.strings.errorPrefix} `, "");
  }

  mount() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit(event.submitter && event.submitter.name === "calendar");
    });
    this.resultArea.addEventListener("click", (event) => {
      if (event.target.closest("[data-action='calendar']") && this.plan) {
        download(this.data, buildCalendar(this.data, this.plan));
      }
    });
    // Values handed over from the guide page's form travel in the fragment, never to a server.
    const handed = new URLSearchParams(window.location.hash.slice(1));
    if (handed.has("plan")) {
      history.replaceState(null, "", window.location.pathname);
      for (const name of ["birth_date", "time_zone", "reminder_time"]) {
        const input = this.form.elements[name];
        if (input && handed.get(name)) {
          if (input.tagName === "SELECT") preselectTimeZone(input, handed.get(name));
          else input.value = handed.get(name);
        }
      }
      this.submit(handed.get("plan") === "calendar");
    }
  }

  submit(calendar) {
    const result = readPlan(this.data, fieldsOf(this.form));
    this.clearErrors();
    if (result.errors) {
      this.showErrors(result.errors);
      return;
    }
    this.plan = result.values;
    this.renderResult(result.values);
    if (calendar) download(this.data, buildCalendar(this.data, this.plan));
  }

  clearErrors() {
    this.errorsArea.replaceChildren();
    for (const field of this.form.querySelectorAll(".field--error")) {
      field.classList.remove("field--error");
      field.querySelector(".errorlist[data-made-here]")?.remove();
      field.querySelector("[aria-invalid]")?.removeAttribute("aria-invalid");
    }
    document.title = this.title;
  }

  showErrors(errors) {
    const box = element("div", "plan-errors");
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    box.append(element("h2", "plan-errors__title", this.data.strings.errorTitle));
    const list = element("ul");
    for (const [name, message] of Object.entries(errors)) {
      const input = this.form.elements[name];
      const item = element("li");
      const link = element("a", "", message);
      link.href = `#${input.id}`;
      item.append(link);
      list.append(item);
      const field = input.closest(".field");
      field.classList.add("field--error");
      const note = element("ul", "errorlist");
      note.dataset.madeHere = "";
      note.id = `${input.id}-error`;
      note.append(element("li", "", message));
      input.before(note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
      this.resultArea.replaceChildren();
    }
    box.append(list);
    this.errorsArea.append(box);
    document.title = `${this.data.strings.errorPrefix} ${this.title}`;
    box.focus();
  }

  renderResult(plan) {
    const data = this.data;
    const strings = data.strings;
    const dateFormat = new Intl.DateTimeFormat(data.language, {
      weekday: "long",
      day: "numeric",
      month: "long",
      timeZone: "UTC",
    });
    const today = parseDate(localIsoDate());
    const section = element("section", "plan-result");
    section.tabIndex = -1;
    section.setAttribute("aria-labelledby", "plan-result-title");
    const heading = element("h2", "", this.root.dataset.resultTitle);
    heading.id = "plan-result-title";
    const facts = element("p", "plan-result__facts");
    const times = sessionTimes(data, plan.first).map(clock).join(", ");
    const zone = data.zoneNames[plan.zone] || plan.zone.replaceAll("_", " ");
    facts.append(element("span", "", fill(strings.sessionsAt, { times, zone })));
    const list = element("ol", "plan-days");
    for (const day of plan.days) {
      const item = element("li", `plan-day${day.focus ? " plan-day--focus" : ""}`);
      item.dataset.date = isoDate(day.date);
      const time = element("time", "plan-day__date", dateFormat.format(new Date(day.date)));
      time.dateTime = isoDate(day.date);
      let number = dayLabel(data, day.number);
      if (data.schedule.timesPerDay > 1) number += ` · ${fill(strings.sessions, { count: data.schedule.timesPerDay })}`;
      item.append(time, element("span", "plan-day__number", number));
      const badges = element("span", "plan-day__badges");
      if (day.date === today) {
        item.classList.add("plan-day--today");
        item.setAttribute("aria-current", "date");
        badges.append(element("span", "plan-day__today", strings.today));
      }
      if (day.focus) badges.append(element("strong", "plan-day__focus", strings.focus));
      if (badges.childElementCount) item.append(badges);
      list.append(item);
    }
    const button = element("button", "button", this.root.dataset.calendarLabel);
    button.type = "button";
    button.dataset.action = "calendar";
    const download = element("p", "plan-result__download");
    download.append(button);
    section.append(heading, facts, list);
    if (data.schedule.note) section.append(element("p", "schedule__note plan-result__note", data.schedule.note));
    section.append(download, element("p", "plan-result__hint", this.root.dataset.calendarHint));
    this.resultArea.replaceChildren(section);
    section.focus();
  }
}

function initGuideForm(form) {
  // On the guide page: hand the values to the plan page in the fragment (never sent).
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = new URLSearchParams(fieldsOf(form));
    values.set("plan", event.submitter && event.submitter.name === "calendar" ? "calendar" : "show");
    window.location.assign(`${form.dataset.planUrl}#${values}`);
  });
}

export function init(element) {
  if (element.dataset[READY]) return;
  element.dataset[READY] = "true";
  const form = element.matches("form") ? element : element.querySelector("form.plan-form");
  const dateInput = form && form.querySelector("input[name='birth_date']");
  if (dateInput && !dateInput.value) dateInput.value = localIsoDate();
  const zoneSelect = form && form.querySelector("select[name='time_zone']");
  if (zoneSelect && !element.querySelector(".plan-result")) preselectTimeZone(zoneSelect, browserTimeZone());

  if (element.matches("form")) {
    initGuideForm(element);
    return;
  }
  const source = document.getElementById(element.dataset.planData);
  if (!source) return;
  const page = new PlanPage(element, JSON.parse(source.textContent));
  page.mount();
  const errors = element.querySelector(".plan-errors");
  if (errors) errors.focus();
}
