// Upload page: drag and drop several files, then poll each row's status until it is done.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var zone = document.getElementById("dropzone");
  var results = document.getElementById("upload-results");
  var statusUrl = form.dataset.statusUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var watched = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(li, row) {
    li.innerHTML = "";
    li.dataset.id = row.id || "";
    li.appendChild(el("span", "name", row.name || ""));
    if (!row.ok && row.error) {
      li.appendChild(el("span", "badge status-failed", "✗"));
      li.appendChild(el("div", "error", row.error));
      return;
    }
    var badge = el("span", "badge status-" + row.status, row.status_label);
    badge.dataset.role = "status";
    li.appendChild(badge);
    if (row.duplicate) li.appendChild(el("span", "note", " (已上传过 / already uploaded)"));
    if (!row.finished) {
      var bar = el("progress");
      bar.max = 100; bar.value = row.progress || 0;
      li.appendChild(bar);
    }
    if (row.department) li.appendChild(el("span", "dept", " " + row.department + " " + (row.fiscal_year || "") + row.kind));
    if (row.error) li.appendChild(el("div", "error", row.error));
    var a = el("a", "", " →"); a.href = row.url; li.appendChild(a);
  }

  function upload(files) {
    if (!files.length) return;
    var data = new FormData();
    for (var i = 0; i < files.length; i++) data.append("files", files[i]);
    data.append("csrfmiddlewaretoken", csrf);
    zone.classList.add("busy");
    fetch(form.action, {method: "POST", body: data, headers: {"Accept": "application/json"},
                        credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (payload) {
        (payload.errors || []).forEach(function (msg) {
          results.appendChild(el("li", "error", msg));
        });
        (payload.results || []).forEach(function (row) {
          var li = el("li", "upload-row");
          render(li, row);
          results.appendChild(li);
          if (row.ok && !row.finished) watched[row.id] = {li: li, name: row.name};
        });
        poll();
      })
      .catch(function () { results.appendChild(el("li", "error", "上传失败，请重试。Upload failed.")); })
      .finally(function () { zone.classList.remove("busy"); input.value = ""; });
  }

  // Rows of the table below that are still moving are polled too.
  document.querySelectorAll("#disclosure-table tr[data-id]").forEach(function (tr) {
    if (tr.dataset.finished === "0") watched[tr.dataset.id] = {tr: tr};
  });

  var timer = null;
  function poll() {
    if (timer) return;
    var ids = Object.keys(watched);
    if (!ids.length) return;
    timer = setTimeout(function () {
      timer = null;
      fetch(statusUrl + "?ids=" + ids.join(","), {headers: {"Accept": "application/json"},
                                                  credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (payload) {
          payload.results.forEach(function (row) {
            var w = watched[row.id];
            if (!w) return;
            if (w.li) { row.name = w.name; row.ok = true; render(w.li, row); }
            if (w.tr) {
              var cell = w.tr.querySelector(".status, td:nth-child(6)");
              if (cell) {
                cell.innerHTML = "";
                var b = el("span", "badge status-" + row.status, row.status_label);
                b.dataset.role = "status"; cell.appendChild(b);
                if (row.error) cell.appendChild(el("div", "error", row.error));
              }
            }
            if (row.finished) delete watched[row.id];
          });
          poll();
        })
        .catch(function () { poll(); });
    }, 1000);
  }
  poll();

  input.addEventListener("change", function () { upload(input.files); });
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { upload(e.dataTransfer.files); });
})();
