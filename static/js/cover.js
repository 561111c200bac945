// Show the "from / until" fields only when the person cannot make part of the shift.
(function () {
  var box = document.getElementById("cover-window");
  if (!box) return;
  var radios = document.querySelectorAll('input[name="part"]');
  function sync() {
    var part = document.querySelector('input[name="part"]:checked');
    box.hidden = !part || part.value !== "part";
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();
