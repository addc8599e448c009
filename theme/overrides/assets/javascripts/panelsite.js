/* panelsite: keyboard fixes on top of Material for MkDocs. No network, no storage, no cookies.
 *
 * 1. The skip link moves keyboard focus to the page's main heading, not only the scroll position.
 * 2. On narrow screens the menu button (a <label> in Material) can be reached and used with the
 *    keyboard; opening it moves focus into the menu, Escape closes it and returns focus.
 * 3. A table that scrolls sideways (narrow screens, 400% zoom) can be scrolled from the keyboard:
 *    its scrolling wrapper becomes a named, focusable region while, and only while, it overflows.
 * 4. The search dialog gets an accessible name.
 */
(function () {
  "use strict";

  function focusTarget(target) {
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
      target.classList.add("ps-focus-target");
      target.addEventListener("blur", function () {
        target.removeAttribute("tabindex");
        target.classList.remove("ps-focus-target");
      }, { once: true });
    }
    target.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-skip");
    if (!link || !link.hash) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    focusTarget(target);
  });

  var drawer = document.getElementById("__drawer");
  var button = document.querySelector('label.md-header__button[for="__drawer"]');
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (drawer && button && sidebar) {
    sidebar.id = sidebar.id || "ps-navigation";
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    button.setAttribute("aria-label", "Menu");
    button.setAttribute("aria-controls", sidebar.id);
    var sync = function () { button.setAttribute("aria-expanded", drawer.checked ? "true" : "false"); };
    var setDrawer = function (open) {
      drawer.checked = open;
      drawer.dispatchEvent(new Event("change"));
      sync();
    };
    sync();
    drawer.addEventListener("change", sync);
    button.addEventListener("click", function () { setTimeout(sync, 0); });
    button.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      setDrawer(!drawer.checked);
      if (drawer.checked) {
        var first = sidebar.querySelector("a[href], label[tabindex], input:not([type=checkbox])");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked && sidebar.contains(document.activeElement)) {
        setDrawer(false);
        button.focus();
      }
    });
  }

  function tableName(wrap) {
    var caption = wrap.querySelector("caption");
    var summary = wrap.closest("details") && wrap.closest("details").querySelector("summary");
    var text = (caption || summary || {}).textContent || "";
    return (text.trim() || "Table") + " (scrolls sideways)";
  }

  function markScrollers() {
    document.querySelectorAll(".ps-table-wrap, .md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableName(wrap));
        wrap.dataset.psScroller = "";
      } else if (!scrolls && "psScroller" in wrap.dataset) {
        ["tabindex", "role", "aria-label", "data-ps-scroller"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  }
  // Material wraps Markdown tables when its own script runs; mark them once the page has loaded.
  var pending = 0;
  var later = function () { clearTimeout(pending); pending = setTimeout(markScrollers, 100); };
  if (document.readyState === "complete") markScrollers(); else window.addEventListener("load", markScrollers);
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);

  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
})();
