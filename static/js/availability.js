// Availability month grid: drag to tick a run of days, arrow keys to move, save without reloading.
// Without this file the grid is a plain form of checkboxes and still works.
(function () {
  "use strict";
  const form = document.getElementById("av-form");
  if (!form) return;
  const labels = Array.from(form.querySelectorAll(".av-day"));
  const byDay = new Map(labels.map((label) => [label.dataset.day, label]));
  const status = document.getElementById("av-status");
  const count = document.getElementById("av-count");
  const seen = document.getElementById("av-seen");
  const TAGS = { preferred: "Pref", available: "Avail", unavailable: "Off" };
  let dragging = false;
  let dragValue = true;
  let anchor = null;
  let mouseHandled = false;

  const input = (label) => label.querySelector("input");
  const usable = (label) => label && !input(label).disabled;

  function updateCount() {
    const ticked = labels.filter((label) => input(label).checked).length;
    count.textContent = ticked ? `${ticked} day${ticked === 1 ? "" : "s"} ticked` : "";
  }

  function setTicked(label, value) {
    if (usable(label)) input(label).checked = value;
  }

  function tickRange(from, to, value) {
    const a = labels.indexOf(from);
    const b = labels.indexOf(to);
    const [lo, hi] = a < b ? [a, b] : [b, a];
    for (let i = lo; i <= hi; i += 1) setTicked(labels[i], value);
  }

  form.addEventListener("pointerdown", (event) => {
    const label = event.target.closest(".av-day");
    if (!label || event.pointerType !== "mouse" || event.button !== 0 || !usable(label)) return;
    event.preventDefault(); // no text selection while dragging
    mouseHandled = true;
    if (event.shiftKey && anchor) {
      tickRange(anchor, label, true);
    } else {
      dragging = true;
      dragValue = !input(label).checked;
      setTicked(label, dragValue);
      anchor = label;
    }
    input(label).focus({ preventScroll: true });
    updateCount();
  });

  form.addEventListener("pointerover", (event) => {
    if (!dragging) return;
    const label = event.target.closest(".av-day");
    if (label) {
      tickRange(anchor, label, dragValue);
      updateCount();
    }
  });

  document.addEventListener("pointerup", () => {
    dragging = false;
  });

  // The mouse already toggled the day on pointerdown; stop the label's own click toggling it back.
  form.addEventListener("click", (event) => {
    const label = event.target.closest(".av-day");
    if (label && mouseHandled && event.detail > 0) {
      event.preventDefault();
    }
    mouseHandled = false;
  });

  form.addEventListener("change", (event) => {
    const label = event.target.closest(".av-day");
    if (label) anchor = label;
    updateCount();
  });

  function shiftDay(iso, days) {
    const date = new Date(`${iso}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  const STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
  form.addEventListener("keydown", (event) => {
    const label = event.target.closest(".av-day");
    if (!label) return;
    if (event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit(document.getElementById("av-save"));
      return;
    }
    const step = STEPS[event.key];
    if (!step) return;
    const next = byDay.get(shiftDay(label.dataset.day, step));
    if (!next) return;
    event.preventDefault();
    if (event.shiftKey) {
      setTicked(label, true);
      setTicked(next, true);
      updateCount();
    }
    input(next).focus();
  });

  function showStatus(text, ok) {
    status.textContent = text;
    status.className = `av-status ${ok ? "ok" : "bad"}`;
  }

  function applyMarks(marks) {
    labels.forEach((label) => {
      const mark = marks[label.dataset.day] || "";
      label.classList.remove("av-preferred", "av-available", "av-unavailable");
      if (mark) label.classList.add(`av-${mark}`);
      label.querySelector("[data-tag]").textContent = TAGS[mark] || "";
      const box = input(label);
      const rest = box.getAttribute("aria-label").split(":").slice(1).join(":").split(",").slice(1);
      const head = box.getAttribute("aria-label").split(":")[0];
      box.setAttribute("aria-label", [`${head}: ${mark || "not marked"}`, ...rest].join(","));
    });
  }

  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.id !== "av-save") return; // "I'm done" buttons post normally
    event.preventDefault();
    const button = document.getElementById("av-save");
    button.disabled = true;
    showStatus("Saving…", true);
    try {
      const response = await fetch(form.dataset.jsonUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (data.marks) applyMarks(data.marks);
      if (data.seen !== undefined) seen.value = data.seen;
      // Shifts held on the days just marked unavailable: offer "Ask for cover" in place.
      const held = document.getElementById("av-held");
      if (held && data.held_html !== undefined) held.innerHTML = data.held_html;
      if (data.ok) {
        labels.forEach((label) => setTicked(label, false));
        form.querySelector("#id_first").value = "";
        form.querySelector("#id_last").value = "";
      }
      showStatus(data.message || (data.ok ? "Saved." : "Not saved."), data.ok);
    } catch (error) {
      showStatus("Could not save: check your connection and try again. Your ticks are kept.", false);
    } finally {
      button.disabled = false;
      updateCount();
    }
  });

  updateCount();
})();
