/* panelsite: "Read this page to me" (young edition). Uses only the browser's own speech synthesis
 * (window.speechSynthesis): no network, no storage, no cookies. The controls stay hidden unless the
 * API exists. One button plays, pauses and resumes; the other stops. The page's main text is read
 * one block at a time (long utterances are cut short by some browsers), skipping the edition
 * switch, the controls themselves and anything hidden from assistive technology.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-ps-read-aloud]");
  var synth = window.speechSynthesis;
  if (!box || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;

  var play = box.querySelector('[data-ps-action="play"]');
  var stop = box.querySelector('[data-ps-action="stop"]');
  var label = box.querySelector("[data-ps-label]");
  var status = box.querySelector("[data-ps-status]");
  var SKIP = "[data-ps-read-aloud], .ps-edition-switch, [aria-hidden=true], svg, script, style, .headerlink";
  var BLOCKS = "h1, h2, h3, h4, p, li, dt, dd, th, td, blockquote, figcaption, caption";
  var state = "idle";  // idle | speaking | paused
  var queue = [];

  function texts() {
    var article = document.querySelector(".md-content article") || document.querySelector("main");
    if (!article) return [];
    var found = [];
    article.querySelectorAll(BLOCKS).forEach(function (el) {
      if (el.closest(SKIP) || el.parentElement.closest(BLOCKS)) return;
      var copy = el.cloneNode(true);
      copy.querySelectorAll(SKIP).forEach(function (n) { n.remove(); });
      var text = copy.textContent.replace(/\s+/g, " ").trim();
      if (text) found.push(text);
    });
    return found;
  }

  function show(next) {
    state = next;
    label.textContent = next === "speaking" ? "Pause" : next === "paused" ? "Carry on reading" : "Read this page to me";
    play.setAttribute("aria-pressed", next === "speaking" ? "true" : "false");
    stop.disabled = next === "idle";
    status.textContent = next === "speaking" ? "Reading the page aloud." : next === "paused" ? "Paused." : "";
  }

  function speakNext() {
    if (state !== "speaking") return;
    var text = queue.shift();
    if (text === undefined) { show("idle"); return; }
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || "en-GB";
    utterance.rate = 0.9;
    utterance.onend = speakNext;
    utterance.onerror = function () { if (state === "speaking") speakNext(); };
    synth.speak(utterance);
  }

  play.addEventListener("click", function () {
    if (state === "idle") {
      synth.cancel();
      queue = texts();
      show("speaking");
      speakNext();
    } else if (state === "speaking") {
      synth.pause();
      show("paused");
    } else {
      synth.resume();
      show("speaking");
    }
  });

  stop.addEventListener("click", function () {
    queue = [];
    show("idle");
    synth.cancel();
    play.focus();
  });

  window.addEventListener("pagehide", function () { synth.cancel(); });
  box.hidden = false;
  show("idle");
})();
