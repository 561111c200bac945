// Poll the recommendation status while the engine works; reload the page when it is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) return;
  var text = box.querySelector("[data-status-text]");
  var url = box.getAttribute("data-status-url");
  var started = Date.now();
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.finished || data.status === "none") {
          window.location.replace(data.url || window.location.href);
          return;
        }
        var seconds = Math.round((Date.now() - started) / 1000);
        text.textContent = "Working out a recommended rota (" + data.status + ", " + seconds + " s)…";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
