// Starts the Wagtail admin widgets that Wagtail itself starts with inline <script> tags, which a
// strict Content-Security-Policy blocks. Asih's template overrides put a hidden marker with the
// same configuration in their place; this file (a static script) makes the same calls.
(function () {
  "use strict";
  var FUNCTIONS = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];
  var CLASSES = ["InlinePanel", "MultipleChooserPanel"];
  // Chooser widgets: `new ImageChooser(id, options)` and the like.
  var CHOOSERS = /^[A-Z][A-Za-z]*Chooser$/;

  function start(marker) {
    if (marker.dataset.asihAdminStarted) return;
    var name = marker.dataset.asihAdminInit;
    var config = marker.dataset.config ? JSON.parse(marker.dataset.config) : null;
    if (FUNCTIONS.indexOf(name) !== -1 && typeof window[name] === "function") {
      marker.dataset.asihAdminStarted = "1";
      window[name](marker.dataset.target, config);
    } else if (CLASSES.indexOf(name) !== -1 && typeof window[name] === "function") {
      marker.dataset.asihAdminStarted = "1";
      new window[name](config);
    } else if (CHOOSERS.test(name) && typeof window[name] === "function") {
      marker.dataset.asihAdminStarted = "1";
      new window[name](marker.dataset.target, config);
    }
  }

  function scan(root) {
    if (root.matches && root.matches("[data-asih-admin-init]")) start(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-asih-admin-init]").forEach(start);
  }

  // Forms added later (a new inline panel child, a modal) bring their own markers.
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) scan(node);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
})();
