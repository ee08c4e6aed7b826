// Public forms: fills the hidden "started" field with a signed timestamp fetched the first
// time the visitor touches the form (the page itself stays the same bytes for everyone; the
// server uses the timestamp to tell a person from a bot that posts at once), counts what is
// left in a textarea with a limit, and puts the focus on the error summary if the browser did
// not honour its autofocus.
const TOKEN_URL = "/api/form-token/";
// A screen reader hears the count once the typing pauses, not at every key.
const ANNOUNCE_AFTER_MS = 1000;

function guardTiming(form) {
  const field = form.querySelector("input[name='started']");
  if (!field) return;
  let requested = false;
  const fetchToken = () => {
    if (requested || field.value) return;
    requested = true;
    fetch(TOKEN_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && typeof data.started === "string") field.value = data.started;
      })
      .catch(() => {
        requested = false; // offline for a moment: try again on the next touch
      });
  };
  form.addEventListener("focusin", fetchToken);
  form.addEventListener("input", fetchToken);
}

// The count is the textarea's value length: the browser's maxlength counts the same way (a
// line break is one character) and so does the server (asih.core.textbox).
function countCharacters(textarea) {
  const limit = Number(textarea.getAttribute("maxlength"));
  const leftText = textarea.dataset.countLeft;
  const overText = textarea.dataset.countOver || leftText;
  if (!limit || !leftText || textarea.dataset.countReady) return;
  textarea.dataset.countReady = "1";
  const visible = document.createElement("p");
  visible.className = "char-count";
  visible.id = `${textarea.id}-count`;
  visible.setAttribute("aria-hidden", "true");
  const spoken = document.createElement("p");
  spoken.className = "visually-hidden";
  spoken.setAttribute("aria-live", "polite");
  textarea.after(visible, spoken);
  let timer = 0;
  const message = () => {
    const left = limit - textarea.value.length;
    return (left < 0 ? overText : leftText).replace("{count}", String(Math.abs(left)));
  };
  const update = () => {
    visible.textContent = message();
    visible.classList.toggle("char-count--over", textarea.value.length > limit);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      spoken.textContent = message();
    }, ANNOUNCE_AFTER_MS);
  };
  visible.textContent = message();
  textarea.addEventListener("input", update);
}

// A link in the error summary puts the focus in its field (a plain #link would only scroll),
// with the field's label in view above it.
function linkSummaryToFields(summary) {
  if (summary.dataset.linksReady) return;
  summary.dataset.linksReady = "1";
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) return;
    event.preventDefault();
    const label = document.querySelector(`label[for='${field.id}']`);
    const legend = field.closest("fieldset")?.querySelector("legend");
    (legend || label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
}

function focusErrorSummary() {
  const summary = document.querySelector(".form-errors");
  if (!summary) return;
  linkSummaryToFields(summary);
  if (document.activeElement === document.body || !document.activeElement) summary.focus();
}

export function init(form) {
  guardTiming(form);
  for (const textarea of form.querySelectorAll("textarea[maxlength]")) countCharacters(textarea);
  focusErrorSummary();
}
