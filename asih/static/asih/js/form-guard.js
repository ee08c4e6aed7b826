// Fills a public form's hidden "started" field with a signed timestamp fetched the first time
// the visitor touches the form. The page itself stays the same bytes for everyone (cacheable);
// the server uses the timestamp to tell a person from a bot that posts at once.
const TOKEN_URL = "/api/form-token/";

export function init(form) {
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
