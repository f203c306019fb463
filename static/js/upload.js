// Upload page. htmx posts the chosen files and each row polls its own status (see
// templates/disclosures/_status_cell.html); this only adds drag and drop.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var zone = document.getElementById("dropzone");

  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    input.files = e.dataTransfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
  });
  // The same file can be chosen again after an upload.
  form.addEventListener("htmx:afterRequest", function () { input.value = ""; });
})();
