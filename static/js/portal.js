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
