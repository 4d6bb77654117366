// A final or destructive form asks first: a <form data-confirm="Xóa hạng mục …?"> is sent only
// once the user answers "Đồng ý" in the page's <dialog> (Escape or "Hủy" sends nothing and
// leaves its buttons as they were). Listening in the capture phase, it runs before the guard
// below, which then sees a cancelled submit as prevented and disables nothing.
(function () {
  var dialog = document.getElementById("confirm-dialog");
  function ask(question, answer) {
    if (!dialog || typeof dialog.showModal !== "function") {
      answer(window.confirm(question));
      return;
    }
    dialog.querySelector("[data-confirm-text]").textContent = question;
    dialog.returnValue = "";
    dialog.addEventListener("close", function closed() {
      dialog.removeEventListener("close", closed);
      answer(dialog.returnValue === "ok");
    });
    dialog.showModal();
    dialog.querySelector("button[value=cancel]").focus();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset && form.dataset.confirm;
    if (!question || event.defaultPrevented) return;
    if (form.dataset.confirmed === "yes") {
      delete form.dataset.confirmed;
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    ask(question, function (ok) {
      if (!ok) return;
      form.dataset.confirmed = "yes";
      if (form.requestSubmit) form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      else form.submit();
    });
  }, true);
})();

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

// The list's filters are folded away on a phone (templates/_filters.html); on a wider screen
// they are open, as they always were.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(min-width: 601px)").matches) return;
  document.querySelectorAll("details.filters-fold").forEach(function (fold) { fold.open = true; });
});
