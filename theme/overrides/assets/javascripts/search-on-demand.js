/* panelsite: the search index and search worker are fetched only when the reader opens search.
 *
 * Material for MkDocs fetches search/search_index.json (the whole edition's text) and starts its
 * search worker on every first visit. A phone on little data should not pay for that until it
 * searches. This script runs before Material's bundle: it holds back the fetch of the index, and
 * creates the search worker only when Material first talks to it, which is once the index has
 * arrived. Focusing the search box (by tapping it, its icon, or the "/", "s" or "f" keys) lets
 * both go. Without JavaScript nothing changes: search needs JavaScript anyway.
 *
 * Only Material's own search is held back. Where the page has no Material search form (Zensical,
 * for one, draws its own search and reads search.json), nothing is held: the index request and the
 * worker go ahead as the engine asks, so search always works, at worst loaded up front. That is
 * decided when the request is sent or the worker made, by what is in the document.
 */
(function () {
  "use strict";
  var opened = false;
  var waiting = [];

  function open() {
    if (opened) return;
    opened = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }

  function whenOpen(go) {
    if (opened) go(); else waiting.push(go);
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest('form[name="search"]')) open();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search") open();
  }, true);

  var INDEX = /\/search\/search_index\.json([?#]|$)/;

  /* Is Material's search on this page, with the box whose focus opens it? */
  function materialSearch() {
    return !!document.querySelector('form[name="search"]');
  }

  function heldBack(url) {
    return !opened && INDEX.test(url) && materialSearch();
  }

  /* Material asks for the index with XMLHttpRequest; fetch is covered too, should that change. */
  var Request = window.XMLHttpRequest;
  if (Request) {
    var realOpen = Request.prototype.open;
    var realSend = Request.prototype.send;
    Request.prototype.open = function (method, url) {
      this.__panelsiteUrl = String(url);
      return realOpen.apply(this, arguments);
    };
    Request.prototype.send = function () {
      var request = this;
      var args = arguments;
      if (!heldBack(request.__panelsiteUrl || "")) return realSend.apply(request, args);
      whenOpen(function () { realSend.apply(request, args); });
    };
  }

  var realFetch = window.fetch && window.fetch.bind(window);
  if (realFetch) {
    window.fetch = function (input, init) {
      var url = String((input && input.url) || input);
      if (!heldBack(url)) return realFetch(input, init);
      return new Promise(function (resolve, reject) {
        whenOpen(function () { realFetch(input, init).then(resolve, reject); });
      });
    };
  }

  var RealWorker = window.Worker;
  if (!RealWorker) return;

  /* Looks like a Worker to Material; the real one is made on the first message sent to it. Both
   * ways of listening work: addEventListener, and the onmessage, onerror and onmessageerror
   * properties (set before or after the real worker exists). */
  var HANDLERS = ["onmessage", "onerror", "onmessageerror"];

  function LazyWorker(url, options) {
    var worker = null;
    var listeners = [];
    var handlers = {};
    function real() {
      if (!worker) {
        worker = new RealWorker(url, options);
        listeners.forEach(function (l) { worker.addEventListener(l[0], l[1], l[2]); });
        HANDLERS.forEach(function (name) { if (handlers[name]) worker[name] = handlers[name]; });
      }
      return worker;
    }
    HANDLERS.forEach(function (name) {
      Object.defineProperty(this, name, {
        get: function () { return handlers[name] || null; },
        set: function (handler) {
          handlers[name] = typeof handler === "function" ? handler : null;
          if (worker) worker[name] = handlers[name];
        },
      });
    }, this);
    this.addEventListener = function (type, listener, options) {
      listeners.push([type, listener, options]);
      if (worker) worker.addEventListener(type, listener, options);
    };
    this.removeEventListener = function (type, listener, options) {
      listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== listener; });
      if (worker) worker.removeEventListener(type, listener, options);
    };
    this.postMessage = function (message, transfer) { real().postMessage(message, transfer); };
    this.terminate = function () { if (worker) worker.terminate(); };
  }

  window.Worker = function (url, options) {
    if (/workers\/search\./.test(String(url)) && !opened && materialSearch()) return new LazyWorker(url, options);
    return new RealWorker(url, options);
  };
  window.Worker.prototype = RealWorker.prototype;
})();
