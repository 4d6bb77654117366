// A form sent once: its submit buttons are disabled while the page waits, so a double click on
// a slow link does not send it twice (the server refuses a second one anyway).
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  var form = event.target;
  if (form.method.toLowerCase() !== "post") return;
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});

// The plan builder: the sum of the requests picked and what is left of the plan, as the
// officer ticks them.
(function () {
  var form = document.getElementById("builder");
  if (!form) return;
  var available = parseInt(form.dataset.available, 10) || 0;
  var fmt = function (n) { return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, "."); };
  function update() {
    var total = 0, count = 0;
    form.querySelectorAll("input[name=pick]").forEach(function (box) {
      box.closest("tr").classList.toggle("picked", box.checked);
      if (box.checked) { total += parseInt(box.dataset.amount, 10) || 0; count += 1; }
    });
    var left = available - total;
    form.querySelector("[data-picked-count]").textContent = count;
    form.querySelector("[data-picked-total]").textContent = fmt(total);
    var leftEl = form.querySelector("[data-left]");
    leftEl.textContent = (left < 0 ? "-" : "") + fmt(Math.abs(left));
    leftEl.classList.toggle("over", left < 0);
    var warning = form.querySelector("[data-over]");
    if (warning) warning.hidden = left >= 0;
  }
  form.addEventListener("change", update);
  if (form.querySelector("[data-picked-count]")) update();
})();

// A refused entry comes back open, with its message and what was typed: bring it into view.
document.addEventListener("DOMContentLoaded", function () {
  var open = document.querySelector("details.entry[open]");
  if (open) open.scrollIntoView({ block: "start" });
});

// The review queue: a box in the table's head ticks or clears every request of the page.
document.addEventListener("change", function (event) {
  var all = event.target;
  if (!all.matches || !all.matches("input[data-select-all]")) return;
  var table = all.closest("table");
  if (!table) return;
  table.querySelectorAll("input[name=pick]").forEach(function (box) { box.checked = all.checked; });
});
