// Review screen: show a figure's PDF page beside it; jump from a check to its values;
// suggest departments while typing.
(function () {
  "use strict";
  var viewer = document.getElementById("source-viewer");
  var image = document.getElementById("source-image");
  var caption = document.getElementById("source-caption");
  document.querySelectorAll("a.page-link").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      image.src = a.href;
      caption.textContent = a.textContent + " · " + (a.dataset.text || "");
      viewer.hidden = false;
    });
  });
  document.querySelectorAll("a.jump").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var row = document.getElementById("row-" + a.dataset.path);
      if (row) { row.scrollIntoView({block: "center"}); row.classList.add("pulse"); }
    });
  });
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(input.value), {credentials: "same-origin"})
          .then(function (r) { return r.json(); })
          .then(function (p) {
            list.innerHTML = "";
            p.results.forEach(function (d) {
              var o = document.createElement("option");
              o.value = d.name; o.label = d.region; list.appendChild(o);
            });
          });
      }, 200);
    });
  });
})();
