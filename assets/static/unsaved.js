// Warns before leaving a page whose form holds typing not yet saved. A form opts in with
// data-unsaved-warning. The form is "dirty" while any field differs from what the page was served
// with (typing then undoing it is clean again), and from the start when the server refused the last
// post (data-refused: the echoed text is on the page but not saved); submitting the form clears the
// warning, since the server keeps or echoes what was posted. The state is also shown on <html data-unsaved="yes">
// (for the browser test and for styles). Without JavaScript nothing changes.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-warning]"));
  if (!forms.length) { return; }
  var submitting = false;

  function changed(field) {
    var type = (field.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") { return field.checked !== field.defaultChecked; }
    if (type === "file") { return field.files && field.files.length > 0; }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    if (type === "hidden" || type === "submit" || type === "button") { return false; }
    return "defaultValue" in field && field.value !== field.defaultValue;
  }
  function dirty() {
    return !submitting && forms.some(function (form) {
      return form.hasAttribute("data-refused") || Array.prototype.some.call(form.elements, changed);
    });
  }
  function show() {
    if (dirty()) { document.documentElement.setAttribute("data-unsaved", "yes"); }
    else { document.documentElement.removeAttribute("data-unsaved"); }
  }
  forms.forEach(function (form) {
    form.addEventListener("input", show);
    form.addEventListener("change", show);
    form.addEventListener("submit", function () { submitting = true; show(); });
  });
  window.addEventListener("pageshow", function () { submitting = false; show(); });
  show();
  window.addEventListener("beforeunload", function (event) {
    if (!dirty()) { return undefined; }
    // Browsers show their own words ("Leave site? Changes you made may not be saved.").
    event.preventDefault();
    event.returnValue = "";
    return "";
  });
})();
