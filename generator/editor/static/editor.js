/* panelsite's own script, loaded before Decap CMS.
 *
 * 1. Decap is started by start.js with the configuration panelsite generated (no config.yml request).
 * 2. Every request to panelsite's backend (/api/v1) carries this run's token, read from the page's
 *    <meta name="panelsite-token">, as the X-Panelsite-Token header. The server refuses any request
 *    without it, so no other web page can change the files.
 * 3. Decap's buttons that show only an icon get a name, and its preview frame a title.
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

  // Decap 3.16's icon-only buttons, known by their icon's outline (the bundle is pinned, so these hold).
  var ICONS = [
    ["M11.916 9.96", "Remove this item"],
    ["m5.123 6.33", "Show or hide this item's fields"],
    ["M3 15v-2h18v2H3", "Move this item (press space, then the arrow keys)"],
  ];

  function iconName(button) {
    var path = button.querySelector("svg path");
    var outline = path ? path.getAttribute("d") || "" : "";
    for (var i = 0; i < ICONS.length; i += 1) {
      if (outline.indexOf(ICONS[i][0]) === 0) {
        return ICONS[i][1];
      }
    }
    return button.getAttribute("title") || "";
  }

  function nameThings(root) {
    var buttons = root.querySelectorAll('button:not([aria-label]):not([aria-labelledby]), [role="button"]:not([aria-label])');
    for (var i = 0; i < buttons.length; i += 1) {
      var button = buttons[i];
      var labelled = button.labels && button.labels.length > 0;
      if (!labelled && !button.textContent.trim()) {
        var name = iconName(button);
        if (name) {
          button.setAttribute("aria-label", name);
        }
      }
    }
    // One main landmark, at the top level: Decap's own where a screen has one; else the part
    // after Decap's header (the media page); else ours (the login page).
    var ours = document.getElementById("panelsite-main");
    var heading = document.getElementById("panelsite-title");
    if (ours && heading) {
      var decapsMain = ours.querySelector("main, [data-panelsite-main]");
      var header = ours.querySelector("header");
      if (!decapsMain && header && header.nextElementSibling && !header.nextElementSibling.getAttribute("role")) {
        header.nextElementSibling.setAttribute("role", "main");
        header.nextElementSibling.setAttribute("data-panelsite-main", "");
        decapsMain = header.nextElementSibling;
      }
      if (decapsMain) {
        ours.removeAttribute("role");
      } else {
        ours.setAttribute("role", "main");
      }
      heading.hidden = decapsMain !== null && ours.querySelector("h1") !== null;
    }
    // Dialogs (the media library) are named by their heading; its pictures' names are shown as text.
    var dialogs = root.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])');
    for (var d = 0; d < dialogs.length; d += 1) {
      var title = dialogs[d].querySelector("h1, h2, h3");
      dialogs[d].setAttribute("aria-label", title ? title.textContent.trim() : "Dialog");
    }
    var cards = root.querySelectorAll('img[class*="CardImage"]:not([alt])');
    for (var c = 0; c < cards.length; c += 1) {
      cards[c].setAttribute("alt", "");
    }
    // Decap's loading bar, a bare <canvas> on the page's body, is decoration.
    var bars = document.querySelectorAll("body > canvas:not([aria-hidden])");
    for (var k = 0; k < bars.length; k += 1) {
      bars[k].setAttribute("aria-hidden", "true");
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
