// Guided upload: each chosen or dropped file goes up on its own request with a progress bar; after
// each one the set (counter, cards, Continue) is reloaded from the server, which stays the judge.
// Without this script the form posts all chosen files at once and the server renders the page.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("photo-input");
  var zone = document.getElementById("dropzone");
  var progress = document.getElementById("upload-progress");
  var set = document.getElementById("photo-set");
  if (!form || !input || !zone || !progress || !set) return;

  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var endpoint = form.getAttribute("action").split("?")[0];
  var queue = [];
  var running = 0;
  var PARALLEL = 2; // the server checks photos on two cores; more in flight only waits longer

  document.documentElement.classList.add("js");
  input.addEventListener("change", function () { enqueue(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) { event.preventDefault(); enqueue(event.dataTransfer.files); });
  form.addEventListener("submit", function (event) { event.preventDefault(); enqueue(input.files); });
  set.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.classList.contains("remove-photo")) return;
    event.preventDefault();
    send("POST", target.getAttribute("action"), null, null).then(refresh);
  });

  function enqueue(files) {
    Array.prototype.forEach.call(files || [], function (file) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var message = document.createElement("span");
      message.className = "message";
      item.appendChild(name);
      item.appendChild(bar);
      item.appendChild(message);
      progress.appendChild(item);
      queue.push({ file: file, item: item, bar: bar, message: message });
    });
    pump();
  }

  function pump() {
    if (queue.length > 0) set.setAttribute("aria-busy", "true");
    while (running < PARALLEL && queue.length > 0) {
      var job = queue.shift();
      running += 1;
      upload(job).then(function () { running -= 1; refresh(); pump(); });
    }
  }

  function upload(job) {
    job.message.textContent = "Uploading…";
    return send("POST", endpoint, job.file, function (percent) {
      job.bar.value = percent;
      if (percent >= 100) job.message.textContent = "Checking…";
    }).then(function () {
      job.item.remove();
    }, function (error) {
      job.item.classList.add("failed");
      job.bar.remove();
      job.message.textContent = error;
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "link";
      dismiss.textContent = "Dismiss";
      dismiss.addEventListener("click", function () { job.item.remove(); });
      job.item.appendChild(dismiss);
    });
  }

  function send(method, url, file, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      if (file) {
        xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
        xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable && onProgress) onProgress(Math.round(100 * event.loaded / event.total));
        });
      }
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) return resolve();
        var text = "This photo could not be added (" + xhr.status + ").";
        try { text = JSON.parse(xhr.responseText).error.message || text; } catch (ignored) {}
        reject(text);
      });
      xhr.addEventListener("error", function () { reject("The connection dropped. Check your network and try again."); });
      xhr.send(file);
    });
  }

  // Refreshes can overlap when two uploads finish together; only the newest one may paint, and the
  // set is marked busy (for screen readers, and tests) until it has.
  var generation = 0;
  function refresh() {
    var mine = ++generation;
    set.setAttribute("aria-busy", "true");
    return fetch(set.getAttribute("data-fragment"), { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (mine !== generation) return;
        if (html !== null) set.innerHTML = html;
        if (running === 0 && queue.length === 0) set.removeAttribute("aria-busy");
      }, function () {
        if (mine === generation && running === 0 && queue.length === 0) set.removeAttribute("aria-busy");
      });
  }
})();
