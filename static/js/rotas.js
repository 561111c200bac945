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

// Period page: open a seat's panel in the drawer without a page load. The links work without
// JavaScript (?seat=N reloads the page with the panel); here they fetch rotas:seat_panel.
(function () {
  "use strict";
  var drawer = document.getElementById("seat-drawer");
  if (!drawer || !window.fetch) return;
  var template = drawer.getAttribute("data-panel-url");
  var base = window.location.pathname;

  function seatOf(href) {
    var match = /[?&]seat=(\d+)/.exec(href || "");
    return match ? match[1] : null;
  }
  function mark(seat) {
    // The page marks the seat it opened with a style rule; from here on the links carry it.
    var rule = document.getElementById("open-seat-style");
    if (rule) rule.remove();
    document.querySelectorAll("a[data-seat][aria-current]").forEach(function (a) {
      a.removeAttribute("aria-current");
    });
    if (!seat) return;
    document.querySelectorAll('a[data-seat="' + seat + '"]').forEach(function (a) {
      a.setAttribute("aria-current", "true");
    });
  }
  function close(push) {
    drawer.hidden = true;
    drawer.innerHTML = "";
    mark(null);
    if (push) window.history.pushState({ seat: null }, "", base);
  }
  function open(seat, push, fallback) {
    drawer.setAttribute("aria-busy", "true");
    fetch(template.replace("/seats/0/", "/seats/" + seat + "/"), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        drawer.innerHTML = html;
        drawer.hidden = false;
        drawer.removeAttribute("aria-busy");
        mark(seat);
        if (push) window.history.pushState({ seat: seat }, "", base + "?seat=" + seat);
        var heading = drawer.querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
      })
      .catch(function () {
        if (fallback) window.location.href = fallback;
      });
  }

  if (!drawer.hidden) mark(seatOf(window.location.search));

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var link = event.target.closest("a");
    if (!link) return;
    if (link.classList.contains("panel-close") && drawer.contains(link)) {
      event.preventDefault();
      close(true);
      return;
    }
    var seat = link.hasAttribute("data-seat") ? seatOf(link.getAttribute("href")) : null;
    if (!seat) return;
    event.preventDefault();
    open(seat, true, link.href);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !drawer.hidden) close(true);
  });
  window.addEventListener("popstate", function () {
    var seat = seatOf(window.location.search);
    if (seat) open(seat, false, null);
    else close(false);
  });
})();
