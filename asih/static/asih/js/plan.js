// Plan form and plan page, progressively: the server defaults to WIB and its own today;
// here the browser's time zone and local date are preselected, and today's day is marked.
const READY = "planReady";

function localIsoDate(now = new Date()) {
  const pad = (value) => String(value).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

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
    // The short form on the guide lists Indonesia's zones; the server knows every zone.
    option = new Option(zone.replaceAll("_", " "), zone);
    select.add(option);
  }
  if (option) select.value = zone;
}

function markToday(root) {
  const list = root.querySelector("[data-today-label]");
  if (!list) return;
  const today = list.querySelector(`[data-date="${localIsoDate()}"]`);
  if (!today) return;
  today.classList.add("plan-day--today");
  today.setAttribute("aria-current", "date");
  let badges = today.querySelector(".plan-day__badges");
  if (!badges) {
    badges = document.createElement("span");
    badges.className = "plan-day__badges";
    today.append(badges);
  }
  const label = document.createElement("span");
  label.className = "plan-day__today";
  label.textContent = list.dataset.todayLabel;
  badges.prepend(label);
}

export function init(element) {
  if (element.dataset[READY]) return;
  element.dataset[READY] = "true";

  // Values the reader already chose (they are in the address) are never overwritten.
  const chosen = new URLSearchParams(window.location.search);
  const dateInput = element.querySelector("input[name='birth_date']");
  if (dateInput && !dateInput.value && !chosen.get("birth_date")) {
    dateInput.value = localIsoDate();
  }
  if (!chosen.get("time_zone")) {
    preselectTimeZone(element.querySelector("select[name='time_zone']"), browserTimeZone());
  }
  markToday(element);

  const errors = element.querySelector(".plan-errors");
  if (errors) errors.focus();
}
