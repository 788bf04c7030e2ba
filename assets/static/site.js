// The public site's view switches (larger text, high contrast) are checkboxes that work by CSS
// alone; this only remembers them from one page to the next on this device.
(function () {
  for (const id of ["view-large", "view-contrast"]) {
    const box = document.getElementById(id);
    if (!box) continue;
    try { box.checked = localStorage.getItem("prongsai-" + id) === "1"; } catch (e) { /* storage off */ }
    box.addEventListener("change", function () {
      try { localStorage.setItem("prongsai-" + id, box.checked ? "1" : "0"); } catch (e) { /* storage off */ }
    });
  }
})();
