// Starts Swagger UI on /api/docs. A file, not an inline script, so the page keeps the strict
// Content-Security-Policy; validatorUrl null keeps it from asking validator.swagger.io about the spec.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
