// Progress for a large upload: the form still works without this script (a plain POST).
(function () {
  var form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("import-progress");
  var status = document.getElementById("import-status");
  var action = "check";
  form.querySelectorAll("button[name=step]").forEach(function (b) {
    b.addEventListener("click", function () { action = b.value; });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    data.set("step", action);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    bar.hidden = false;
    bar.value = 0;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = bar.value + "%";
      }
    };
    xhr.upload.onload = function () {
      bar.removeAttribute("value"); // indeterminate while the server checks the rows
      status.textContent = form.dataset.checking || "…";
    };
    xhr.onload = function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () { form.submit(); };
    xhr.send(data);
  });
})();
