// The admin's own actions on the rows ticked in a list (moving facilities or staff to a unit's
// successor …) run at once: ask first. Django's "delete selected" asks on a page of its own.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.id !== "changelist-form" || !event.submitter || event.submitter.name !== "index") return;
  var select = form.querySelector("select[name=action]");
  if (!select || !select.value || select.value === "delete_selected") return;
  var across = form.querySelector("input[name=select_across]");
  var count = across && across.value === "1"
    ? "tất cả các dòng"
    : form.querySelectorAll("input.action-select:checked").length + " dòng đã chọn";
  var label = select.options[select.selectedIndex].text;
  if (!window.confirm("Thực hiện “" + label + "” cho " + count + "?")) event.preventDefault();
});
