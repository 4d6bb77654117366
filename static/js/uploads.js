/* A dossier's several files at once (templates/_dossier_upload.html): a row per chosen file
   with its kind, preselected from the file's name or the next missing kind; the sending's
   progress; and the photo viewer of inspections (templates/schemes/_photos.html). */
(function () {
  "use strict";

  function words(text) {
    return new Set(
      text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d")
        .toLowerCase().replace(/[-_.]+/g, " ").split(/\s+/).filter(function (w) { return w.length > 1; })
    );
  }

  // The same guess as khuyencong/uploads.py guess_kind: most shared words, two at least.
  function guess(name, options) {
    var fileWords = words(name), best = null, score = 1;
    options.forEach(function (option) {
      if (!option.value) return;
      var shared = 0;
      words(option.textContent).forEach(function (w) { if (fileWords.has(w)) shared += 1; });
      if (shared > score) { best = option.value; score = shared; }
    });
    return best;
  }

  function rows(form) {
    var input = form.querySelector("input[type=file]");
    var template = form.querySelector("[data-kind-options]");
    var list = form.querySelector("[data-dossier-rows]");
    var hint = form.querySelector("[data-no-script-hint]");
    if (hint) hint.hidden = true;
    input.addEventListener("change", function () {
      list.textContent = "";
      var options = Array.prototype.slice.call(template.options);
      var taken = new Set();
      Array.prototype.forEach.call(input.files, function (file, i) {
        var open = options.filter(function (o) { return o.value && o.hasAttribute("data-missing") && !taken.has(o.value); });
        var value = guess(file.name, open) || (open[0] ? open[0].value : "");
        if (value) taken.add(value);
        var row = document.createElement("li");
        var id = "dossier-kind-" + i;
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
        var select = template.cloneNode(true);
        select.hidden = false; select.disabled = false;
        select.removeAttribute("aria-hidden"); select.removeAttribute("data-kind-options");
        select.name = "kind"; select.id = id;
        select.value = value;
        row.appendChild(label); row.appendChild(select);
        list.appendChild(row);
      });
    });
  }

  function progress(form) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[role=status]");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) return; // a plain sending
      event.preventDefault();
      if (form.dataset.sending) return; // a second click while the first is on its way
      form.dataset.sending = "1";
      button.disabled = true;
      box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = "Đang tải lên: " + percent + " %";
      });
      xhr.addEventListener("load", function () {
        var next = xhr.getResponseHeader("X-Location");
        if (next) {
          text.textContent = "Đã gửi xong, đang mở lại trang…";
          var url = new URL(next, window.location.href);
          if (url.pathname === window.location.pathname) {
            window.location.hash = url.hash;
            window.location.reload();
          } else {
            window.location.assign(url.href);
          }
          return;
        }
        text.textContent = "Máy chủ không nhận được tệp (mã " + xhr.status + "). Hãy thử lại.";
        delete form.dataset.sending; button.disabled = false;
      });
      xhr.addEventListener("error", function () {
        text.textContent = "Mất kết nối khi tải lên; chưa tệp nào được lưu. Hãy thử lại.";
        delete form.dataset.sending; button.disabled = false;
      });
      xhr.send(new FormData(form));
    });
  }

  // Inspection photos: a larger view over the page; Esc closes, arrows go to the next/previous.
  function viewer() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a[data-photo]"));
    if (!links.length || !window.HTMLDialogElement) return;
    var dialog = document.createElement("dialog");
    dialog.className = "photo-viewer";
    dialog.setAttribute("aria-label", "Xem ảnh");
    dialog.innerHTML = '<figure><img alt=""><figcaption></figcaption></figure>' +
      '<div class="form-actions"><button type="button" class="btn secondary" data-go="-1">‹ Ảnh trước</button>' +
      '<button type="button" class="btn secondary" data-go="1">Ảnh sau ›</button>' +
      '<a class="btn secondary" data-open>Mở ảnh gốc</a>' +
      '<button type="button" class="btn" data-close>Đóng</button></div>';
    document.body.appendChild(dialog);
    var img = dialog.querySelector("img"), caption = dialog.querySelector("figcaption");
    var current = 0, group = links;
    function show(i) {
      current = (i + group.length) % group.length;
      var link = group[current];
      img.src = link.href;
      img.alt = link.dataset.photo;
      caption.textContent = link.dataset.photo + " (" + (current + 1) + "/" + group.length + ")";
      dialog.querySelector("[data-open]").href = link.href;
      dialog.querySelectorAll("[data-go]").forEach(function (b) { b.hidden = group.length < 2; });
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var set = link.closest("[data-photo-group]");
        group = set ? links.filter(function (l) { return set.contains(l); }) : links;
        show(group.indexOf(link));
        dialog.showModal();
        dialog.querySelector("[data-close]").focus();
      });
    });
    dialog.addEventListener("click", function (event) {
      var go = event.target.closest("[data-go]");
      if (go) show(current + Number(go.dataset.go));
      if (event.target.closest("[data-close]") || event.target === dialog) dialog.close();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") show(current + 1);
      if (event.key === "ArrowLeft") show(current - 1);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-dossier-upload]").forEach(function (form) {
      rows(form);
      progress(form);
    });
    viewer();
  });
})();
