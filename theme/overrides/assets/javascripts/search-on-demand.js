/* panelsite: the search index and search worker are fetched only when the reader opens search.
 *
 * Material for MkDocs fetches search/search_index.json (the whole edition's text) and starts its
 * search worker on every first visit. A phone on little data should not pay for that until it
 * searches. This script runs before Material's bundle: it holds back the fetch of the index, and
 * creates the search worker only when Material first talks to it, which is once the index has
 * arrived. Focusing the search box (by tapping it, its icon, or the "/", "s" or "f" keys) lets
 * both go. Without JavaScript nothing changes: search needs JavaScript anyway.
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

  /* Material asks for the index with XMLHttpRequest; fetch is covered too, should that change. */
  var Request = window.XMLHttpRequest;
  if (Request) {
    var realOpen = Request.prototype.open;
    var realSend = Request.prototype.send;
    Request.prototype.open = function (method, url) {
      this.__panelsiteIndex = INDEX.test(String(url));
      return realOpen.apply(this, arguments);
    };
    Request.prototype.send = function () {
      var request = this;
      var args = arguments;
      if (!request.__panelsiteIndex || opened) return realSend.apply(request, args);
      whenOpen(function () { realSend.apply(request, args); });
    };
  }

  var realFetch = window.fetch && window.fetch.bind(window);
  if (realFetch) {
    window.fetch = function (input, init) {
      var url = String((input && input.url) || input);
      if (opened || !INDEX.test(url)) return realFetch(input, init);
      return new Promise(function (resolve, reject) {
        whenOpen(function () { realFetch(input, init).then(resolve, reject); });
      });
    };
  }

  var RealWorker = window.Worker;
  if (!RealWorker) return;

  /* Looks like a Worker to Material; the real one is made on the first message sent to it. */
  function LazyWorker(url, options) {
    var worker = null;
    var listeners = [];
    function real() {
      if (!worker) {
        worker = new RealWorker(url, options);
        listeners.forEach(function (l) { worker.addEventListener(l[0], l[1], l[2]); });
      }
      return worker;
    }
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
    if (/workers\/search\./.test(String(url))) return new LazyWorker(url, options);
    return new RealWorker(url, options);
  };
  window.Worker.prototype = RealWorker.prototype;
})();
