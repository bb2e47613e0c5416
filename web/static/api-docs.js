// The interactive API description at /api/docs: Swagger UI (vendored in static/swagger-ui) over
// the server's own /openapi.json.
(function () {
  "use strict";
  window.addEventListener("DOMContentLoaded", function () {
    if (!window.SwaggerUIBundle) return;
    window.SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      defaultModelsExpandDepth: 0,
    });
  });
})();
