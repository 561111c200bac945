// Period page: poll the status while the engine works or the team is being told; reload when done.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) return;
  var text = box.querySelector("[data-status-text]");
  var url = box.getAttribute("data-status-url");
  var wait = box.getAttribute("data-wait");
  var started = Date.now();
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.busy) {
          window.location.replace(data.url || window.location.href);
          return;
        }
        var seconds = Math.round((Date.now() - started) / 1000);
        if (wait === "recommendation" && data.status !== "none" && !data.finished) {
          text.textContent = "Working out a recommended rota (" + data.status + ", " + seconds + " s)…";
        } else if (data.announcing) {
          text.textContent = "Published: updating calendars and emailing the people whose shifts changed (" + seconds + " s)…";
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
