// "Reply" under a comment moves the form below that comment and fills in which comment it
// answers; without JavaScript the same link opens ?balas=<id>#form-komentar, rendered by the server.
export function init(section) {
  if (section.dataset.commentsReady) return;
  section.dataset.commentsReady = "1";
  const box = section.querySelector(".comment-form");
  const form = box && box.querySelector("form");
  if (!form) return;
  const parentField = form.querySelector("input[name='parent']");
  const banner = form.querySelector(".comment-form__replying");
  const bannerText = banner && banner.querySelector(".comment-form__replying-text");
  const cancel = banner && banner.querySelector(".comment-form__cancel");
  const home = document.createComment("comment-form");
  box.before(home);
  const replyingLabel = section.dataset.replying || "";

  const focusField = () => {
    const body = form.querySelector("textarea");
    if (body) body.focus({ preventScroll: false });
  };

  section.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-reply-to]");
    if (!link || !parentField || !banner) return;
    event.preventDefault();
    parentField.value = link.dataset.replyTo;
    // The name in its own <bdi>: direction marks in it cannot turn the sentence around.
    const name = document.createElement("bdi");
    name.textContent = link.dataset.replyName || "";
    bannerText.replaceChildren(`${replyingLabel} `, name);
    banner.hidden = false;
    link.closest("article").after(box);
    focusField();
  });

  if (cancel) {
    cancel.addEventListener("click", (event) => {
      event.preventDefault();
      if (parentField) parentField.value = "";
      banner.hidden = true;
      home.after(box);
      focusField();
    });
  }
}
