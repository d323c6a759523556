// Ops dashboard client: the only script besides htmx. Opens one SSE stream and turns each
// server-reported change into an `ops-change` DOM event that live regions (hx-trigger) listen to;
// sends the session's CSRF token with every htmx request; shows request errors in the flash area.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  document.addEventListener('htmx:configRequest', function (e) {
    if (csrf) e.detail.headers['X-CSRF-Token'] = csrf;
  });

  // A live region is not refreshed while someone is typing in it (the reason they typed would go).
  document.addEventListener('htmx:beforeRequest', function (e) {
    var elt = e.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute('data-live')) return;
    var active = document.activeElement;
    if (active && elt.contains(active) && (active.tagName === 'INPUT' || active.tagName === 'SELECT') && active.value) e.preventDefault();
  });

  // Non-2xx answers (403, 409, 422) carry an HTML message: show it instead of dropping it.
  document.addEventListener('htmx:beforeSwap', function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400 && status < 600) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      var flash = document.getElementById('flash');
      if (flash && e.detail.target && !e.detail.target.closest('#flash')) e.detail.target = flash;
    }
  });

  var dot = document.getElementById('live-dot');
  if (!window.EventSource || !dot) return;
  var es = new EventSource('/ops/events');
  es.addEventListener('open', function () { dot.className = 'live-dot on'; });
  es.addEventListener('error', function () { dot.className = 'live-dot off'; });
  es.addEventListener('change', function (msg) {
    var detail = {};
    try { detail = JSON.parse(msg.data); } catch (_) { /* keep {} */ }
    document.body.dispatchEvent(new CustomEvent('ops-change', { detail: detail }));
  });
})();
