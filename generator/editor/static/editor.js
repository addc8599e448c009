/* panelsite's own script, loaded before Decap CMS.
 *
 * 1. Decap is started by start.js with the configuration panelsite generated (no config.yml request).
 * 2. Every request to panelsite's backend (/api/v1) carries this run's token, read from the page's
 *    <meta name="panelsite-token">, as the X-Panelsite-Token header. The server refuses any request
 *    without it, so no other web page can change the files.
 * 3. Decap's buttons that have an icon and no name get one, and its preview frame a title.
 */
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;

  var meta = document.querySelector('meta[name="panelsite-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  var api = new URL("/api/v1", window.location.href).href;
  var originalFetch = window.fetch.bind(window);

  window.fetch = function (input, init) {
    var url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    if (new URL(url, window.location.href).href === api) {
      init = Object.assign({}, init || {});
      var headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      headers.set("X-Panelsite-Token", token);
      init.headers = headers;
    }
    return originalFetch(input, init);
  };

  var NAMES = [
    [/close|cross/i, "Close"],
    [/chevron|arrow|caret/i, "Show or hide"],
    [/add|plus/i, "Add"],
    [/delete|remove|trash/i, "Remove"],
    [/drag|grip|handle/i, "Move"],
    [/search/i, "Search"],
    [/user|account|avatar/i, "Account"],
    [/eye|preview/i, "Show or hide the preview"],
    [/scroll/i, "Scroll the preview with the form"],
    [/refresh|reload/i, "Reload"],
  ];

  function guessName(button) {
    var hint = button.getAttribute("title") || "";
    var icon = button.querySelector("[type], svg, span");
    var text = hint + " " + (button.className || "") + " " + (icon ? icon.getAttribute("type") || icon.getAttribute("class") || "" : "");
    for (var i = 0; i < NAMES.length; i += 1) {
      if (NAMES[i][0].test(text)) {
        return NAMES[i][1];
      }
    }
    return hint || "Button";
  }

  function nameThings(root) {
    var buttons = root.querySelectorAll('button, [role="button"]');
    for (var i = 0; i < buttons.length; i += 1) {
      var button = buttons[i];
      if (!button.textContent.trim() && !button.getAttribute("aria-label") && !button.getAttribute("aria-labelledby")) {
        button.setAttribute("aria-label", guessName(button));
      }
    }
    var frames = root.querySelectorAll("iframe:not([title])");
    for (var j = 0; j < frames.length; j += 1) {
      frames[j].setAttribute("title", "Preview of this record");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameThings(document);
    new MutationObserver(function () {
      nameThings(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
