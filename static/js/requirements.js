// Requirement form: show only the fields that matter for the chosen kind.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) { return; }
  var only = { check_key: "automatic", count: "automatic", approver: "approval" };
  var notFor = { validity_days: "automatic" };
  function field(name) { return document.querySelector('[data-field="' + name + '"]'); }
  function update() {
    Object.keys(only).forEach(function (name) {
      var el = field(name);
      if (el) { el.hidden = kind.value !== only[name]; }
    });
    Object.keys(notFor).forEach(function (name) {
      var el = field(name);
      if (el) { el.hidden = kind.value === notFor[name]; }
    });
  }
  kind.addEventListener("change", update);
  update();
})();
